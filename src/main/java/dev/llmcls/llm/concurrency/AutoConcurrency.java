package dev.llmcls.llm.concurrency;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code --concurrency auto} starts from, picked from what the server says about itself. Each
 * rule below looks at what the start-up probe learnt ({@link Facts}) and either decides or passes;
 * the first that decides wins.
 *
 * <ol>
 *   <li>The server reports its capacity (llama-server's {@code GET /props} {@code total_slots}):
 *       exactly that many, and never more. llama-server queues requests beyond its slots, and a
 *       queued request's wait would count against {@code --timeout}; with no more in flight than
 *       slots, no request waits for a slot.
 *   <li>A continuous-batching server that names itself in {@code owned_by} (vLLM, SGLang): its wall
 *       time is set by how full its batch is kept, so the client keeps vLLM's largest default batch
 *       in flight; requests beyond the batch wait in its queue at no cost. (SGLang's default batch
 *       is larger still: its running-request cap is 2,048-4,096, from its KV pool.)
 *   <li>Anything else (Ollama, TGI, a hosted API): learn its capacity while running ({@link
 *       AdaptiveLimit}), starting from {@link #LEARN_FROM} and going up to {@link
 *       AdaptiveLimit#CEILING}.
 * </ol>
 *
 * In every case the limit backs off when the server refuses requests for load (429, 503).
 */
public final class AutoConcurrency {
    /**
     * For vLLM and SGLang: vLLM's largest default batch ({@code --max-num-seqs} is 1024 by default
     * on GPUs with 70 GiB or more, 256 on smaller ones, and {@code scripts/serve-vllm.sh} sets
     * 256), so every default batch is kept full. SGLang's scheduler runs up to {@code
     * --max-running-requests}, by default min(max(KV tokens / context length x 512, 2048), 4096)
     * and at most half its KV tokens (its {@code model_runner}), so this fills it wherever a
     * thousand short classification requests fit its KV cache.
     */
    public static final int VLLM = 1024;

    /**
     * The servers that say who they are in {@code /v1/models}' {@code owned_by} (vLLM: "vllm",
     * SGLang: "sglang", each its {@code ModelCard} default) and batch continuously.
     */
    static final Set<String> BATCHING = Set.of("vllm", "sglang");

    /**
     * Where learning starts: few enough that a server which queues without batching (Ollama, a
     * llama-server that does not report its slots) keeps its queue short while the limit finds out,
     * many enough that a large batch fills in a few rounds.
     */
    public static final int LEARN_FROM = 32;

    /** Workers of the in-process (embedded) modes under {@code --concurrency auto}. */
    public static final int IN_PROCESS = 64;

    /**
     * What the probe learnt: who owns the listed models, and the server's slot count (null when not
     * reported).
     */
    public record Facts(List<String> owners, Integer totalSlots) {
        public Facts {
            owners = List.copyOf(owners);
        }
    }

    /**
     * A pick and why, for the log: start at {@code perServer}, never above {@code ceiling}; {@code
     * learn} says whether the limit learns from throughput (else it holds the server's own figure
     * and only backs off on overload).
     */
    public record Choice(int perServer, int ceiling, boolean learn, String reason) {}

    private interface Rule {
        Choice decide(Facts facts); // null: no opinion
    }

    private static final List<Rule> RULES =
            List.of(
                    facts ->
                            facts.totalSlots() == null
                                    ? null
                                    : new Choice(
                                            facts.totalSlots(),
                                            facts.totalSlots(),
                                            false,
                                            "the server reports "
                                                    + facts.totalSlots()
                                                    + " slots (GET /props total_slots); more"
                                                    + " requests would wait in its queue, where"
                                                    + " --timeout counts the wait"),
                    facts ->
                            !facts.owners().isEmpty()
                                            && facts.owners().stream()
                                                    .map(owner -> owner.toLowerCase(Locale.ROOT))
                                                    .allMatch(BATCHING::contains)
                                    ? new Choice(
                                            VLLM,
                                            VLLM,
                                            false,
                                            "models owned by "
                                                    + facts.owners()
                                                    + ", a continuous-batching server: "
                                                    + VLLM
                                                    + " in flight keep its default batch"
                                                    + " full; more wait in its queue")
                                    : null,
                    facts ->
                            new Choice(
                                    LEARN_FROM,
                                    AdaptiveLimit.CEILING,
                                    true,
                                    "models owned by "
                                            + facts.owners()
                                            + ", no slot count reported: learning the server's"
                                            + " capacity from its throughput, from "
                                            + LEARN_FROM
                                            + " up to "
                                            + AdaptiveLimit.CEILING));

    private AutoConcurrency() {}

    public static Choice pick(Facts facts) {
        for (Rule rule : RULES) {
            Choice choice = rule.decide(facts);
            if (choice != null) {
                return choice;
            }
        }
        throw new IllegalStateException("the last rule always decides");
    }
}
