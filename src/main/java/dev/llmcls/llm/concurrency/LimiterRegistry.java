package dev.llmcls.llm.concurrency;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One {@link Limiter} per server, keyed by its base URL, for runs that share servers: an
 * experiment's cells run against one server under one limit (the server's capacity is one, whoever
 * sends). The first run to ask for a server's limiter makes it; later runs get the same one,
 * whatever limit they would have made.
 */
public final class LimiterRegistry {
    private final ConcurrentMap<String, Limiter> limiters = new ConcurrentHashMap<>();

    /**
     * The limiter of the server at {@code baseUrl}, made by {@code create} when there is none yet.
     */
    public Limiter limiter(String baseUrl, Supplier<Limiter> create) {
        return limiters.computeIfAbsent(key(baseUrl), key -> create.get());
    }

    private static String key(String baseUrl) {
        String key = baseUrl.strip();
        while (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        return key;
    }
}
