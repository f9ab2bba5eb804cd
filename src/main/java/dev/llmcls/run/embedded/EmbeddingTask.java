package dev.llmcls.run.embedded;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Decision;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.VectorClassifier;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Classifies an example in-process: embed its text (through the cache), let the classifier decide,
 * and record the label name as the output, so the seed rule scores it like any answer (and {@code
 * label_probs} when the classifier gives probabilities). No server, no tokens.
 */
public final class EmbeddingTask implements ExampleTask {
    private final Embedder embedder;
    private final VectorClassifier classifier;
    private final LabelSet labels;

    public EmbeddingTask(Embedder embedder, VectorClassifier classifier, LabelSet labels) {
        this.embedder = embedder;
        this.classifier = classifier;
        this.labels = labels;
    }

    @Override
    public TaskResult process(Example example) throws InterruptedException {
        long started = System.nanoTime();
        float[] vector = embedder.embed(example.text());
        Decision decision = classifier.classify(vector, example.text());
        String label = labels.name(decision.label());
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        var record =
                new RunRecord(
                                example.id(),
                                example.text(),
                                labels.name(example.gold()),
                                label,
                                null,
                                null,
                                null,
                                latencyMs,
                                null,
                                1)
                        .withDecision(label, decision.votes(), null, null);
        if (decision.probabilities() != null) {
            var byName = new LinkedHashMap<String, Double>();
            for (int i = 0; i < labels.size(); i++) {
                byName.put(labels.name(i), decision.probabilities().get(i));
            }
            record =
                    record.withProbabilities(
                            new RunRecord.Probabilities(
                                    null, byName, null, null, null, null, null));
        }
        return new TaskResult(record, null, List.of());
    }
}
