package dev.llmcls.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 10.2.3): delay seconds, or an HTTP date.
 * Anything else, a negative delay or a date in the past is ignored (null: the backoff schedule
 * applies), and a delay beyond {@link #CAP} is cut to it, so one odd header can neither end a run
 * nor stall it for hours.
 */
public final class RetryAfter {
    /** The longest pause a server's Retry-After can impose. */
    public static final Duration CAP = Duration.ofMinutes(5);

    private RetryAfter() {}

    /**
     * The pause the header asks for, or null when it asks for nothing usable; {@code now} resolves
     * a date.
     */
    public static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        Duration asked;
        if (value.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            try {
                asked = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            try {
                Instant at =
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant();
                asked = Duration.between(now, at);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (asked.isNegative()) {
            return null;
        }
        return asked.compareTo(CAP) > 0 ? CAP : asked;
    }
}
