package dev.llmcls.llm.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.ServerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The limiter counts the requests in flight and hands out permits within its algorithm's limit. */
class LimiterTest {
    private long now;

    private Limiter fixed(int limit) {
        return new Limiter("", new FixedLimit(limit), () -> now);
    }

    @Test
    void permitsStopAtTheLimitAndComeBackWithTheirOutcome() {
        Limiter limiter = fixed(2);
        Limiter.Permit a = limiter.tryAcquire();
        Limiter.Permit b = limiter.tryAcquire();
        assertNotNull(a);
        assertNotNull(b);
        assertNull(limiter.tryAcquire(), "two in flight: no third");
        assertEquals(2, limiter.inFlight());
        a.answered();
        a.failed(); // a permit returns once
        assertEquals(1, limiter.inFlight());
        assertNotNull(limiter.tryAcquire());
    }

    @Test
    void waitersGetPermitsInTheOrderTheyAskedAndACancelledOneGivesUpItsPlace() {
        Limiter limiter = fixed(1);
        Limiter.Permit first = limiter.acquire().join();
        CompletableFuture<Limiter.Permit> second = limiter.acquire();
        CompletableFuture<Limiter.Permit> third = limiter.acquire();
        CompletableFuture<Limiter.Permit> fourth = limiter.acquire();
        assertFalse(second.isDone());
        assertNull(limiter.tryAcquire(), "others wait already");
        third.cancel(false);
        first.answered();
        assertTrue(second.isDone());
        assertFalse(fourth.isDone());
        second.join().completed(new ServerException(500, "HTTP 500", null));
        assertTrue(fourth.isDone(), "the cancelled waiter was skipped");
        assertEquals(1, limiter.inFlight());
        fourth.join().abandon();
        assertEquals(0, limiter.inFlight());
    }

    @Test
    void anInterruptedWaitLeavesNoPermitBehind() throws Exception {
        Limiter limiter = fixed(1);
        Limiter.Permit held = limiter.tryAcquire();
        var interrupted = new CompletableFuture<Boolean>();
        Thread waiter =
                new Thread(
                        () -> {
                            try {
                                limiter.acquireBlocking();
                                interrupted.complete(false);
                            } catch (InterruptedException e) {
                                interrupted.complete(true);
                            }
                        });
        waiter.start();
        while (waiter.getState() != Thread.State.WAITING && waiter.isAlive()) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        assertTrue(interrupted.get());
        held.answered();
        assertEquals(0, limiter.inFlight());
        assertNotNull(limiter.tryAcquire(), "the permit went to nobody who left");
    }

    @Test
    void refusalsAndTimeoutsReachTheAlgorithmAsOverload() {
        var samples = new ArrayList<LimitAlgorithm.Sample>();
        var recording =
                new Limiter(
                        "",
                        new LimitAlgorithm() {
                            @Override
                            public int limit() {
                                return 4;
                            }

                            @Override
                            public long onSend(long at, int inFlight) {
                                return 7;
                            }

                            @Override
                            public void onSample(Sample sample) {
                                samples.add(sample);
                            }

                            @Override
                            public Report report() {
                                return new FixedLimit(4).report();
                            }
                        },
                        () -> now);
        Limiter.Permit refused = recording.tryAcquire();
        Limiter.Permit timedOut = recording.tryAcquire();
        Limiter.Permit broken = recording.tryAcquire();
        now += 5;
        refused.completed(new ServerException(429, "HTTP 429", Duration.ofSeconds(2)));
        timedOut.completed(new java.net.http.HttpTimeoutException("request timed out"));
        broken.completed(new ServerException(400, "HTTP 400", null));
        assertEquals(
                List.of(
                        LimitAlgorithm.Outcome.OVERLOADED,
                        LimitAlgorithm.Outcome.OVERLOADED,
                        LimitAlgorithm.Outcome.FAILED),
                samples.stream().map(LimitAlgorithm.Sample::outcome).toList());
        assertEquals(Duration.ofSeconds(2), samples.get(0).retryAfter());
        assertEquals(7, samples.get(0).tag());
        assertEquals(1, samples.get(0).inFlightAtSend());
        assertEquals(3, samples.get(0).inFlight(), "the count still holds the request itself");
        assertEquals(5, samples.get(0).latencyNanos());
    }

    @Test
    void aimdAddsOneWhileTheLimitIsUsedAndCutsOnOverload() {
        Limiter limiter = new Limiter("", new AimdLimit(10, 2, 12, 0.5, null), () -> now);
        List<Limiter.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            permits.add(limiter.tryAcquire());
        }
        permits.remove(0).answered();
        assertEquals(11, limiter.limit(), "10 in flight of 10: one more");
        permits.remove(0).answered();
        permits.remove(0).answered();
        assertEquals(12, limiter.limit(), "never above the maximum");
        permits.remove(0).overloaded(null);
        assertEquals(6, limiter.limit());
        while (permits.size() > 1) {
            permits.remove(0)
                    .answered(); // grows while at least half the limit is in flight: 6, 5, 4 of 6,
            // 7, 8
        }
        assertEquals(9, limiter.limit());
        assertEquals(
                new LimitAlgorithm.Report(10, 9, 12, 12, 1, List.of(10, 11, 12, 6, 7, 8, 9)),
                limiter.report());
    }

    @Test
    void runsGivenOneRegistryShareEachServersLimiter() {
        var registry = new LimiterRegistry();
        Limiter first = registry.limiter("http://gpu:8000/v1", () -> fixed(8));
        Limiter again = registry.limiter("http://gpu:8000/v1/", () -> fixed(99));
        Limiter other = registry.limiter("http://gpu:8001/v1", () -> fixed(8));
        assertSame(first, again);
        assertEquals(8, again.limit());
        assertFalse(first == other);
    }

    /** An algorithm whose limit the test sets. */
    private static final class SetLimit implements LimitAlgorithm {
        int limit;

        SetLimit(int limit) {
            this.limit = limit;
        }

        @Override
        public int limit() {
            return limit;
        }

        @Override
        public long onSend(long now, int inFlight) {
            return 0;
        }

        @Override
        public void onSample(Sample sample) {}

        @Override
        public Report report() {
            return new Report(limit, limit, limit, limit, 0, List.of(limit));
        }
    }

    @Test
    void aLimitThatRisesFarOpensByTwoPerAnswerNotAllAtOnce() {
        SetLimit algorithm = new SetLimit(4);
        Limiter limiter = new Limiter("", algorithm, () -> now);
        List<Limiter.Permit> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(limiter.tryAcquire());
        }
        List<CompletableFuture<Limiter.Permit>> waiting = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            waiting.add(limiter.acquire());
        }
        algorithm.limit = 16; // e.g. learning quadrupled it
        assertEquals(4, limiter.inFlight(), "a rise opens with answers, not at once");
        int[] expected = {6, 8, 10, 12, 14, 16, 16, 16};
        for (int sent : expected) {
            inFlight.remove(0).answered();
            waiting.removeIf(
                    future -> {
                        if (future.isDone()) {
                            inFlight.add(future.join());
                            return true;
                        }
                        return false;
                    });
            assertEquals(sent, limiter.inFlight(), "after an answer: its place and two more");
        }
        assertEquals(20, waiting.size(), "8 answers, 16 in flight: 20 of the 40 waiters sent");
        // a lower limit applies at once: answers free places, none is refilled above it
        algorithm.limit = 2;
        for (int i = 0; i < 14; i++) {
            inFlight.remove(0).answered();
        }
        assertEquals(2, limiter.inFlight());
    }

    @Test
    void theFirstLimitOpensAtOnce() {
        Limiter limiter = new Limiter("", new SetLimit(64), () -> now);
        for (int i = 0; i < 64; i++) {
            assertNotNull(limiter.tryAcquire(), "send " + i);
        }
        assertNull(limiter.tryAcquire());
    }
}
