package dev.llmcls.llm;

import java.util.List;

/**
 * The default number of requests in flight, picked from what the server says about itself. Each rule below looks at
 * what the start-up probe learnt ({@link Facts}) and either decides or passes; the first that decides wins, so a new
 * source of knowledge (e.g. adapting to measured latency for servers that say nothing) is one more rule.
 *
 * <ol>
 *   <li>The server reports its capacity (llama-server's {@code GET /props} {@code total_slots}): exactly that many.
 *       llama-server queues requests beyond its slots, and a queued request's wait would count against
 *       {@code --timeout}; with no more in flight than slots, no request waits for a slot, so none times out because
 *       of the queue.</li>
 *   <li>vLLM: a batching server's wall time is set by how full its batch is kept, so the client keeps its largest
 *       default batch in flight; requests beyond the batch wait in its queue at no cost.</li>
 *   <li>Anything else: the conservative 64.</li>
 * </ol>
 */
public final class AutoConcurrency {
    /**
     * For vLLM: its largest default batch ({@code --max-num-seqs} is 1024 by default on GPUs with 70 GiB or more, 256
     * on smaller ones, and {@code scripts/serve-vllm.sh} sets 256), so every default batch is kept full.
     */
    public static final int VLLM = 1024;
    /**
     * For anything else (Ollama, hosted APIs): below Ollama's default queue limit (512, beyond which it answers 503)
     * and hosted APIs' usual rate limits.
     */
    public static final int OTHER = 64;

    /** What the probe learnt: who owns the listed models, and the server's slot count (null when not reported). */
    public record Facts(List<String> owners, Integer totalSlots) {
        public Facts {
            owners = List.copyOf(owners);
        }
    }

    /** A pick and why, for the log. */
    public record Choice(int perServer, String reason) {
    }

    private interface Rule {
        Choice decide(Facts facts); // null: no opinion
    }

    private static final List<Rule> RULES = List.of(
            facts -> facts.totalSlots() == null ? null : new Choice(facts.totalSlots(), "the server reports "
                    + facts.totalSlots() + " slots (GET /props total_slots); more requests would wait in its queue, "
                    + "where --timeout counts the wait"),
            facts -> !facts.owners().isEmpty() && facts.owners().stream().allMatch("vllm"::equalsIgnoreCase)
                    ? new Choice(VLLM, "vLLM batches up to " + VLLM + " requests by default; more wait in its queue")
                    : null,
            facts -> new Choice(OTHER, "the server is not vLLM (models owned by " + facts.owners()
                    + ") and reports no slot count"));

    private AutoConcurrency() {
    }

    public static Choice pick(Facts facts) {
        for (Rule rule : RULES) {
            Choice choice = rule.decide(facts);
            if (choice != null) {
                return choice;
            }
        }
        throw new IllegalStateException("the last rule always decides");
    }

    /** The concurrency for a server whose {@code GET /v1/models} lists models owned by {@code owners}. */
    public static int forServer(List<String> owners) {
        return pick(new Facts(owners, null)).perServer();
    }

    /** Why {@link #forServer} picked what it did, for the log. */
    public static String reason(List<String> owners) {
        return pick(new Facts(owners, null)).reason();
    }
}
