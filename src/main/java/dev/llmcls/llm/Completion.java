package dev.llmcls.llm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A server's answer to one prompt. {@code choices} holds every sampled answer (one unless several
 * were asked for); {@code text} and {@code finishReason} are the first one's. {@code
 * promptLogprobs} is vLLM's {@code prompt_logprobs} when it was asked for and returned (null
 * otherwise): one entry per prompt token, the first null. {@code from} is the id of the run that
 * first got this answer when it came from the answer store instead of the server (no request was
 * sent), else null.
 */
public record Completion(
        List<Choice> choices,
        Integer promptTokens,
        Integer completionTokens,
        List<PromptToken> promptLogprobs,
        String from) {
    /**
     * One sampled answer: its {@code content} as {@code text} (never null); {@code logprobs} holds
     * its tokens when they were asked for and returned, else null; {@code reasoning} is what a
     * reasoning model (or a server's reasoning parser) returned beside the answer, null when there
     * is none.
     */
    public record Choice(
            String text, String finishReason, List<TokenLogprob> logprobs, String reasoning) {
        public Choice {
            logprobs = logprobs == null ? null : List.copyOf(logprobs);
        }

        public Choice(String text, String finishReason, List<TokenLogprob> logprobs) {
            this(text, finishReason, logprobs, null);
        }

        public Choice(String text, String finishReason) {
            this(text, finishReason, null, null);
        }
    }

    /**
     * One generated token ({@code choices[].logprobs.content[]}): its text, log-probability and the
     * alternatives the server listed ({@code top_logprobs}; vLLM lists the generated token first,
     * then the most likely others).
     */
    public record TokenLogprob(String token, double logprob, List<Alternative> top) {
        public TokenLogprob {
            top = List.copyOf(top);
        }
    }

    /** An alternative at a generated position: token text and log-probability. */
    public record Alternative(String token, double logprob) {}

    /**
     * One prompt token as {@code prompt_logprobs} reports it: the first entry of the position's map
     * is the token that is in the prompt (vLLM puts it before the top alternatives), with its id,
     * text, log-probability and rank.
     */
    public record PromptToken(long id, String token, double logprob, Integer rank) {}

    public Completion {
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a completion has at least one choice");
        }
        promptLogprobs =
                promptLogprobs == null
                        ? null
                        : Collections.unmodifiableList(new ArrayList<>(promptLogprobs));
    }

    public Completion(
            List<Choice> choices,
            Integer promptTokens,
            Integer completionTokens,
            List<PromptToken> promptLogprobs) {
        this(choices, promptTokens, completionTokens, promptLogprobs, null);
    }

    public Completion(List<Choice> choices, Integer promptTokens, Integer completionTokens) {
        this(choices, promptTokens, completionTokens, null, null);
    }

    /** This answer, marked as kept from run {@code runId} (null: from the server). */
    public Completion from(String runId) {
        return new Completion(choices, promptTokens, completionTokens, promptLogprobs, runId);
    }

    public static Completion single(
            String text, String finishReason, Integer promptTokens, Integer completionTokens) {
        return new Completion(
                List.of(new Choice(text, finishReason)), promptTokens, completionTokens);
    }

    public String text() {
        return choices.get(0).text();
    }

    public String finishReason() {
        return choices.get(0).finishReason();
    }
}
