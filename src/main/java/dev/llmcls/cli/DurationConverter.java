package dev.llmcls.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads durations the way people write them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h},
 * or plain seconds. A negative duration is refused; {@link Positive} also refuses zero (a timeout
 * of zero would fail every request).
 */
public class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    /** For timeouts: more than zero. */
    public static final class Positive extends DurationConverter {
        @Override
        public Duration convert(String value) {
            Duration duration = super.convert(value);
            if (duration.isZero()) {
                throw new CommandLine.TypeConversionException(
                        "'"
                                + value
                                + "' is zero; give a duration above zero, "
                                + "such as 30s or 10m");
            }
            return duration;
        }
    }

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value);
        if (duration.isNegative()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is negative; give a duration such as " + "500ms, 30s or 10m");
        }
        return duration;
    }

    private static Duration parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            char unit = text.charAt(text.length() - 1);
            if (Character.isDigit(unit) || unit == '.') {
                return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
            }
            double amount = Double.parseDouble(text.substring(0, text.length() - 1));
            long millis =
                    switch (unit) {
                        case 's' -> (long) (amount * 1000);
                        case 'm' -> (long) (amount * 60_000);
                        case 'h' -> (long) (amount * 3_600_000);
                        case 'd' -> (long) (amount * 86_400_000);
                        default ->
                                throw new CommandLine.TypeConversionException(
                                        "unknown unit in '" + value + "'");
                    };
            return Duration.ofMillis(millis);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration such as 500ms, 30s or 10m");
        }
    }
}
