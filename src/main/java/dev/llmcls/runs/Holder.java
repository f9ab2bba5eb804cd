package dev.llmcls.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The last holder of a run's lock, as its lock file names it ({@code pid}, {@code host}, the
 * process's {@code started_at}, {@code locked_at}, {@code released_at} once it let go: {@link
 * dev.llmcls.runfile.OutputLock}), and whether it still holds it: {@code alive} is true when it has
 * not let go and that process is alive on this host and started when the lock file says (so a
 * reused pid is not taken for it), false when it let go or is gone, null when it ran on another
 * host (its pid cannot be checked from here). Reading never takes the lock, so a listing never gets
 * in the way of a run that starts.
 */
public record Holder(long pid, String host, Instant startedAt, Instant lockedAt, Boolean alive) {

    /**
     * The holder the lock file beside {@code output} names; empty when there is none or it names no
     * one yet.
     */
    public static Optional<Holder> of(Path lockFile, String thisHost) {
        JsonNode node;
        try {
            if (!Files.isRegularFile(lockFile)) {
                return Optional.empty();
            }
            node = Json.MAPPER.readTree(Files.readString(lockFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.path("pid").canConvertToLong()) {
            return Optional.empty();
        }
        long pid = node.path("pid").asLong();
        String host = node.path("host").asText("");
        Instant started = instant(node.path("started_at").asText(null));
        Instant locked = instant(node.path("locked_at").asText(null));
        if (node.hasNonNull("released_at")) {
            return Optional.of(
                    new Holder(
                            pid, host, started, locked,
                            false)); // the run ended; the process may not
        }
        Boolean alive = host.equals(thisHost) ? alive(pid, started) : null;
        return Optional.of(new Holder(pid, host, started, locked, alive));
    }

    /**
     * Whether process {@code pid} runs and started at {@code started} (within a second; null: not
     * checked).
     */
    static boolean alive(long pid, Instant started) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(
                        process ->
                                started == null
                                        || process.info()
                                                .startInstant()
                                                .map(
                                                        start ->
                                                                Duration.between(start, started)
                                                                                .abs()
                                                                                .compareTo(
                                                                                        Duration
                                                                                                .ofSeconds(
                                                                                                        1))
                                                                        <= 0)
                                                .orElse(true))
                .isPresent();
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** This machine's name, as {@link dev.llmcls.runfile.OutputLock} writes it. */
    public static String thisHost() {
        try {
            String name =
                    Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                            .strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}
