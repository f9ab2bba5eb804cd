package dev.llmcls.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Gets {@code options.n()} sampled answers for a prompt: asks once with {@code n}, and when a server ignores
 * {@code n} (Ollama, some proxies) and returns fewer choices, asks again for the rest, summing the token usage.
 */
public final class SamplingBackend implements ChatBackend {
    private final ChatBackend delegate;

    public SamplingBackend(ChatBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        int wanted = options.n();
        List<Completion.Choice> choices = new ArrayList<>(wanted);
        Integer promptTokens = null;
        Integer completionTokens = null;
        while (choices.size() < wanted) {
            int missing = wanted - choices.size();
            var ask = options.withN(missing);
            Completion answer = delegate.complete(prompt, ask);
            choices.addAll(answer.choices().subList(0, Math.min(missing, answer.choices().size())));
            promptTokens = sum(promptTokens, answer.promptTokens());
            completionTokens = sum(completionTokens, answer.completionTokens());
        }
        return new Completion(choices, promptTokens, completionTokens);
    }

    private static Integer sum(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(a + b);
    }
}
