package dev.llmcls.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One run as {@code llmcls runs} lists it: its output, {@code mode} and {@code method} (the
 * settings beyond the mode: voting, constraint, likelihood...), model, data file, {@code answered}
 * of {@code total} examples, {@code errors} (examples whose last record failed), {@code accuracy}
 * (strict scorer, over the answers with a gold label; null when none), the {@link RunState}, the
 * lock's last holder ({@code pid}, {@code host}) while it runs, {@code rate} (records a second
 * since the holder took the lock, from the file's growth) and {@code eta_s}, {@code started} (the
 * manifest's start of the latest session) and {@code last_written} (the output's modification
 * time); {@code summary} says how the counts were got: {@code progress} (the run's progress summary
 * and the records after it), {@code scanned} (no summary, an older run: the whole file was read) or
 * {@code unreadable} (with {@code note}).
 */
@JsonPropertyOrder({
    "output",
    "state",
    "mode",
    "method",
    "model",
    "data",
    "answered",
    "total",
    "errors",
    "accuracy",
    "pid",
    "host",
    "rate",
    "eta_s",
    "started",
    "last_written",
    "summary",
    "note"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRow(
        String output,
        RunState state,
        String mode,
        String method,
        String model,
        String data,
        long answered,
        long total,
        long errors,
        Double accuracy,
        Long pid,
        String host,
        Double rate,
        @JsonProperty("eta_s") Long etaSeconds,
        String started,
        @JsonProperty("last_written") String lastWritten,
        String summary,
        String note) {}
