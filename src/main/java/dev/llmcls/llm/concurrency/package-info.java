/**
 * How many requests are in flight: one {@link dev.llmcls.llm.concurrency.Limiter} per server counts
 * them and hands out permits within its {@link dev.llmcls.llm.concurrency.LimitAlgorithm} (fixed,
 * AIMD, or the adaptive limit that learns a server's throughput, {@link
 * dev.llmcls.llm.concurrency.AdaptiveLimit}); runs in one JVM share a server's limiter through a
 * {@link dev.llmcls.llm.concurrency.LimiterRegistry}; {@code --concurrency auto}'s defaults ({@link
 * dev.llmcls.llm.concurrency.AutoConcurrency}), the pool of replicas that sends each request to the
 * least busy server ({@link dev.llmcls.llm.concurrency.ReplicaPool}) and the backend that holds a
 * request to its limit ({@link dev.llmcls.llm.concurrency.LimitedBackend}).
 *
 * <p>May depend on {@code core} and {@code llm}.
 */
package dev.llmcls.llm.concurrency;
