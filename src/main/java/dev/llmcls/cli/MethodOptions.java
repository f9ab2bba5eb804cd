package dev.llmcls.cli;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.EmbeddingCache;
import dev.llmcls.embed.EmbeddingModels;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.label.Constraint;
import dev.llmcls.label.LabelLikelihood;
import dev.llmcls.prompt.Demonstrations;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.prompt.Prompts;
import dev.llmcls.run.Method;
import dev.llmcls.run.Mode;
import dev.llmcls.run.embedded.KnnMethod;
import dev.llmcls.run.embedded.KnnTfidfMethod;
import dev.llmcls.run.embedded.LinearMethod;
import dev.llmcls.run.embedded.SimilarityMethod;
import dev.llmcls.run.likelihood.LikelihoodScoring;
import dev.llmcls.run.likelihood.Scoring;
import dev.llmcls.run.prompting.ConfidentMethod;
import dev.llmcls.run.prompting.Constraining;
import dev.llmcls.run.prompting.Demonstrating;
import dev.llmcls.run.prompting.MultiLabelling;
import dev.llmcls.run.prompting.PromptMethod;
import dev.llmcls.run.prompting.VotingMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The "Method" section of the commands that classify: the mode, its prompt, and the methods beyond
 * the seed: the embedded modes ({@code --mode similarity|knn|linear|knn-tfidf}, which need no
 * server), few-shot demonstrations, voting, answer constraints and label probabilities. Turns them
 * into a {@link Method}: the registration of each {@link PromptMethod} and {@link
 * dev.llmcls.run.embedded.EmbeddedMethod} is here; which of them go together is {@link
 * OptionRules}' part.
 */
public final class MethodOptions {
    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "basic",
            description =
                    "${COMPLETION-CANDIDATES}. A prompting mode picks prompts/MODE.txt (seed modes:"
                            + " basic, reason; CARP: carp, carp-zh; multi-label data: multi-label);"
                            + " similarity, knn, linear (a logistic-regression probe) and knn-tfidf"
                            + " (kNN averaged with TF-IDF naive Bayes on the words) classify"
                            + " in-process with an embedding model, no server. Default: "
                            + "${DEFAULT-VALUE}.")
    Mode mode;

    @Option(
            names = "--prompt",
            paramLabel = "FILE",
            description = "Prompt template (overrides prompts/MODE.txt).")
    Path prompt;

    @Option(
            names = "--train",
            paramLabel = "FILE",
            description =
                    "Labelled pool for --mode knn, linear and knn-tfidf and for --shots (read with"
                            + " the same --text-field and --label-field; format detected), e.g."
                            + " data/ag_news/train_sample_5000.csv.")
    Path train;

    @Option(
            names = "--k",
            defaultValue = "10",
            paramLabel = "K",
            description =
                    "Neighbours that vote in --mode knn and knn-tfidf. Default:"
                            + " ${DEFAULT-VALUE}.")
    int k;

    @Option(
            names = "--embedding-model",
            defaultValue = EmbeddingModels.DEFAULT,
            paramLabel = "NAME",
            description =
                    "Bundled embedding model for similarity, knn, linear and --demos knn: "
                            + "bge-small-en-v1.5-q, all-minilm-l6-v2-q. Default: ${DEFAULT-VALUE}.")
    String embeddingModel;

    @Option(
            names = "--embedding-cache",
            paramLabel = "DIR",
            description =
                    "Embedding cache folder, or 'none' (default: $LLMCLS_CACHE/embeddings, else "
                            + "~/.cache/llmcls/embeddings).")
    String embeddingCache;

    @Option(
            names = "--shots",
            defaultValue = "0",
            paramLabel = "K",
            description =
                    "Demonstrations (text and gold label from --train) rendered into the prompt's"
                            + " {examples}. Default: ${DEFAULT-VALUE}.")
    int shots;

    @Option(
            names = "--demos",
            defaultValue = "random",
            paramLabel = "HOW",
            description =
                    "How demonstrations are chosen: random (seeded by --seed and the example id) or"
                            + " knn (the most similar --train texts by embedding). Default:"
                            + " ${DEFAULT-VALUE}.")
    Demonstrations.Selection demos;

    @Option(
            names = "--votes",
            defaultValue = "1",
            paramLabel = "N",
            description =
                    "Sample N answers per example (one request with n, needs --temperature > 0) and"
                            + " record the majority label with the vote counts. Default:"
                            + " ${DEFAULT-VALUE}.")
    int votes;

    @Option(
            names = "--constrain",
            defaultValue = "none",
            paramLabel = "HOW",
            description =
                    "Constrain the answer: none, choice (exactly one label name; vLLM"
                        + " structured_outputs) or json ({\"reason\", \"label\"} by response_format"
                        + " json_schema). Default: ${DEFAULT-VALUE}.")
    Constraint constrain;

    @Option(
            names = "--scoring",
            defaultValue = "generate",
            paramLabel = "HOW",
            description =
                    "${COMPLETION-CANDIDATES}. generate: the model writes an answer (the seed's"
                        + " way). likelihood: one request per label with the answer prefilled up to"
                        + " the label (vLLM's continue_final_message and prompt_logprobs); the"
                        + " label of highest log-likelihood wins and label_probs are recorded."
                        + " Default: ${DEFAULT-VALUE}.")
    Scoring.Kind scoring;

    @Option(
            names = "--likelihood-norm",
            defaultValue = "sum",
            paramLabel = "HOW",
            description =
                    "How --scoring likelihood scores a label (${COMPLETION-CANDIDATES}): sum (its"
                            + " log-probability) or mean (per token, lm-evaluation-harness's length"
                            + " normalisation). Default: ${DEFAULT-VALUE}.")
    LabelLikelihood.Normalisation likelihoodNorm;

    @Option(
            names = "--answer-prefix",
            defaultValue = Scoring.DEFAULT_ANSWER_PREFIX,
            paramLabel = "TEXT",
            description =
                    "The answer written before the label in --scoring likelihood (the template's"
                            + " answer form). Default: '${DEFAULT-VALUE}'.")
    String answerPrefix;

    @Option(
            names = "--confidence",
            description =
                    "Ask for the answer's token log-probabilities (logprobs, top_logprobs) and"
                        + " record the probability of the decided label (confidence) and, where the"
                        + " answer allows, label_probs.")
    boolean confidence;

    @Option(
            names = "--top-logprobs",
            defaultValue = "" + Scoring.DEFAULT_TOP_LOGPROBS,
            paramLabel = "K",
            description =
                    "Alternatives per answer token for --confidence; vLLM refuses more than its"
                            + " --max-logprobs (20 by default). Default: ${DEFAULT-VALUE}.")
    int topLogprobs;

    @Option(
            names = "--calibrate",
            defaultValue = "none",
            paramLabel = "HOW",
            description =
                    "Label-bias correction of --scoring likelihood (${COMPLETION-CANDIDATES}),"
                        + " applied by evaluate beside the raw figures: contextual (Zhao et al."
                        + " 2021: also scores the content-free inputs N/A, '' and [MASK]) or batch"
                        + " (Zhou et al. 2024: the run's mean distribution; no extra requests)."
                        + " Default: ${DEFAULT-VALUE}.")
    Scoring.Calibrate calibrate;

    /**
     * Builds the method for {@link #mode}; the options have passed {@link OptionRules}. What the
     * rules cannot know before files are read (a prompt without {@code {examples}} for {@code
     * --shots}) is a usage error here.
     */
    Method method(
            CommandLine commandLine,
            PromptTemplate template,
            Integer seed,
            String textField,
            String labelField,
            List<String> fields,
            LabelSet labels) {
        EmbeddingSettings embedding =
                new EmbeddingSettings(EmbeddingModels.require(embeddingModel), cacheDirectory());
        DatasetSpec trainSpec =
                train == null
                        ? null
                        : new DatasetSpec(train, null, textField, labelField, null)
                                .withFields(fields);
        if (mode.embedded()) {
            return new Method.Embedded(
                    switch (mode) {
                        case KNN -> new KnnMethod(embedding, trainSpec, k);
                        case LINEAR -> new LinearMethod(embedding, trainSpec);
                        case KNN_TFIDF -> new KnnTfidfMethod(embedding, trainSpec, k);
                        default -> new SimilarityMethod(embedding);
                    });
        }
        // In the order the manifest records their settings.
        List<PromptMethod> methods = new ArrayList<>();
        if (votes > 1) {
            methods.add(new VotingMethod(votes, labels));
        }
        if (constrain != Constraint.NONE) {
            methods.add(new Constraining(constrain, labels));
        }
        if (confidence) {
            methods.add(new ConfidentMethod(topLogprobs, labels, constrain));
        }
        if (shots > 0) {
            if (!template.uses("examples")) {
                throw new CommandLine.ParameterException(
                        commandLine,
                        "--shots "
                                + shots
                                + " needs a prompt with an "
                                + "{examples} placeholder; "
                                + template.origin()
                                + " has none (prompts/carp.txt has one)");
            }
            methods.add(
                    new Demonstrating(
                            shots, demos, trainSpec, embedding, seed == null ? 0 : seed, labels));
        }
        return scoring == Scoring.Kind.LIKELIHOOD
                ? new Method.Likelihood(
                        template,
                        methods,
                        new LikelihoodScoring(likelihoodNorm, answerPrefix, calibrate))
                : new Method.Prompting(template, methods);
    }

    /**
     * The prompt template of a prompting mode ({@code --prompt}, else the mode's bundled one), null
     * for an embedded mode; a placeholder naming the text column ({@code {premise}}) renders as the
     * text.
     */
    PromptTemplate template() {
        return mode.embedded()
                ? null
                : PromptTemplate.read(prompt != null ? prompt : Prompts.forMode(mode.toString()));
    }

    /**
     * The method for the data: multi-label data (its labels are lists) adds {@link MultiLabelling}
     * to a prompting method and needs a prompt that asks for every label that applies ({@code
     * --mode multi-label}, or the user's own {@code --prompt}); the methods that decide one label
     * are refused with it, and {@code --mode multi-label} with single-label data.
     */
    Method forData(
            CommandLine commandLine,
            Method method,
            Mode mode,
            boolean ownPrompt,
            boolean multiLabel,
            LabelSet labels,
            String labelSeparator) {
        if (!multiLabel) {
            if (mode == Mode.MULTI_LABEL) {
                throw usage(
                        commandLine,
                        "--mode multi-label is for multi-label data, whose label field holds a list"
                                + " (a JSONL array, or a CSV cell split by --label-separator); this"
                                + " data has one label each");
            }
            return method;
        }
        if (method instanceof Method.Embedded) {
            throw usage(
                    commandLine,
                    "--mode "
                            + mode
                            + " decides one label per text; the data is multi-label (its labels "
                            + "are lists): use --mode multi-label");
        }
        if (mode != Mode.MULTI_LABEL && !ownPrompt) {
            throw usage(
                    commandLine,
                    "the data is multi-label (its labels are lists), and prompts/"
                            + mode
                            + ".txt asks for one label: use --mode multi-label (every label that"
                            + " applies) or a --prompt of your own");
        }
        if (votes > 1 || constrain != Constraint.NONE || confidence || shots > 0) {
            throw usage(
                    commandLine,
                    "--votes, --constrain, --confidence and --shots decide or show one label per"
                            + " text; the data is multi-label (its labels are lists)");
        }
        if (method instanceof Method.Likelihood likelihood) {
            // the likelihood task makes the set itself (labels above an even share); the method
            // records the setting
            var methods = new ArrayList<>(likelihood.methods());
            methods.add(new MultiLabelling(labels, labelSeparator));
            return new Method.Likelihood(likelihood.template(), methods, likelihood.scoring());
        }
        Method.Prompting prompting = (Method.Prompting) method;
        var methods = new ArrayList<>(prompting.methods());
        methods.add(new MultiLabelling(labels, labelSeparator));
        return new Method.Prompting(prompting.template(), methods);
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
