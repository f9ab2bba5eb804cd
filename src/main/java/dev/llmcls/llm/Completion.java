package dev.llmcls.llm;

import java.util.List;

/**
 * A server's answer to one prompt. {@code choices} holds every sampled answer (one unless several were asked for);
 * {@code text} and {@code finishReason} are the first one's.
 */
public record Completion(List<Choice> choices, Integer promptTokens, Integer completionTokens) {
    /**
     * One sampled answer: its {@code content} as {@code text} (never null), and the reasoning a reasoning model
     * (or a server's reasoning parser) returned beside it, null when there is none.
     */
    public record Choice(String text, String finishReason, String reasoning) {
        public Choice(String text, String finishReason) {
            this(text, finishReason, null);
        }
    }

    public Completion {
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a completion has at least one choice");
        }
    }

    public static Completion single(String text, String finishReason, Integer promptTokens, Integer completionTokens) {
        return new Completion(List.of(new Choice(text, finishReason)), promptTokens, completionTokens);
    }

    public String text() {
        return choices.get(0).text();
    }

    public String finishReason() {
        return choices.get(0).finishReason();
    }
}
