/**
 * How many requests are in flight: the adaptive limit that learns a server's throughput
 * ({@link dev.llmcls.llm.concurrency.AdaptiveLimit}), {@code --concurrency auto}'s defaults
 * ({@link dev.llmcls.llm.concurrency.AutoConcurrency}), the pool of replicas that sends each request to the least busy
 * server ({@link dev.llmcls.llm.concurrency.ReplicaPool}) and the backend that holds a request to its limit
 * ({@link dev.llmcls.llm.concurrency.LimitedBackend}).
 *
 * <p>May depend on {@code core} and {@code llm}.
 */
package dev.llmcls.llm.concurrency;
