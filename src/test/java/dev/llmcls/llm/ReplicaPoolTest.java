package dev.llmcls.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplicaPoolTest {
    private static final ChatOptions OPTIONS = ChatOptions.of("m", new Sampling(0, 16, null, List.of()));

    /** A replica that counts its calls and in-flight peak, optionally blocking until released or always failing. */
    private static final class CountingReplica implements ChatBackend {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final CountDownLatch release;
        final boolean failing;

        CountingReplica(CountDownLatch release, boolean failing) {
            this.release = release;
            this.failing = failing;
        }

        @Override
        public Completion complete(String prompt, ChatOptions options) {
            calls.incrementAndGet();
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (release != null) {
                    release.await(5, TimeUnit.SECONDS);
                }
                if (failing) {
                    throw new ServerException(503, "HTTP 503: down", null);
                }
                return Completion.single("ok", "stop", 1, 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void spreadsLoadEvenlyAndNeverExceedsTheLimitPerReplica() throws Exception {
        var release = new CountDownLatch(1);
        var a = new CountingReplica(release, false);
        var b = new CountingReplica(release, false);
        var pool = new ReplicaPool(List.of(a, b), List.of("a", "b"), 3, failure -> true);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            callers.execute(() -> pool.complete("p", OPTIONS));
        }
        Thread.sleep(300); // 6 calls reach the replicas, 2 wait for a free slot
        assertEquals(3, a.inFlight.get());
        assertEquals(3, b.inFlight.get());
        release.countDown();
        callers.shutdown();
        assertTrue(callers.awaitTermination(5, TimeUnit.SECONDS));
        assertEquals(8, a.calls.get() + b.calls.get());
        assertEquals(3, a.peak.get());
        assertEquals(3, b.peak.get());
    }

    @Test
    void replicaThatKeepsFailingIsSetAside() {
        var healthy = new CountingReplica(null, false);
        var broken = new CountingReplica(null, true);
        var pool = new ReplicaPool(List.of(broken, healthy), List.of("broken", "healthy"), 4, failure -> true);
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            try {
                pool.complete("p", OPTIONS);
            } catch (ServerException e) {
                failures++;
            }
        }
        assertEquals(ReplicaPool.FAILURES_BEFORE_SET_ASIDE, broken.calls.get(), "set aside after three failures");
        assertEquals(ReplicaPool.FAILURES_BEFORE_SET_ASIDE, failures);
        assertEquals(100 - failures, healthy.calls.get());
    }

    @Test
    void whenEveryReplicaIsAsideTheOneDueBackFirstIsTried() {
        var broken = new CountingReplica(null, true);
        var pool = new ReplicaPool(List.of(broken), List.of("only"), 4, failure -> true);
        for (int i = 0; i < 5; i++) {
            assertThrows(ServerException.class, () -> pool.complete("p", OPTIONS));
        }
        assertEquals(5, broken.calls.get(), "a lone replica is never starved: the run's own backoff paces it");
    }
}
