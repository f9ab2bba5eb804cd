package dev.llmcls.runfile;

import java.util.AbstractSet;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A set of example ids that holds the usual ones, row numbers ({@code "0"}, {@code "1"}, ... when
 * the data names no id field), as bits: a resumed run over a 1,000,000-line output holds every
 * finished id, and as strings in a {@link HashSet} those cost about 90 bytes each, 90 MB of heap,
 * against 125 KB of bits (BENCHMARKS.md, issue 13 item 3). Any other id ({@code "007"}, {@code
 * "a-1"}, a number too long for an int) is kept as a string, so the set behaves exactly as a {@code
 * HashSet<String>}. Not safe for concurrent writes.
 */
final class IdSet extends AbstractSet<String> {
    private final BitSet numbers = new BitSet();
    private final Set<String> others = new HashSet<>();
    private int numberCount;

    @Override
    public boolean add(String id) {
        int number = number(id);
        if (number < 0) {
            return others.add(id);
        }
        if (numbers.get(number)) {
            return false;
        }
        numbers.set(number);
        numberCount++;
        return true;
    }

    @Override
    public boolean contains(Object id) {
        if (!(id instanceof String text)) {
            return false;
        }
        int number = number(text);
        return number < 0 ? others.contains(text) : numbers.get(number);
    }

    @Override
    public int size() {
        return numberCount + others.size();
    }

    @Override
    public Iterator<String> iterator() {
        return Stream.concat(numbers.stream().mapToObj(Integer::toString), others.stream())
                .iterator();
    }

    /** How many ids are held as strings (the rest are bits). */
    int stringsHeld() {
        return others.size();
    }

    /**
     * The id as a non-negative int when it is one written canonically (no sign, no leading zero),
     * else -1.
     */
    static int number(String id) {
        int length = id.length();
        if (length == 0 || length > 9 || (length > 1 && id.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
