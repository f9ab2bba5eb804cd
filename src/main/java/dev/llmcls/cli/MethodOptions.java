package dev.llmcls.cli;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.EmbeddingCache;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.label.Constraint;
import dev.llmcls.label.LabelLikelihood;
import dev.llmcls.embed.EmbeddingModels;
import dev.llmcls.prompt.Demonstrations;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.prompting.ConfidentMethod;
import dev.llmcls.run.prompting.Constraining;
import dev.llmcls.run.prompting.Demonstrating;
import dev.llmcls.run.embedded.KnnMethod;
import dev.llmcls.run.embedded.LinearMethod;
import dev.llmcls.run.likelihood.LikelihoodScoring;
import dev.llmcls.run.Method;
import dev.llmcls.run.Mode;
import dev.llmcls.run.prompting.PromptMethod;
import dev.llmcls.run.likelihood.Scoring;
import dev.llmcls.run.embedded.SimilarityMethod;
import dev.llmcls.run.prompting.VotingMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code classify}'s options beyond the seed: the embedded modes ({@code --mode similarity|knn|linear}, which need no
 * server), few-shot demonstrations, voting and answer constraints. Turns them into a {@link Method}: the registration
 * of each {@link PromptMethod} and {@link dev.llmcls.run.embedded.EmbeddedMethod} is here.
 */
public final class MethodOptions {
    @Option(names = "--train", paramLabel = "FILE",
            description = "Labelled pool for --mode knn and linear and for --shots (read with the same --text-field and "
                    + "--label-field; format detected), e.g. data/ag_news/train_sample_5000.csv.")
    Path train;

    @Option(names = "--k", defaultValue = "10", paramLabel = "K",
            description = "Neighbours that vote in --mode knn. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--embedding-model", defaultValue = EmbeddingModels.DEFAULT, paramLabel = "NAME",
            description = "Bundled embedding model for similarity, knn, linear and --demos knn: "
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
    Demonstrations.Selection demos;

    @Option(names = "--votes", defaultValue = "1", paramLabel = "N",
            description = "Sample N answers per example (one request with n, needs --temperature > 0) and record "
                    + "the majority label with the vote counts. Default: ${DEFAULT-VALUE}.")
    int votes;

    @Option(names = "--constrain", defaultValue = "none", paramLabel = "HOW",
            description = "Constrain the answer: none, choice (exactly one label name; vLLM structured_outputs) "
                    + "or json ({\"reason\", \"label\"} by response_format json_schema). Default: ${DEFAULT-VALUE}.")
    Constraint constrain;

    @Option(names = "--scoring", defaultValue = "generate", paramLabel = "HOW",
            description = "${COMPLETION-CANDIDATES}. generate: the model writes an answer (the seed's way). likelihood: one request per label "
                    + "with the answer prefilled up to the label (vLLM's continue_final_message and prompt_logprobs); "
                    + "the label of highest log-likelihood wins and label_probs are recorded. Default: ${DEFAULT-VALUE}.")
    Scoring.Kind scoring;

    @Option(names = "--likelihood-norm", defaultValue = "sum", paramLabel = "HOW",
            description = "How --scoring likelihood scores a label (${COMPLETION-CANDIDATES}): sum (its log-probability) or mean (per token, "
                    + "lm-evaluation-harness's length normalisation). Default: ${DEFAULT-VALUE}.")
    LabelLikelihood.Normalisation likelihoodNorm;

    @Option(names = "--answer-prefix", defaultValue = Scoring.DEFAULT_ANSWER_PREFIX, paramLabel = "TEXT",
            description = "The answer written before the label in --scoring likelihood (the template's answer form). "
                    + "Default: '${DEFAULT-VALUE}'.")
    String answerPrefix;

    @Option(names = "--confidence",
            description = "Ask for the answer's token log-probabilities (logprobs, top_logprobs) and record the "
                    + "probability of the decided label (confidence) and, where the answer allows, label_probs.")
    boolean confidence;

    @Option(names = "--top-logprobs", defaultValue = "" + Scoring.DEFAULT_TOP_LOGPROBS, paramLabel = "K",
            description = "Alternatives per answer token for --confidence; vLLM refuses more than its --max-logprobs "
                    + "(20 by default). Default: ${DEFAULT-VALUE}.")
    int topLogprobs;

    @Option(names = "--calibrate", defaultValue = "none", paramLabel = "HOW",
            description = "Label-bias correction of --scoring likelihood (${COMPLETION-CANDIDATES}), applied by evaluate beside the raw figures: "
                    + "contextual (Zhao et al. 2021: also scores the content-free inputs N/A, '' and [MASK]) or batch "
                    + "(Zhou et al. 2024: the run's mean distribution; no extra requests). Default: ${DEFAULT-VALUE}.")
    Scoring.Calibrate calibrate;

    /** Builds the method for {@code mode}, or throws a usage error naming the option that does not fit. */
    Method method(CommandLine commandLine, Mode mode, PromptTemplate template, double temperature, Integer seed,
            String textField, String labelField, List<String> fields, LabelSet labels) {
        if (k < 1) {
            throw usage(commandLine, "--k must be at least 1, got " + k);
        }
        if (shots < 0) {
            throw usage(commandLine, "--shots must be 0 or more, got " + shots);
        }
        if (votes < 1) {
            throw usage(commandLine, "--votes must be at least 1, got " + votes);
        }
        EmbeddingSettings embedding = new EmbeddingSettings(EmbeddingModels.require(embeddingModel), cacheDirectory());
        DatasetSpec trainSpec = train == null ? null : new DatasetSpec(train, null, textField, labelField, null, fields);
        LikelihoodScoring likelihood = likelihood(commandLine);
        PromptMethod confident = confidence ? new ConfidentMethod(topLogprobs, labels, constrain) : null;
        if (mode.embedded()) {
            if (likelihood != null || confident != null) {
                throw usage(commandLine, "--scoring likelihood, --confidence and --calibrate are for prompting modes, "
                        + "not --mode " + mode);
            }
            if (shots > 0 || votes > 1 || constrain != Constraint.NONE) {
                throw usage(commandLine, "--shots, --votes and --constrain are for prompting modes, not --mode " + mode);
            }
            if ((mode == Mode.KNN || mode == Mode.LINEAR) && trainSpec == null) {
                throw usage(commandLine, "--mode " + mode + " needs a labelled pool: --train FILE");
            }
            return new Method.Embedded(switch (mode) {
                case KNN -> new KnnMethod(embedding, trainSpec, k);
                case LINEAR -> new LinearMethod(embedding, trainSpec);
                default -> new SimilarityMethod(embedding);
            });
        }
        if (votes > 1 && temperature <= 0) {
            throw usage(commandLine, "--votes " + votes + " samples several answers and needs --temperature above 0");
        }
        // In the order the manifest records their settings.
        List<PromptMethod> methods = new ArrayList<>();
        if (votes > 1) {
            methods.add(new VotingMethod(votes, labels));
        }
        if (constrain != Constraint.NONE) {
            methods.add(new Constraining(constrain, labels));
        }
        if (confident != null) {
            methods.add(confident);
        }
        if (shots > 0) {
            if (trainSpec == null) {
                throw usage(commandLine, "--shots needs a labelled pool to draw demonstrations from: --train FILE");
            }
            if (!template.uses("examples")) {
                throw usage(commandLine, "--shots " + shots + " needs a prompt with an {examples} placeholder; "
                        + template.origin() + " has none (prompts/carp.txt has one)");
            }
            methods.add(new Demonstrating(shots, demos, trainSpec, embedding, seed == null ? 0 : seed, labels));
        }
        return likelihood != null ? new Method.Likelihood(template, methods, likelihood)
                : new Method.Prompting(template, methods);
    }

    /**
     * The likelihood scoring asked for, or null; checks that it, answer confidence and calibration fit the rest.
     */
    private LikelihoodScoring likelihood(CommandLine commandLine) {
        boolean likelihood = scoring == Scoring.Kind.LIKELIHOOD;
        LabelLikelihood.Normalisation normalisation = likelihoodNorm;
        Scoring.Calibrate calibration = calibrate;
        if (topLogprobs < 1) {
            throw usage(commandLine, "--top-logprobs must be at least 1, got " + topLogprobs);
        }
        if (likelihood && (votes > 1 || constrain != Constraint.NONE || confidence)) {
            throw usage(commandLine, "--scoring likelihood scores every label itself; --votes, --constrain and "
                    + "--confidence are for generated answers");
        }
        if (!likelihood && calibration != Scoring.Calibrate.NONE) {
            throw usage(commandLine, "--calibrate corrects the label distributions of --scoring likelihood; "
                    + "evaluate --calibrate applies it to a likelihood run afterwards");
        }
        return likelihood ? new LikelihoodScoring(normalisation, answerPrefix, calibration) : null;
    }

    private Path cacheDirectory() {
        if (embeddingCache == null) {
            return EmbeddingCache.defaultDirectory();
        }
        return "none".equalsIgnoreCase(embeddingCache) ? null : Path.of(embeddingCache);
    }

    private static CommandLine.ParameterException usage(CommandLine commandLine, String message) {
        return new CommandLine.ParameterException(commandLine, message);
    }
}
