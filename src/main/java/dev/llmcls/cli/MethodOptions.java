package dev.llmcls.cli;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelDescriptions;
import dev.llmcls.embed.EmbeddingCache;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.label.Constraint;
import dev.llmcls.llm.EmbeddingModels;
import dev.llmcls.prompt.Demonstrations;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.Method;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code classify}'s options beyond the seed: the embedded modes ({@code --mode similarity|knn}, which need no
 * server), few-shot demonstrations, voting and answer constraints. Turns them into a {@link Method}.
 */
public final class MethodOptions {
    /** The modes that classify in-process with an embedding model instead of prompting a server. */
    static boolean embedded(String mode) {
        return "similarity".equals(mode) || "knn".equals(mode);
    }

    @Option(names = "--train", paramLabel = "FILE",
            description = "Labelled pool for --mode knn and for --shots (read with the same --text-field and "
                    + "--label-field; format detected), e.g. data/ag_news/train_sample_5000.csv.")
    Path train;

    @Option(names = "--k", defaultValue = "10", paramLabel = "K",
            description = "Neighbours that vote in --mode knn. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--embedding-model", defaultValue = EmbeddingModels.DEFAULT, paramLabel = "NAME",
            description = "Bundled embedding model for similarity, knn and --demos knn: "
                    + "bge-small-en-v1.5-q, all-minilm-l6-v2-q. Default: ${DEFAULT-VALUE}.")
    String embeddingModel;

    @Option(names = "--embedding-cache", paramLabel = "DIR",
            description = "Embedding cache folder, or 'none' (default: $LLMCLS_CACHE/embeddings, else "
                    + "~/.cache/llmcls/embeddings).")
    String embeddingCache;

    @Option(names = "--shots", defaultValue = "0", paramLabel = "K",
            description = "Demonstrations (text and gold label from --train) rendered into the prompt's {examples}. "
                    + "Default: ${DEFAULT-VALUE}.")
    int shots;

    @Option(names = "--demos", defaultValue = "random", paramLabel = "HOW",
            description = "How demonstrations are chosen: random (seeded by --seed and the example id) or knn (the "
                    + "most similar --train texts by embedding). Default: ${DEFAULT-VALUE}.")
    String demos;

    @Option(names = "--votes", defaultValue = "1", paramLabel = "N",
            description = "Sample N answers per example (one request with n, needs --temperature > 0) and record "
                    + "the majority label with the vote counts. Default: ${DEFAULT-VALUE}.")
    int votes;

    @Option(names = "--constrain", defaultValue = "none", paramLabel = "HOW",
            description = "Constrain the answer: none, choice (exactly one label name; vLLM structured_outputs) "
                    + "or json ({\"reason\", \"label\"} by response_format json_schema). Default: ${DEFAULT-VALUE}.")
    String constrain;

    /** Builds the method for {@code mode}, or throws a usage error naming the option that does not fit. */
    Method method(CommandLine commandLine, String mode, PromptTemplate template, double temperature, Integer seed,
            String textField, String labelField, LabelOptions labels) {
        if (k < 1) {
            throw usage(commandLine, "--k must be at least 1, got " + k);
        }
        if (shots < 0) {
            throw usage(commandLine, "--shots must be 0 or more, got " + shots);
        }
        if (votes < 1) {
            throw usage(commandLine, "--votes must be at least 1, got " + votes);
        }
        Constraint constraint = parseConstraint(commandLine);
        Demonstrations.Selection selection = parseSelection(commandLine);
        EmbeddingSettings embedding = new EmbeddingSettings(EmbeddingModels.require(embeddingModel), cacheDirectory());
        DatasetSpec trainSpec = train == null ? null : new DatasetSpec(train, null, textField, labelField, null);
        if (embedded(mode)) {
            if (shots > 0 || votes > 1 || constraint != Constraint.NONE) {
                throw usage(commandLine, "--shots, --votes and --constrain are for prompting modes, not --mode " + mode);
            }
            if ("knn".equals(mode) && trainSpec == null) {
                throw usage(commandLine, "--mode knn needs a labelled pool: --train FILE");
            }
            LabelDescriptions descriptions = labels.labelsFile != null ? LabelDescriptions.read(labels.labelsFile)
                    : LabelDescriptions.NONE;
            var classifier = "knn".equals(mode) ? Method.Classifier.KNN : Method.Classifier.SIMILARITY;
            return new Method(new Method.Embedded(classifier, embedding, trainSpec, k, descriptions), null, 1,
                    Constraint.NONE);
        }
        if (votes > 1 && temperature <= 0) {
            throw usage(commandLine, "--votes " + votes + " samples several answers and needs --temperature above 0");
        }
        Method.Demos demoSettings = null;
        if (shots > 0) {
            if (trainSpec == null) {
                throw usage(commandLine, "--shots needs a labelled pool to draw demonstrations from: --train FILE");
            }
            if (!template.uses("examples")) {
                throw usage(commandLine, "--shots " + shots + " needs a prompt with an {examples} placeholder; "
                        + template.origin() + " has none (prompts/carp.txt has one)");
            }
            demoSettings = new Method.Demos(shots, selection, trainSpec, embedding, seed == null ? 0 : seed);
        }
        return new Method(null, demoSettings, votes, constraint);
    }

    private Path cacheDirectory() {
        if (embeddingCache == null) {
            return EmbeddingCache.defaultDirectory();
        }
        return "none".equalsIgnoreCase(embeddingCache) ? null : Path.of(embeddingCache);
    }

    private Constraint parseConstraint(CommandLine commandLine) {
        try {
            return Constraint.valueOf(constrain.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage(commandLine, "--constrain takes none, choice or json, got '" + constrain + "'");
        }
    }

    private Demonstrations.Selection parseSelection(CommandLine commandLine) {
        try {
            return Demonstrations.Selection.valueOf(demos.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage(commandLine, "--demos takes random or knn, got '" + demos + "'");
        }
    }

    private static CommandLine.ParameterException usage(CommandLine commandLine, String message) {
        return new CommandLine.ParameterException(commandLine, message);
    }
}
