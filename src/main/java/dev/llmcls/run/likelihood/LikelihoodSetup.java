package dev.llmcls.run.likelihood;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.Failures;

/**
 * Checks, before a likelihood run starts, that the server returns what likelihood scoring reads.
 */
public final class LikelihoodSetup {
    static final String PROBE_PROMPT = "Say which label fits: probe";

    private LikelihoodSetup() {}

    /**
     * Sends one label request and fails with an input error (exit 2) when it is refused or comes
     * back without {@code prompt_logprobs}: a server that ignores the field (not vLLM) would
     * otherwise fail every example. Returns the probe's answer, whose cost the run counts.
     */
    public static Completion probe(
            ChatBackend chat, ChatOptions base, LabelSet labels, String url) {
        ChatOptions options =
                LikelihoodTask.labelOptions(base, Scoring.DEFAULT_ANSWER_PREFIX + labels.name(0));
        Completion answer;
        try {
            answer = chat.complete(PROBE_PROMPT, options);
        } catch (RuntimeException e) {
            throw new InputException(
                    "--scoring likelihood: the server at "
                            + url
                            + " refused a label request ("
                            + Failures.describe(e)
                            + "). Likelihood scoring needs vLLM's continue_final_message,"
                            + " add_generation_prompt and prompt_logprobs; use vLLM, or --scoring"
                            + " generate.",
                    e);
        }
        if (answer.promptLogprobs() == null
                || answer.promptLogprobs().stream().allMatch(t -> t == null)) {
            throw new InputException(
                    "--scoring likelihood: the server at "
                            + url
                            + " returned no prompt_logprobs for a probe request, so no label can be"
                            + " scored. Likelihood scoring needs a server that returns them (vLLM"
                            + " does); use --scoring generate (optionally with --confidence) with"
                            + " this one.");
        }
        return answer;
    }
}
