package dev.llmcls.llm;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/** A non-2xx HTTP answer, keeping what a retry policy needs: the status and the server's {@code Retry-After}. */
public class ServerException extends HttpException {
    private final Duration retryAfter;

    public ServerException(int statusCode, String message, Duration retryAfter) {
        super(statusCode, message);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
