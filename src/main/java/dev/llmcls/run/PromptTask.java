package dev.llmcls.run;

import dev.llmcls.core.RunRecord;
import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.label.Vote;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.Failures;
import dev.llmcls.prompt.Demonstrations;
import dev.llmcls.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Classifies an example by rendering the prompt, asking the server (with retries) and recording its answer. */
public final class PromptTask implements ExampleTask {
    private static final int MAX_ERROR_LENGTH = 1000;

    private final PromptTemplate template;
    private final LabelSet labels;
    private final String labelList;
    private final ChatBackend backend;
    private final ChatOptions options;
    private final RetryPolicy retryPolicy;
    private final Demonstrations demonstrations;
    private final Constraint constraint;
    private final AnswerParser parser;

    /**
     * @param demonstrations fills {@code {examples}}; null renders it empty
     * @param decide whether to record the decided {@code label} (and, with several answers, the vote); the seed
     *     modes leave it off so that their records keep exactly the seed fields
     */
    public PromptTask(PromptTemplate template, LabelSet labels, ChatBackend backend, ChatOptions options,
            RetryPolicy retryPolicy, Demonstrations demonstrations, Constraint constraint, boolean decide) {
        this.demonstrations = demonstrations;
        this.constraint = constraint;
        this.parser = decide ? new AnswerParser(labels.names(), constraint) : null;
        this.template = template;
        this.labels = labels;
        this.labelList = PromptTemplate.bulletList(labels.names());
        this.backend = backend;
        this.options = options;
        this.retryPolicy = retryPolicy;
    }

    public String render(Example example) throws InterruptedException {
        Map<String, String> values = new HashMap<>(4);
        values.put("text", example.text());
        values.put("labels", labelList);
        values.put("examples", demonstrations == null ? "" : demonstrations.render(example));
        return template.render(values);
    }

    @Override
    public TaskResult process(Example example) throws InterruptedException {
        String prompt = render(example);
        String gold = labels.name(example.gold());
        List<FailureKind> retries = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                Completion answer = backend.complete(prompt, options);
                long latencyMs = (System.nanoTime() - started) / 1_000_000;
                var record = recordFor(example, gold, answer, latencyMs, attempt);
                return new TaskResult(record, null, retries);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("stopped while waiting for an answer to example " + example.id());
                }
                FailureKind kind = FailureKind.of(e);
                if (!kind.retryable() || attempt >= retryPolicy.maxAttempts()) {
                    long latencyMs = (System.nanoTime() - started) / 1_000_000;
                    var record = new RunRecord(example.id(), example.text(), gold, null, null, null, null, latencyMs,
                            errorMessage(kind, e), attempt);
                    return new TaskResult(record, kind, retries);
                }
                retries.add(kind);
                Thread.sleep(retryPolicy.delayAfter(attempt, e).toMillis());
            }
        }
    }

    private RunRecord recordFor(Example example, String gold, Completion answer, long latencyMs, int attempt) {
        if (parser == null) {
            return answered(example, gold, answer, 0, latencyMs, attempt);
        }
        if (answer.choices().size() == 1) {
            return answered(example, gold, answer, 0, latencyMs, attempt)
                    .withDecision(parser.label(answer.text()), null, null, constraint.recordName());
        }
        // Several sampled answers: the output is the first answer that names the majority label, so that the seed
        // rule applied to the output scores the majority too; every answer is kept in outputs.
        List<String> texts = answer.choices().stream().map(Completion.Choice::text).toList();
        List<String> ballots = texts.stream().map(parser::label).toList();
        Vote vote = Vote.of(ballots, labels.names());
        int shown = vote.winner() == null ? 0 : ballots.indexOf(vote.winner());
        return answered(example, gold, answer, shown, latencyMs, attempt)
                .withDecision(vote.winner(), vote.counts(), texts, constraint.recordName());
    }

    /** The record of an answered example, showing the answer's {@code choice}-th sampled text. */
    private static RunRecord answered(Example example, String gold, Completion answer, int choice, long latencyMs,
            int attempt) {
        Completion.Choice shown = answer.choices().get(choice);
        return new RunRecord(example.id(), example.text(), gold, shown.text(), shown.finishReason(),
                answer.promptTokens(), answer.completionTokens(), latencyMs, null, attempt);
    }

    static String errorMessage(FailureKind kind, Throwable e) {
        String message = Failures.describe(e).strip();
        if (message.length() > MAX_ERROR_LENGTH) {
            message = message.substring(0, MAX_ERROR_LENGTH) + "...";
        }
        return kind.label() + ": " + message;
    }
}
