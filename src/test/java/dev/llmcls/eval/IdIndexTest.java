package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compact id index must behave as a map from id to first-seen order: exact ids, never a merge
 * of two.
 */
class IdIndexTest {
    /** Sized from an estimate of the ids, too small, right or far too large: the same map. */
    @ParameterizedTest
    @ValueSource(longs = {-1, 0, 10, 100_000, 3_000_000})
    void slotsAreFirstSeenOrderAndIdsComeBackExactly(long sizedFor) {
        var index = sizedFor < 0 ? new IdIndex() : new IdIndex(sizedFor);
        var reference = new HashMap<String, Integer>();
        var order = new ArrayList<String>();
        var random = new SplittableRandom(5);
        List<String> tricky =
                List.of(
                        "",
                        "0",
                        "00",
                        "Aa",
                        "BB",
                        "AaAa",
                        "BBBB",
                        "AaBB",
                        "é",
                        "\u00e9",
                        "e\u0301",
                        "中文",
                        "😀",
                        "\ud800",
                        "?",
                        "a\u0000b",
                        "a");
        for (int i = 0; i < 200_000; i++) {
            String id =
                    i % 7 == 0
                            ? tricky.get(random.nextInt(tricky.size()))
                            : i % 3 == 0
                                    ? Integer.toString(random.nextInt(150_000))
                                    : "id-" + random.nextInt(60_000) + "é";
            Integer expected = reference.get(id);
            if (expected == null) {
                expected = order.size();
                reference.put(id, expected);
                order.add(id);
            }
            if (i % 2 == 0) {
                index.prefetch(id); // reads only: it changes nothing
            }
            assertEquals(expected, index.slot(id), id);
        }
        assertEquals(order.size(), index.size());
        for (int slot = 0; slot < order.size(); slot++) {
            assertEquals(order.get(slot), index.id(slot));
        }
    }

    @Test
    void idsWithTheSameHashAreDifferentIds() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        var index = new IdIndex();
        int a = index.slot("Aa");
        int b = index.slot("BB");
        assertNotEquals(a, b);
        assertEquals(a, index.slot("Aa"));
        assertEquals(b, index.slot("BB"));
        assertEquals(
                "\ud800", index.id(index.slot("\ud800")), "a lone surrogate is kept, not replaced");
        assertNotEquals(index.slot("\ud800"), index.slot("?"));
    }
}
