package dev.llmcls.eval;

import java.util.Arrays;

/**
 * Gives each example id seen in any run a dense slot number, so that runs can be paired by id. Ids
 * are compared exactly, character by character. The index holds a few primitive arrays and no
 * object per id (the characters of all ids in one array, an open-addressing hash table of slots),
 * so a million ids cost about 40 MB that the garbage collector never has to trace, instead of ~130
 * MB of strings, boxes and map entries.
 */
final class IdIndex {
    /**
     * Two ints per hash bucket: slot + 1 (0 when empty) and the id's hash, side by side so that a
     * probe reads one cache line; linear probing, at most half full.
     */
    private int[] table = new int[2 << 12];

    private int[] hashes = new int[1 << 11];

    /**
     * Where each slot's id starts in {@link #chars}; {@code starts[size]} is where the next one
     * will.
     */
    private int[] starts = new int[(1 << 11) + 1];

    private char[] chars = new char[1 << 14];
    private int size;

    IdIndex() {}

    /**
     * An index sized for about {@code expected} ids from the start, so that reading them grows none
     * of its arrays (each growth copies them all; rehashing a million ids was 3 % of an evaluate's
     * samples).
     */
    IdIndex(long expected) {
        // Sized for at most 4 M ids (as growing to them would size it): an estimate far too large
        // costs no more than that; more ids grow the index as before.
        int ids = (int) Math.min(Math.max(expected, 1 << 11), 1 << 22);
        int buckets = Integer.highestOneBit(2 * ids - 1) << 1; // at most half full with `ids` ids
        table = new int[2 * buckets];
        hashes = new int[ids + 1];
        starts = new int[ids + 2];
        chars = new char[ids * 8]; // ids of up to 8 characters on average, then it grows
    }

    /** Where {@link #prefetch} puts what it reads, so that the read is not left out. */
    @SuppressWarnings("unused")
    private int touched;

    int slot(String id) {
        int hash = id.hashCode();
        int mask = (table.length >> 1) - 1;
        for (int bucket = bucket(hash, mask); ; bucket = (bucket + 1) & mask) {
            int slot = table[2 * bucket] - 1;
            if (slot < 0) {
                return add(id, hash, bucket);
            }
            if (table[2 * bucket + 1] == hash && holds(slot, id)) {
                return slot;
            }
        }
    }

    /**
     * Reads the table where {@code id} would be, and nothing else: called for a batch of ids before
     * looking them up one by one, it lets the processor fetch the scattered table entries of the
     * batch at the same time instead of one after the other (the table of a million ids is far
     * larger than the caches).
     */
    void prefetch(String id) {
        int mask = (table.length >> 1) - 1;
        touched += table[2 * bucket(id.hashCode(), mask)];
    }

    String id(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
        }
        return new String(chars, starts[slot], starts[slot + 1] - starts[slot]);
    }

    int size() {
        return size;
    }

    private static int bucket(int hash, int mask) {
        int mixed = hash * 0x9E3779B9;
        return (mixed ^ mixed >>> 16) & mask;
    }

    private boolean holds(int slot, String id) {
        int start = starts[slot];
        int length = starts[slot + 1] - start;
        if (length != id.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (chars[start + i] != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int add(String id, int hash, int bucket) {
        int slot = size;
        if (slot + 1 >= hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
            starts = Arrays.copyOf(starts, hashes.length + 1);
        }
        int start = starts[slot];
        if (start + id.length() > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(start + id.length(), chars.length * 2));
        }
        id.getChars(0, id.length(), chars, start);
        starts[slot + 1] = start + id.length();
        hashes[slot] = hash;
        table[2 * bucket] = slot + 1;
        table[2 * bucket + 1] = hash;
        size++;
        if (4 * size > table.length) {
            rehash(table.length);
        }
        return slot;
    }

    /** Doubles the table: {@code buckets} of them after. */
    private void rehash(int buckets) {
        table = new int[2 * buckets];
        int mask = buckets - 1;
        for (int slot = 0; slot < size; slot++) {
            int bucket = bucket(hashes[slot], mask);
            while (table[2 * bucket] != 0) {
                bucket = (bucket + 1) & mask;
            }
            table[2 * bucket] = slot + 1;
            table[2 * bucket + 1] = hashes[slot];
        }
    }
}
