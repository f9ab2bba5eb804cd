package dev.llmcls.llm;

/**
 * A 2xx answer whose body is not the chat completion it should be; worth retrying, since servers
 * recover.
 */
public class MalformedAnswerException extends RuntimeException {
    public MalformedAnswerException(String message) {
        super(message);
    }
}
