package dev.llmcls.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/** Why a request failed, and whether trying it again can help. */
public enum FailureKind {
    CONNECTION(true),
    TIMEOUT(true),
    RATE_LIMITED(true),
    SERVER_ERROR(true),
    BAD_BODY(true),
    /**
     * The server refused this request (a 4xx other than 429): sending it again gets the same
     * answer.
     */
    REJECTED(false),
    /**
     * HTTP 500 for this example again and again while the server answers other requests
     * (llama-server's "The model produced output that does not match the expected format"): this
     * example's answer fails, the server is up.
     */
    EXAMPLE_ERROR(false),
    OTHER(false);

    private final boolean retryable;

    FailureKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /**
     * True for the kinds that mean the server is unreachable or broken, rather than this request
     * being bad.
     */
    public boolean serverDown() {
        return this == CONNECTION || this == TIMEOUT || this == SERVER_ERROR;
    }

    /**
     * Whether re-running the same command may get an answer: not for a request the server refuses
     * or an answer that fails the same way each time (at temperature 0 it repeats), nor for an
     * unexplained failure.
     */
    public boolean rerunMayHelp() {
        return retryable;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureKind of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerException http) {
                int status = http.statusCode();
                if (status == 429) {
                    return RATE_LIMITED;
                }
                if (status == 500 || status == 502 || status == 503 || status == 504) {
                    return SERVER_ERROR;
                }
                return status >= 500 ? SERVER_ERROR : REJECTED;
            }
            if (cause instanceof HttpTimeoutException) {
                return TIMEOUT;
            }
            if (cause instanceof JsonProcessingException
                    || cause instanceof MalformedAnswerException) {
                return BAD_BODY;
            }
            if (cause instanceof ConnectException || cause instanceof IOException) {
                return CONNECTION;
            }
        }
        return OTHER;
    }
}
