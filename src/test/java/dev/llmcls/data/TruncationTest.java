package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmcls.core.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TruncationTest {
    @ParameterizedTest
    @CsvSource({
        "chars:2000, chars:2000:end",
        "tokens:480:middle, tokens:480:middle",
        "TOKENS:16:End, tokens:16:end",
        "characters:7, chars:7:end"
    })
    void parsesTheOption(String option, String written) {
        assertEquals(written, Truncation.parse(option).toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2000",
                "words:10",
                "chars:ten",
                "chars:0",
                "chars:10:start",
                "chars:1:end:x",
                "chars:10:"
            })
    void refusesWhatItCannotRead(String option) {
        assertThrows(InputException.class, () -> Truncation.parse(option));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "chars:5        | abcdefghij | abcde",
                "chars:5:middle | abcdefghij | abc [...] ij",
                "chars:10       | abcdefghij | abcdefghij",
                "chars:2        | a😀b       | a😀"
            })
    void cutsCharactersWithoutSplittingOne(String option, String text, String kept) {
        assertEquals(kept, Truncation.parse(option).cutChars(text));
    }

    @Test
    void aShortTextIsTheSameString() {
        String text = "short";
        assertSame(text, Truncation.parse("chars:100").cutChars(text));
    }

    @Test
    void keepsTheFirstTokensOrBothEnds() {
        List<Integer> tokens = List.of(1, 2, 3, 4, 5, 6, 7);
        assertEquals(List.of(List.of(1, 2, 3)), Truncation.parse("tokens:3").keptTokens(tokens));
        assertEquals(
                List.of(List.of(1, 2), List.of(7)),
                Truncation.parse("tokens:3:middle").keptTokens(tokens));
        assertEquals(List.of(tokens), Truncation.parse("tokens:7").keptTokens(tokens));
    }
}
