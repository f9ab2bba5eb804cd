package dev.llmcls.llm;

/**
 * Answers kept from earlier requests, which {@link OpenAiBackend#complete} asks before it sends a
 * request body and tells each new answer it reads. The one step it sees is (exact request body
 * &rarr; answer body); what else decides an answer (the server's model identity) and whether an
 * answer may be reused is the implementation's business. Safe to call from many threads.
 */
public interface AnswerMemory {
    /** Keeps nothing and finds nothing: what a backend uses until it is told otherwise. */
    AnswerMemory NONE =
            new AnswerMemory() {
                @Override
                public Recalled recall(String requestBody) {
                    return null;
                }

                @Override
                public void keep(String requestBody, String answerBody) {}
            };

    /** The answer kept for exactly this request body, or null to send it. */
    Recalled recall(String requestBody);

    /**
     * Keeps the answer the server gave to this request body (called only for answers that were read
     * without fault).
     */
    void keep(String requestBody, String answerBody);

    /** A kept answer body and {@code from}, the id of the run that first got it. */
    record Recalled(String answerBody, String from) {}
}
