package dev.llmcls.run.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.ServerException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exponential backoff with jitter, capped, and a server's Retry-After first. */
class RetryPolicyTest {
    private final RetryPolicy policy =
            new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30));

    /**
     * After attempt n the ceiling is base × 2^(n-1), capped at the maximum; jitter keeps the pause
     * in [½, 1] of it.
     */
    @ParameterizedTest(name = "after attempt {0}: {1}..{2} ms")
    @CsvSource({
        "1, 250, 500",
        "2, 500, 1000",
        "3, 1000, 2000",
        "6, 8000, 16000",
        "7, 15000, 30000",
        "30, 15000, 30000"
    })
    void backsOffExponentiallyWithJitterUpToTheCap(int attempt, long low, long high) {
        for (int i = 0; i < 200; i++) {
            long millis =
                    policy.delayAfter(attempt, new IOException("connection refused")).toMillis();
            assertTrue(millis >= low && millis <= high, attempt + ": " + millis);
        }
    }

    @Test
    void jitterSpreadsWorkersApart() {
        long distinct =
                java.util.stream.IntStream.range(0, 50)
                        .mapToLong(i -> policy.delayAfter(4, new IOException()).toMillis())
                        .distinct()
                        .count();
        assertTrue(distinct > 10, distinct + " distinct pauses of 50");
    }

    @Test
    void aServersRetryAfterComesFirstEvenWhenWrapped() {
        var asked = new ServerException(429, "HTTP 429: slow down", Duration.ofSeconds(7));
        assertEquals(
                Duration.ofSeconds(7),
                policy.delayAfter(1, new RuntimeException("wrapped", asked)));
    }

    /**
     * Issue 10 C6: a server's Retry-After is honoured beyond the backoff's 30 s ceiling, up to 5
     * minutes.
     */
    @Test
    void aRetryAfterBeyondTheCapIsCapped() {
        var asked = new ServerException(503, "HTTP 503", Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(5), policy.delayAfter(1, asked));
        var longer = new ServerException(503, "HTTP 503", Duration.ofSeconds(90));
        assertEquals(Duration.ofSeconds(90), policy.delayAfter(1, longer));
    }

    @Test
    void atLeastOneAttempt() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofSeconds(1)));
    }
}
