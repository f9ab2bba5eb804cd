package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Durations as people write them on the command line. */
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "10m, 600000",
        "1h, 3600000",
        "1.5s, 1500",
        "0.5m, 30000",
        "2, 2000",
        "2.5, 2500",
        "' 10S ', 10000",
        "0s, 0"
    })
    void readsAmountsWithAUnitOrPlainSeconds(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), converter.convert(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "ms", "10w", "ten seconds", "1.5ms", "--1s"})
    void rejectsWhatIsNotADurationWithAUsageError(String text) {
        var error =
                assertThrows(
                        CommandLine.TypeConversionException.class, () -> converter.convert(text));
        assertEquals(true, error.getMessage().contains("'" + text + "'"), error.getMessage());
    }
}
