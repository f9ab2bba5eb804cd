package dev.llmcls.llm;

/**
 * Answers kept from earlier requests, which {@link dev.llmcls.llm.openai.OpenAiBackend#complete}
 * asks before it sends a request body, and tells the new answer it reads. The one step it sees is
 * (exact request body &rarr; answer body); what else decides an answer (the server's model
 * identity) and whether an answer may be reused is the implementation's business. Safe to call from
 * many threads. A run puts its memory in its requests' {@link ChatOptions#memory() options}.
 */
public interface AnswerMemory {
    /** Keeps nothing and finds nothing: what a request carries unless told otherwise. */
    AnswerMemory NONE = (requestBody, sampled) -> Lookup.NONE;

    /**
     * Looks up the answer kept for exactly this request body, the UTF-8 bytes sent (the memory may
     * keep the array: it is never changed after). {@code sampled}: whether an answer to it is a
     * draw (a temperature above 0 without a seed), which is kept but reused only when asked, since
     * reuse would make replicates identical.
     */
    Lookup lookUp(byte[] requestBody, boolean sampled);

    /**
     * What the memory found for one request body, and where the answer to it is kept: one lookup
     * per request, so that what the body's key costs (a hash of the whole body) is paid once.
     */
    interface Lookup {
        /** Found nothing, keeps nothing. */
        Lookup NONE =
                new Lookup() {
                    @Override
                    public Recalled recalled() {
                        return null;
                    }

                    @Override
                    public void keep(String answerBody) {}
                };

        /** The answer kept for the body, or null to send it. */
        Recalled recalled();

        /** Keeps the answer the server gave (called only for answers read without fault). */
        void keep(String answerBody);
    }

    /** A kept answer body and {@code from}, the id of the run that first got it. */
    record Recalled(String answerBody, String from) {}
}
