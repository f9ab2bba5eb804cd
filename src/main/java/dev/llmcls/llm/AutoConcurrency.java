package dev.llmcls.llm;

import java.util.List;

/**
 * The default number of requests in flight, picked from what the server says it is. A batching server's wall time is
 * set by how full its batch is kept, so the client must keep at least a batch's worth of requests in flight; requests
 * beyond the batch wait in the server's queue, which costs the server nothing. Other servers get the conservative 64.
 */
public final class AutoConcurrency {
    /**
     * For vLLM: its largest default batch ({@code --max-num-seqs} is 1024 by default on GPUs with 70 GiB or more, 256
     * on smaller ones, and {@code scripts/serve-vllm.sh} sets 256), so every default batch is kept full.
     */
    public static final int VLLM = 1024;
    /**
     * For anything else (Ollama, llama.cpp, hosted APIs): below Ollama's default queue limit (512, beyond which it
     * answers 503) and hosted APIs' usual rate limits.
     */
    public static final int OTHER = 64;

    private AutoConcurrency() {
    }

    /** The concurrency for a server whose {@code GET /v1/models} lists models owned by {@code owners}. */
    public static int forServer(List<String> owners) {
        return !owners.isEmpty() && owners.stream().allMatch("vllm"::equalsIgnoreCase) ? VLLM : OTHER;
    }

    /** Why {@link #forServer} picked what it did, for the log. */
    public static String reason(List<String> owners) {
        return forServer(owners) == VLLM
                ? "vLLM batches up to " + VLLM + " requests by default; more wait in its queue"
                : "the server is not vLLM (models owned by " + owners + ")";
    }
}
