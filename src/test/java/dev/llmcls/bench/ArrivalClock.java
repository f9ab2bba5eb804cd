package dev.llmcls.bench;

import dev.llmcls.testing.FakeOpenAiServer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An instant engine that notes when the first and the last chat request arrived and how many came.
 */
final class ArrivalClock implements FakeOpenAiServer.Engine {
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong count = new AtomicLong();

    @Override
    public void serve(FakeOpenAiServer.ChatRequest request) {
        long now = System.nanoTime();
        first.compareAndSet(0, now);
        last.set(now);
        count.incrementAndGet();
    }

    long firstNanos() {
        return first.get();
    }

    long lastNanos() {
        return last.get();
    }

    long count() {
        return count.get();
    }
}
