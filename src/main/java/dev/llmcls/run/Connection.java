package dev.llmcls.run;

import dev.llmcls.llm.AutoConcurrency;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.OpenAiBackend;
import dev.llmcls.llm.ReplicaPool;
import dev.llmcls.llm.ServerInfo;
import dev.llmcls.llm.ServerProbe;
import java.util.List;
import java.util.function.Consumer;

/**
 * The servers a prompting run talks to, checked before anything is sent: the model they serve, the backend (one
 * server as it is; several as a pool that spreads the load and routes around a failing replica) and the requests
 * in flight in all.
 */
record Connection(String model, ChatBackend backend, int workers, ServerProbe.Result probe) {
    static Connection open(ClassifyConfig.Servers servers, Consumer<String> log) {
        List<OpenAiBackend> replicas = servers.replicas().stream().map(OpenAiBackend::new).toList();
        ServerProbe.Result probe = ServerProbe.check(replicas, servers.model());
        probe.warnings().forEach(log);
        int perReplica = concurrencyPerReplica(servers, probe, log);
        return new Connection(probe.model(), backend(replicas, probe, perReplica, log), perReplica * replicas.size(),
                probe);
    }

    /** What kind of server this is (vLLM, llama.cpp, ...), which some methods shape their requests for. */
    ServerInfo.Kind kind() {
        return probe.kind();
    }

    /**
     * Requests in flight per server: the --concurrency given, or the pick for this kind of server. A given number
     * above the slots a server reports is kept, with a warning: the extra requests wait in the server's queue, and
     * that wait counts against --timeout.
     */
    private static int concurrencyPerReplica(ClassifyConfig.Servers servers, ServerProbe.Result probe,
            Consumer<String> log) {
        Integer slots = probe.totalSlots();
        if (servers.concurrency() != null) {
            if (slots != null && servers.concurrency() > slots) {
                log.accept("warning: --concurrency " + servers.concurrency() + " is more than the " + slots
                        + " slots the server reports; the rest wait in its queue and that wait counts against "
                        + "--timeout (--concurrency auto uses the slot count)");
            }
            return servers.concurrency();
        }
        AutoConcurrency.Choice picked = AutoConcurrency.pick(new AutoConcurrency.Facts(probe.owners(), slots));
        log.accept("concurrency: " + picked.perServer() + " per server (auto: " + picked.reason() + ")");
        return picked.perServer();
    }

    private static ChatBackend backend(List<OpenAiBackend> replicas, ServerProbe.Result probe, int perReplica,
            Consumer<String> log) {
        if (replicas.size() == 1) {
            return replicas.get(0);
        }
        var pool = new ReplicaPool(replicas, replicas.stream().map(r -> r.server().baseUrl()).toList(),
                perReplica, failure -> FailureKind.of(failure).serverDown());
        for (int index : probe.unreachable()) {
            log.accept("warning: " + replicas.get(index).server().baseUrl() + " does not answer; set aside for now");
            pool.setAside(index);
        }
        return pool;
    }

    /** Says how the requests were spread when there were several servers. */
    void reportUsage(Consumer<String> log) {
        if (backend instanceof ReplicaPool pool) {
            log.accept("requests per server: " + String.join(", ", pool.usage()));
        }
    }
}
