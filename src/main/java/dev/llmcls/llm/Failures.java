package dev.llmcls.llm;

/** Turns the exception chains of HTTP clients into one readable phrase for users and records. */
public final class Failures {
    private Failures() {}

    /**
     * The most telling cause, e.g. "ConnectException" or "HttpTimeoutException: request timed out":
     * the innermost one with a message of its own, skipping wrappers whose message is just their
     * cause's name.
     */
    public static String describe(Throwable e) {
        Throwable telling = null;
        Throwable firstUnwrapped = null;
        for (Throwable cause = e;
                cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            boolean wrapper =
                    cause.getCause() != null
                            && String.valueOf(cause.getMessage())
                                    .equals(cause.getCause().toString());
            if (wrapper) {
                continue;
            }
            firstUnwrapped = firstUnwrapped == null ? cause : firstUnwrapped;
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                telling = cause;
            }
        }
        Throwable chosen = telling != null ? telling : firstUnwrapped != null ? firstUnwrapped : e;
        String message = chosen.getMessage();
        if ((chosen instanceof ServerException || chosen instanceof MalformedAnswerException)
                && message != null) {
            return message.replaceAll(
                    "\\s+", " "); // already says what happened, e.g. "HTTP 503: ..."
        }
        return chosen.getClass().getSimpleName()
                + (message == null || message.isBlank()
                        ? ""
                        : ": " + message.replaceAll("\\s+", " "));
    }

    /**
     * The HTTP status of the first error answer in the chain, or 0 when the failure is no HTTP
     * answer.
     */
    public static int httpStatus(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerException http) {
                return http.statusCode();
            }
        }
        return 0;
    }
}
