package dev.llmcls.run;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.TruncateSettings;
import dev.llmcls.data.Truncation;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.ServerTokenizer;
import dev.llmcls.run.prompting.PromptTask;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code --truncate}: cuts each example's text before another task classifies it, and notes the cut
 * in the record ({@code truncated}: unit, original length, kept length, where). Characters are
 * counted in the text; tokens by the server's own tokenizer ({@link ServerTokenizer}: {@code
 * /tokenize} and {@code /detokenize}, vLLM and llama.cpp) or, where the server has none (or there
 * is no server), estimated as {@value #CHARS_PER_TOKEN} characters a token, the rule of thumb for
 * English text with the common BPE vocabularies; the manifest says which ({@code truncate_count}).
 */
final class Truncating implements ExampleTask {
    static final int CHARS_PER_TOKEN = 4;
    static final String COUNT_SERVER = "server";
    static final String COUNT_APPROX = "approx_" + CHARS_PER_TOKEN + "_chars";

    private final ExampleTask inner;
    private final Truncation truncation;
    private final ServerTokenizer tokenizer;
    private final LabelSet labels;

    private Truncating(
            ExampleTask inner, Truncation truncation, ServerTokenizer tokenizer, LabelSet labels) {
        this.inner = inner;
        this.truncation = truncation;
        this.tokenizer = tokenizer;
        this.labels = labels;
    }

    /** How a run truncates: the settings its manifest records, and the wrapper for its task. */
    record Setup(Truncation truncation, ServerTokenizer tokenizer) {
        TruncateSettings settings() {
            return new TruncateSettings(
                    truncation.toString(),
                    truncation.unit() == Truncation.Unit.TOKENS
                            ? (tokenizer != null ? COUNT_SERVER : COUNT_APPROX)
                            : null);
        }

        ExampleTask wrap(ExampleTask task, LabelSet labels) {
            return new Truncating(task, truncation, tokenizer, labels);
        }
    }

    /**
     * Decides how tokens are counted: asks the server's {@code /tokenize} once (null server: an
     * in-process run, so the estimate), and says so in the log.
     */
    static Setup prepare(Truncation truncation, ServerTokenizer server, Consumer<String> log) {
        if (truncation.unit() != Truncation.Unit.TOKENS) {
            return new Setup(truncation, null);
        }
        Optional<List<Integer>> probe;
        try {
            probe = server == null ? Optional.empty() : server.tokenize("Hello");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while asking the server's /tokenize", e);
        }
        if (probe.isPresent()) {
            log.accept("--truncate " + truncation + ": tokens counted by the server's /tokenize");
            return new Setup(truncation, server);
        }
        log.accept(
                "--truncate "
                        + truncation
                        + ": "
                        + (server == null ? "no server" : "the server has no /tokenize")
                        + "; tokens are estimated as "
                        + CHARS_PER_TOKEN
                        + " characters each");
        return new Setup(truncation, null);
    }

    @Override
    public TaskResult process(Example example) throws InterruptedException {
        RunRecord.Truncated note;
        String text;
        try {
            Cut cut = cut(example.text());
            text = cut.text();
            note = cut.note();
        } catch (RuntimeException e) {
            FailureKind kind = FailureKind.of(e);
            var record =
                    PromptTask.withGold(
                            new RunRecord(
                                    example.id(),
                                    example.text(),
                                    PromptTask.goldName(labels, example),
                                    null,
                                    null,
                                    null,
                                    null,
                                    0,
                                    "truncate: " + e.getMessage(),
                                    1),
                            labels,
                            example);
            return new TaskResult(record, kind, List.of());
        }
        TaskResult result = inner.process(note == null ? example : example.withText(text));
        return note == null
                ? result
                : new TaskResult(
                        result.record().withTruncated(note), result.failure(), result.retries());
    }

    private record Cut(String text, RunRecord.Truncated note) {}

    private Cut cut(String text) throws InterruptedException {
        String from = truncation.from().toString();
        if (truncation.unit() == Truncation.Unit.CHARS) {
            int original = text.codePointCount(0, text.length());
            return original <= truncation.limit()
                    ? new Cut(text, null)
                    : new Cut(
                            truncation.cutChars(text),
                            new RunRecord.Truncated("chars", original, truncation.limit(), from));
        }
        if (tokenizer == null) {
            var inChars =
                    new Truncation(
                            Truncation.Unit.CHARS,
                            truncation.limit() * CHARS_PER_TOKEN,
                            truncation.from());
            int chars = text.codePointCount(0, text.length());
            int original = (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
            return chars <= inChars.limit()
                    ? new Cut(text, null)
                    : new Cut(
                            inChars.cutChars(text),
                            new RunRecord.Truncated(
                                    "approx_tokens", original, truncation.limit(), from));
        }
        List<Integer> tokens =
                tokenizer
                        .tokenize(text)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "the server's /tokenize went away"));
        if (tokens.size() <= truncation.limit()) {
            return new Cut(text, null);
        }
        List<List<Integer>> parts = truncation.keptTokens(tokens);
        String kept =
                parts.size() == 1
                        ? tokenizer.detokenize(parts.get(0))
                        : tokenizer.detokenize(parts.get(0))
                                + Truncation.MIDDLE_MARK
                                + tokenizer.detokenize(parts.get(1));
        return new Cut(
                kept, new RunRecord.Truncated("tokens", tokens.size(), truncation.limit(), from));
    }
}
