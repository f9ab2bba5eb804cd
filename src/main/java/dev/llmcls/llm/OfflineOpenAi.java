package dev.llmcls.llm;

/**
 * The OpenAI chat protocol of {@link OpenAiBackend} with no server: the request body {@code classify} sends, and an
 * answer body read as {@code classify} reads a server's answer. So a batch file holds exactly the requests classify
 * would send, and a batch result is read exactly as an online answer.
 */
public final class OfflineOpenAi {
    /** The JSON body of the chat request {@code classify} sends for {@code prompt} with {@code options}. */
    public String requestBody(String prompt, ChatOptions options) {
        return OpenAiBackend.requestBody(prompt, options);
    }

    /** A chat completion response body (from a batch result) read as an online answer; throws when it is not one. */
    public Completion completion(String responseBody, ChatOptions options) {
        return OpenAiBackend.answer(responseBody, options);
    }
}
