package dev.llmcls.run.prompting;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.Example;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.ServerInfo;
import dev.llmcls.runfile.RunRecord;
import dev.llmcls.runfile.RunSettings;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One way a prompting run goes beyond the seed's one prompt per text: demonstrations ({@link
 * Demonstrating}), several sampled answers and a vote ({@link VotingMethod}), an answer constraint
 * ({@link Constraining}). Each shapes one step of {@link PromptTask} and says what the manifest
 * records; a run combines any of them. A new method is one class implementing the steps it changes,
 * its settings reader in {@link RunSettings}, and its options in {@code cli.MethodOptions}.
 */
public interface PromptMethod {
    /**
     * This method as it should be for the kind of server the run talks to (known only once the
     * server answered), e.g. a constraint in the form that server enforces; itself by default.
     */
    default PromptMethod forServer(ServerInfo.Kind kind) {
        return this;
    }

    /** What the manifest records for this method (and a resume compares); null for nothing. */
    RecordedSettings settings();

    /**
     * Gets ready before the first example (reads or embeds a pool); may take a while, said through
     * {@code log}.
     */
    default void prepare(Consumer<String> log) {}

    /**
     * Values for template placeholders this method fills, e.g. the {@code {examples}} placeholder.
     */
    default Map<String, String> templateValues(Example example) throws InterruptedException {
        return Map.of();
    }

    /** The request options with this method's parameters, e.g. {@code n} or a response format. */
    default ChatOptions options(ChatOptions options) {
        return options;
    }

    /**
     * The backend this method's requests go through, e.g. one that asks again for missing samples.
     */
    default ChatBackend backend(ChatBackend backend) {
        return backend;
    }

    /**
     * How answers are shaped, which decides how a label is read out of one; null when this method
     * leaves it.
     */
    default Constraint constraint() {
        return null;
    }

    /**
     * The record with what this method decided from the {@code answer} (the label, the vote);
     * {@code parser} reads one answer's label. Methods decide in the order the run lists them.
     */
    default RunRecord decide(RunRecord record, Completion answer, AnswerParser parser) {
        return record;
    }
}
