package dev.llmcls.run;

import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.ServerInfo;
import dev.llmcls.llm.concurrency.AdaptiveLimit;
import dev.llmcls.llm.concurrency.AutoConcurrency;
import dev.llmcls.llm.concurrency.FixedLimit;
import dev.llmcls.llm.concurrency.LimitAlgorithm;
import dev.llmcls.llm.concurrency.LimitedBackend;
import dev.llmcls.llm.concurrency.Limiter;
import dev.llmcls.llm.concurrency.LimiterRegistry;
import dev.llmcls.llm.concurrency.ReplicaPool;
import dev.llmcls.llm.openai.OpenAiBackend;
import dev.llmcls.llm.openai.ServerProbe;
import dev.llmcls.runfile.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The servers a prompting run talks to, checked before anything is sent: the model they serve, the
 * backend (one server as it is; several as a pool that spreads the load and routes around a failing
 * replica), and the requests in flight in all: at most {@code workers}, and at any moment {@link
 * #limit()}. {@code limiters} holds each server's {@link Limiter}, the one count of its requests in
 * flight (its limit changes while the run goes under {@code --concurrency auto}).
 */
record Connection(
        String model,
        ChatBackend backend,
        int workers,
        List<Limiter> limiters,
        ServerProbe.Result probe,
        String setting) {
    /**
     * Checks the servers and opens a connection to them. It holds no answer store: each run puts
     * its own in the options of its requests ({@link dev.llmcls.llm.ChatOptions#withMemory}), so
     * that runs sharing a connection (an experiment's cells) each find and keep answers in their
     * own store session.
     */
    static Connection open(ClassifyConfig.Servers servers, Consumer<String> log) {
        return open(servers, log, new LimiterRegistry());
    }

    /**
     * As {@link #open(ClassifyConfig.Servers, Consumer)}, taking each server's limiter from {@code
     * shared}: runs in one JVM that are given the same registry send to a server under one limit
     * (the first run's kind of limit).
     */
    static Connection open(
            ClassifyConfig.Servers servers, Consumer<String> log, LimiterRegistry shared) {
        List<OpenAiBackend> replicas = servers.replicas().stream().map(OpenAiBackend::new).toList();
        ServerProbe.Result probe = ServerProbe.check(replicas, servers.model());
        probe.warnings().forEach(log);
        List<Limiter> limiters = new ArrayList<>();
        int perReplica;
        java.util.function.Function<String, LimitAlgorithm> algorithm;
        if (servers.concurrency() != null) {
            perReplica = fixedConcurrency(servers.concurrency(), probe, log);
            algorithm = name -> new FixedLimit(perReplica);
        } else {
            AutoConcurrency.Choice picked =
                    AutoConcurrency.pick(
                            new AutoConcurrency.Facts(probe.owners(), probe.totalSlots()));
            log.accept(
                    "concurrency: "
                            + picked.perServer()
                            + " per server (auto: "
                            + picked.reason()
                            + ")");
            perReplica = picked.ceiling();
            var settings =
                    new AdaptiveLimit.Settings(
                            picked.perServer(),
                            picked.ceiling(),
                            picked.learn(),
                            servers.replicas().get(0).readTimeout());
            algorithm = name -> new AdaptiveLimit(settings, name, log);
        }
        for (OpenAiBackend replica : replicas) {
            String name = replicas.size() == 1 ? "" : replica.server().baseUrl();
            limiters.add(
                    shared.limiter(
                            replica.server().baseUrl(),
                            () -> new Limiter(name, algorithm.apply(name), System::nanoTime)));
        }
        return new Connection(
                probe.model(),
                backend(replicas, probe, limiters, log),
                perReplica * replicas.size(),
                List.copyOf(limiters),
                probe,
                servers.concurrency() == null ? "auto" : Integer.toString(servers.concurrency()));
    }

    /**
     * What kind of server this is (vLLM, llama.cpp, ...), which some methods shape their requests
     * for.
     */
    ServerInfo.Kind kind() {
        return probe.kind();
    }

    /** The requests that may be in flight now, over all servers. */
    IntSupplier limit() {
        return () -> {
            int sum = 0;
            for (Limiter limiter : limiters) {
                sum += limiter.limit();
            }
            return sum;
        };
    }

    /**
     * A given --concurrency. A number above the slots a server reports is kept, with a warning: the
     * extra requests wait in the server's queue, and that wait counts against --timeout.
     */
    private static int fixedConcurrency(
            int concurrency, ServerProbe.Result probe, Consumer<String> log) {
        Integer slots = probe.totalSlots();
        if (slots != null && concurrency > slots) {
            log.accept(
                    "warning: --concurrency "
                            + concurrency
                            + " is more than the "
                            + slots
                            + " slots the server reports; the rest wait in its queue and that wait"
                            + " counts against --timeout (--concurrency auto uses the slot count)");
        }
        return concurrency;
    }

    private static ChatBackend backend(
            List<OpenAiBackend> replicas,
            ServerProbe.Result probe,
            List<Limiter> limiters,
            Consumer<String> log) {
        if (replicas.size() == 1) {
            return new LimitedBackend(replicas.get(0), limiters.get(0));
        }
        List<String> names = replicas.stream().map(r -> r.server().baseUrl()).toList();
        Predicate<Throwable> atFault = failure -> FailureKind.of(failure).serverDown();
        var pool = new ReplicaPool(replicas, names, limiters, atFault);
        for (int index : probe.unreachable()) {
            log.accept(
                    "warning: "
                            + replicas.get(index).server().baseUrl()
                            + " does not answer; set aside for now");
            pool.setAside(index);
        }
        return pool;
    }

    private boolean auto() {
        return "auto".equals(setting);
    }

    /**
     * What {@code --concurrency} came to, for the manifest: the setting, and each server's limit
     * under auto.
     */
    Manifest.Concurrency concurrencyRecord() {
        return new Manifest.Concurrency(
                setting, auto() ? limiters.stream().map(Limiter::report).toList() : List.of());
    }

    /**
     * Says how the requests were spread when there were several servers, and where auto's limits
     * ended.
     */
    void reportUsage(Consumer<String> log) {
        if (backend instanceof ReplicaPool pool) {
            log.accept("requests per server: " + String.join(", ", pool.usage()));
        }
        for (Limiter limiter : auto() ? limiters : List.<Limiter>of()) {
            LimitAlgorithm.Report report = limiter.report();
            log.accept(
                    "concurrency"
                            + (limiter.name().isEmpty() ? "" : " " + limiter.name())
                            + ": auto settled at "
                            + report.settled()
                            + " (started at "
                            + report.initial()
                            + ", highest "
                            + report.highest()
                            + ", "
                            + report.backoffs()
                            + " back-offs; path "
                            + report.path()
                            + ")");
        }
    }
}
