package dev.llmcls.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownKeysTest {

    @ParameterizedTest(name = "{0} keys")
    @ValueSource(ints = {0, 1, 2_047, 2_048, 100_000})
    void saysYesToEveryKeyAddedAndNoToAlmostEveryOther(int count) {
        var known = new KnownKeys();
        var random = new SplittableRandom(count);
        long[] added = random.longs(count).toArray();
        for (long key : added) {
            known.add(key);
        }
        known.learnt();
        for (long key : added) {
            assertTrue(known.mightHold(key), "a key added, through every growth of the table");
        }
        int wrongYes = 0;
        for (long key : new SplittableRandom(-1 - count).longs(100_000).toArray()) {
            if (known.mightHold(key)) {
                wrongYes++;
            }
        }
        // 32-bit fingerprints: about count / 2^32 of other keys are taken for held ones
        assertTrue(wrongYes <= 2, wrongYes + " of 100,000 keys never added were said to be held");
        // keys are told apart by their high 32 bits (0 taken as 1): a pair that shares them is one
        long distinct =
                java.util.Arrays.stream(added)
                        .map(key -> key >>> 32 == 0 ? 1 : key >>> 32)
                        .distinct()
                        .count();
        assertEquals(distinct, known.size());
    }

    @ParameterizedTest(name = "key {0}")
    @ValueSource(longs = {0L, 1L, 0xFFFF_FFFFL, Long.MIN_VALUE, Long.MAX_VALUE, -1L})
    void findsKeysWhoseHighHalfIsZeroOrExtreme(long key) {
        var known = new KnownKeys();
        known.learnt();
        assertFalse(known.mightHold(key), "nothing added yet");
        known.add(key);
        known.learnt();
        assertTrue(known.mightHold(key));
    }

    @Test
    void saysYesToEveryKeyUntilTheStoresKeysWereLearnt() {
        var known = new KnownKeys();
        assertTrue(known.mightHold(12_345L << 32), "not learnt yet: the store is asked");
        known.learnt();
        assertFalse(known.mightHold(12_345L << 32));
    }

    @Test
    void aKeyAddedTwiceIsCountedOnce() {
        var known = new KnownKeys();
        known.add(42L << 32);
        known.add(42L << 32);
        assertEquals(1, known.size());
    }

    @Test
    void saysYesToAllOnceTold() {
        var known = new KnownKeys();
        known.add(7L << 32);
        known.sayYesToAll();
        assertTrue(known.saysYesToAll());
        assertTrue(known.mightHold(123_456_789L << 20), "a key never added");
        known.add(9L << 32); // ignored, and no failure
        assertTrue(known.mightHold(9L << 32));
    }
}
