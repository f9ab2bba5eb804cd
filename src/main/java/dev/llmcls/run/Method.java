package dev.llmcls.run;

import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.embedded.EmbeddedMethod;
import dev.llmcls.run.likelihood.LikelihoodScoring;
import dev.llmcls.run.prompting.PromptMethod;
import java.util.List;
import java.util.Objects;

/**
 * How a {@code classify} run decides: by prompting a server ({@link Prompting}: a template and any
 * {@link PromptMethod}s beyond the seed's plain prompt), by scoring each label's likelihood after
 * the prompt ({@link Likelihood}), or in-process with an {@link EmbeddedMethod}.
 */
public sealed interface Method permits Method.Prompting, Method.Likelihood, Method.Embedded {
    /**
     * A template sent to the server for each example, shaped by {@code methods} (none: the seed's
     * way).
     */
    record Prompting(PromptTemplate template, List<PromptMethod> methods) implements Method {
        public Prompting {
            Objects.requireNonNull(template, "template");
            methods = List.copyOf(methods);
        }

        /** The seed experiment's method: the template, nothing more. */
        public static Prompting seed(PromptTemplate template) {
            return new Prompting(template, List.of());
        }
    }

    /**
     * {@code --scoring likelihood}: the template sent once per label with the answer written up to
     * that label; {@code methods} may only fill the template (demonstrations), since no answer is
     * generated.
     */
    record Likelihood(
            PromptTemplate template, List<PromptMethod> methods, LikelihoodScoring scoring)
            implements Method {
        public Likelihood {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(scoring, "scoring");
            methods = List.copyOf(methods);
        }
    }

    /** A classifier that needs no server. */
    record Embedded(EmbeddedMethod classifier) implements Method {
        public Embedded {
            Objects.requireNonNull(classifier, "classifier");
        }
    }
}
