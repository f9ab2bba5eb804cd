package dev.llmcls.run;

import dev.llmcls.llm.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the runs of one study (an experiment's cells, run in one process) share: one connection per
 * server, checked once, with one limit of requests in flight ({@link ServerGate}) that all cells on
 * it go through, so {@code --concurrency auto} learns the server once and the server stays full
 * across cells; one stop for all (a signal stops every cell, and no new one starts); and each
 * running cell's live counters, for one progress display.
 */
public final class StudyContext {
    /**
     * Cells share a server when they send to the same replicas, ask for the same model and the same
     * concurrency.
     */
    record ServerKey(List<Endpoint> replicas, String model, Integer concurrency) {
        static ServerKey of(ClassifyConfig.Servers servers) {
            return new ServerKey(
                    servers.replicas().stream().map(Endpoint::of).toList(),
                    servers.model(),
                    servers.concurrency());
        }
    }

    /**
     * A server as a value: its URL, its timeouts and a digest of its key (never the key itself).
     */
    record Endpoint(
            String baseUrl,
            String keyDigest,
            java.time.Duration connectTimeout,
            java.time.Duration readTimeout) {
        static Endpoint of(ServerConfig server) {
            return new Endpoint(
                    server.baseUrl(),
                    server.apiKey() == null ? null : dev.llmcls.core.Sha256.hex(server.apiKey()),
                    server.connectTimeout(),
                    server.readTimeout());
        }
    }

    private record Shared(Connection connection, ServerGate gate) {}

    /**
     * A cell of the study: its place in the study's order (lower goes first at a shared server) and
     * its name.
     */
    public record Member(StudyContext study, int priority, String name) {}

    private final Map<ServerKey, CompletableFuture<Shared>> servers = new ConcurrentHashMap<>();
    private final Set<ExampleRunner> runners = ConcurrentHashMap.newKeySet();
    private final Map<String, RunStats> live = new ConcurrentHashMap<>();
    private volatile String stopReason;

    /**
     * The key of the server a run with these settings talks to; cells with equal keys share one
     * limit.
     */
    public static Object serverKey(ClassifyConfig.Servers servers) {
        return ServerKey.of(servers);
    }

    /**
     * The shared connection to these servers, opened (and checked) by the first cell that asks; a
     * failed check is not kept, so the next cell checks again. The backend it returns goes through
     * the server's gate at {@code priority}. It holds no answer store: each cell puts its own in
     * its requests' options.
     */
    Connection connect(ClassifyConfig.Servers settings, Consumer<String> log, int priority) {
        ServerKey key = ServerKey.of(settings);
        CompletableFuture<Shared> created = new CompletableFuture<>();
        CompletableFuture<Shared> existing = servers.putIfAbsent(key, created);
        Shared shared;
        if (existing == null) {
            try {
                Connection connection = Connection.open(settings, log);
                shared = new Shared(connection, new ServerGate(connection.limit()));
                created.complete(shared);
            } catch (RuntimeException e) {
                servers.remove(key, created);
                created.completeExceptionally(e);
                throw e;
            }
        } else {
            try {
                shared = existing.join();
            } catch (CompletionException e) {
                return connect(settings, log, priority); // its opener failed: check again
            }
        }
        Connection c = shared.connection();
        return new Connection(
                c.model(),
                shared.gate().view(c.backend(), priority),
                c.workers(),
                c.limiters(),
                c.probe(),
                c.setting());
    }

    /**
     * Adds a cell's runner to those a stop reaches; false (and nothing added) when the study is
     * stopping already.
     */
    boolean register(String name, ExampleRunner runner, RunStats stats) {
        runners.add(runner);
        live.put(name, stats);
        if (stopReason != null) {
            runner.requestStop(stopReason);
            return false;
        }
        return true;
    }

    void unregister(String name, ExampleRunner runner) {
        runners.remove(runner);
        live.remove(name);
    }

    /**
     * Stops every running cell (they finish their requests in flight within their grace) and starts
     * no new one.
     */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        runners.forEach(runner -> runner.requestStop(reason));
    }

    /** Why the study was asked to stop, or null. */
    public String stopReason() {
        return stopReason;
    }

    /** The counters of the cells running now, by cell name (a copy). */
    public Map<String, RunStats> running() {
        return Map.copyOf(live);
    }

    /**
     * The most requests that were in flight at once to each server (in the order the servers were
     * first used).
     */
    public List<Integer> highestInFlight() {
        List<Integer> highest = new ArrayList<>();
        servers.values()
                .forEach(
                        future -> {
                            if (future.isDone() && !future.isCompletedExceptionally()) {
                                highest.add(future.join().gate().highest());
                            }
                        });
        return highest;
    }
}
