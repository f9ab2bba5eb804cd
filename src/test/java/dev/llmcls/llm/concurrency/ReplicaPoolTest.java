package dev.llmcls.llm.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.ServerException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReplicaPoolTest {
    private static final ChatOptions OPTIONS =
            ChatOptions.of("m", new Sampling(0, 16, null, List.of()));

    /**
     * A replica that counts its calls and in-flight peak, optionally blocking until released or
     * always failing.
     */
    private static final class CountingReplica implements ChatBackend {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final CountDownLatch release;
        final CountDownLatch arrived;
        final boolean failing;

        CountingReplica(CountDownLatch release, boolean failing) {
            this(release, new CountDownLatch(0), failing);
        }

        /**
         * @param arrived counted down by each call as it reaches this replica
         */
        CountingReplica(CountDownLatch release, CountDownLatch arrived, boolean failing) {
            this.release = release;
            this.arrived = arrived;
            this.failing = failing;
        }

        @Override
        public Completion complete(String prompt, ChatOptions options) {
            calls.incrementAndGet();
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            arrived.countDown();
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
        var arrived = new CountDownLatch(6);
        var a = new CountingReplica(release, arrived, false);
        var b = new CountingReplica(release, arrived, false);
        var pool = new ReplicaPool(List.of(a, b), List.of("a", "b"), 3, failure -> true);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            callers.execute(() -> pool.complete("p", OPTIONS));
        }
        // 6 calls reach the replicas, 2 wait for a free slot
        assertTrue(arrived.await(5, TimeUnit.SECONDS), "six calls reach the replicas");
        assertEquals(
                6,
                a.calls.get() + b.calls.get(),
                "the other two wait while both replicas are full");
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
        var pool =
                new ReplicaPool(
                        List.of(broken, healthy), List.of("broken", "healthy"), 4, failure -> true);
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            try {
                pool.complete("p", OPTIONS);
            } catch (ServerException e) {
                failures++;
            }
        }
        assertEquals(
                ReplicaPool.FAILURES_BEFORE_SET_ASIDE,
                broken.calls.get(),
                "set aside after three failures");
        assertEquals(ReplicaPool.FAILURES_BEFORE_SET_ASIDE, failures);
        assertEquals(100 - failures, healthy.calls.get());
    }

    /** Defect: this used one replica, so "first" was never tested. */
    @Test
    void whenEveryReplicaIsAsideTheOneDueBackFirstIsTried() {
        var later = new CountingReplica(null, true);
        var sooner = new CountingReplica(null, true);
        var pool =
                new ReplicaPool(
                        List.of(later, sooner), List.of("later", "sooner"), 4, failure -> true);
        pool.setAside(0);
        pool.setAside(0); // set aside twice: its pause doubles, to 10 s
        pool.setAside(1); // 5 s: due back first
        for (int i = 0; i < 2; i++) {
            assertThrows(ServerException.class, () -> pool.complete("p", OPTIONS));
        }
        assertEquals(2, sooner.calls.get(), "the replica due back first gets the probing requests");
        assertEquals(0, later.calls.get());
    }

    @Test
    void aLoneReplicaSetAsideIsStillTried() {
        var broken = new CountingReplica(null, true);
        var pool = new ReplicaPool(List.of(broken), List.of("only"), 4, failure -> true);
        for (int i = 0; i < 5; i++) {
            assertThrows(ServerException.class, () -> pool.complete("p", OPTIONS));
        }
        assertEquals(
                5,
                broken.calls.get(),
                "a lone replica is never starved: the run's own backoff paces it");
    }
}
