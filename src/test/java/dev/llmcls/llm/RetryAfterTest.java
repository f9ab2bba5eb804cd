package dev.llmcls.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");

    @Test
    void secondsAndHttpDatesAreRead() {
        assertEquals(Duration.ofSeconds(3), RetryAfter.parse("3", NOW));
        assertEquals(Duration.ofMillis(1500), RetryAfter.parse(" 1.5 ", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW));
        assertEquals(
                Duration.ofSeconds(90), RetryAfter.parse("Sat, 28 Nov 2026 08:01:30 GMT", NOW));
    }

    @Test
    void invalidNegativeAndPastValuesAreIgnored() {
        assertNull(RetryAfter.parse("-1", NOW));
        assertNull(RetryAfter.parse("soon", NOW));
        assertNull(RetryAfter.parse("", NOW));
        assertNull(RetryAfter.parse(null, NOW));
        assertNull(RetryAfter.parse("1e3", NOW));
        assertNull(RetryAfter.parse("Fri, 27 Nov 2026 08:00:00 GMT", NOW));
    }

    @Test
    void longDelaysAreCappedAtFiveMinutes() {
        assertEquals(Duration.ofMinutes(5), RetryAfter.parse("86400", NOW));
        assertEquals(Duration.ofMinutes(5), RetryAfter.parse("Sun, 29 Nov 2026 08:00:00 GMT", NOW));
    }
}
