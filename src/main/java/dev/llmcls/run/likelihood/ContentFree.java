package dev.llmcls.run.likelihood;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.AtomicFiles;
import dev.llmcls.core.Json;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.LabelDistribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Zhao et al. 2021's content-free inputs for contextual calibration: the run's prompt with the text
 * replaced by {@code N/A}, the empty string and {@code [MASK]}, each scored by likelihood; their
 * mean label distribution is what the examples' distributions are divided by. Written beside the
 * run as {@code FILE.content-free.json}, which {@code evaluate} reads.
 */
public final class ContentFree {
    public static final List<String> INPUTS = List.of("N/A", "", "[MASK]");

    /** What the sidecar file holds. */
    public record Result(
            List<String> labels,
            List<String> inputs,
            @JsonProperty("distributions") List<Map<String, Double>> distributions,
            Map<String, Double> mean,
            int requests,
            @JsonProperty("prompt_tokens") long promptTokens,
            @JsonProperty("completion_tokens") long completionTokens) {

        /** The mean distribution in label order. */
        public double[] meanVector(List<String> order) {
            double[] p = new double[order.size()];
            for (int i = 0; i < p.length; i++) {
                Double value = mean.get(order.get(i));
                p[i] = value == null ? Double.NaN : value;
            }
            return p;
        }
    }

    private ContentFree() {}

    public static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".content-free.json");
    }

    public static Result measure(LikelihoodTask task, LabelSet labels, Path output) {
        var distributions = new ArrayList<double[]>();
        var byName = new ArrayList<Map<String, Double>>();
        int requests = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        for (String input : INPUTS) {
            LikelihoodTask.Scored scored;
            try {
                scored = task.scoreText(input);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(
                        "interrupted while scoring the content-free inputs", e);
            }
            distributions.add(scored.probabilities());
            byName.add(LabelDistribution.byName(labels.names(), scored.probabilities()));
            requests += scored.requests();
            promptTokens += scored.promptTokens();
            completionTokens += scored.completionTokens();
        }
        var result =
                new Result(
                        labels.names(),
                        INPUTS,
                        byName,
                        LabelDistribution.byName(
                                labels.names(), LabelDistribution.mean(distributions)),
                        requests,
                        promptTokens,
                        completionTokens);
        write(result, pathFor(output));
        return result;
    }

    static void write(Result result, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            AtomicFiles.write(
                    file,
                    Json.MAPPER
                            .writer(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsBytes(result),
                    "content-free distribution");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Optional<Result> read(Path output) {
        Path file = pathFor(output);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), Result.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
