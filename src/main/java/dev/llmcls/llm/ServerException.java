package dev.llmcls.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A non-2xx HTTP answer, keeping what a retry policy needs: the status and the server's {@code
 * Retry-After}.
 */
public class ServerException extends RuntimeException {
    private final int statusCode;
    private final Duration retryAfter;

    public ServerException(int statusCode, String message, Duration retryAfter) {
        super(message);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    /** The answer's HTTP status, e.g. 429 or 503. */
    public int statusCode() {
        return statusCode;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
