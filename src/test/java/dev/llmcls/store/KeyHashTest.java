package dev.llmcls.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyHashTest {

    /**
     * The key is part of the store's format: a change to it leaves every stored answer unfound, so
     * these values may change only with {@link AnswerStore#SCHEMA_VERSION}.
     */
    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "m|{}|c39dd9b973a4fee7",
                "glm-4-9b-chat @ /models/glm|{\"messages\":[{\"role\":\"user\",\"content\":\"Schöne"
                        + " Grüße — 東京\"}]}|3e692365e4227393",
                "''|''|8a1e03b55fb97ab2"
            })
    void theKeyOfAFewRequestsNeverChanges(String model, String request, String expected) {
        assertEquals(expected, Long.toHexString(KeyHash.of(model, request)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''",
                "{}",
                "abc",
                "abcd",
                "Schöne Grüße — 東京",
                "你是文本分类专家,请你给下述文本分类",
                "emoji 😀 and 𝄞 outside the BMP",
                "ß€😀",
                "\u007f\u0080\u07ff\u0800\uffff (the edges of the UTF-8 lengths)"
            })
    void aBodyAsUtf8BytesHasTheKeyOfItsText(String request) {
        assertEquals(
                KeyHash.of("m", request),
                KeyHash.of("m", request.getBytes(StandardCharsets.UTF_8)),
                "the key of the bytes a run sends is the key of their text, as import computes it");
    }

    @ParameterizedTest(name = "{0}/{1} vs {2}/{3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "m|{\"a\":1}|m2|{\"a\":1}",
                "m|{\"a\":1}|m|{\"a\":2}",
                "m|{\"a\":1}|m|'{\"a\":1} '",
                "ab|c|a|bc",
                "m|é|m|e"
            })
    void anyChangeOfModelOrBodyGivesAnotherKey(
            String model, String request, String otherModel, String otherRequest) {
        assertNotEquals(KeyHash.of(model, request), KeyHash.of(otherModel, otherRequest));
    }

    @Test
    void aTrailingZeroCharacterCounts() {
        // a zero fills a block as an empty place does: the length tells them apart
        assertNotEquals(KeyHash.of("m", "abcd"), KeyHash.of("m", "abcd\0"));
        assertNotEquals(KeyHash.of("m", "a"), KeyHash.of("m", "a\0\0"));
    }

    @Test
    void aHundredThousandSimilarRequestsHaveAsManyKeys() {
        var keys = new HashSet<Long>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(KeyHash.of("m", "{\"messages\":[{\"content\":\"question " + i + "\"}]}"));
        }
        assertEquals(100_000, keys.size());
    }

    @Test
    void theHighHalvesAreSpreadToo() {
        // KnownKeys tells keys apart by their high 32 bits
        var highs = new HashSet<Long>();
        for (int i = 0; i < 10_000; i++) {
            highs.add(KeyHash.of("m", "q" + i) >>> 32);
        }
        assertEquals(10_000, highs.size(), "10,000 keys, no two sharing their high halves");
    }
}
