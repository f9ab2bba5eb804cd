package dev.llmcls.store;

/**
 * Which keys ({@link AnswerStore#key}) a store holds, in memory, so that a request the store cannot
 * answer (every request of a new model, prompt or dataset) is sent without a query: a query costs
 * about 10 µs of CPU through JDBC, a look here a fraction of one.
 *
 * <p>It may say yes wrongly (two keys that share their slot's 32-bit fingerprint, or a store too
 * big to mirror: then it says yes to everything), which only costs the query it saves; it says no
 * only for a key it has not been given. One thread adds (the store session's writer); any thread
 * asks. A key being added while another thread asks may be missed by that ask, which only sends a
 * request the store could have answered.
 */
final class KnownKeys {
    /**
     * The most keys mirrored: 4 M keys take a 32 MB table. A bigger store is asked for every
     * request, as it was without this.
     */
    static final int MOST = 1 << 22;

    private static final int FIRST_CAPACITY = 1 << 12;

    // Open addressing with linear probing on each key's fingerprint (the high 32 bits of its 64-bit
    // hash; 0 becomes 1), which also picks its slot; at most half full; 0 marks an empty slot. The
    // table holds fingerprints only (half the memory of whole keys), so a key not held is taken for
    // one held with odds of (keys held) / 2^32: 1 in 1,000 for a store of 4 M answers. Only the
    // writer writes; it publishes what it wrote by writing the volatile field (also when the table
    // is the same), and readers read the field before the slots.
    private volatile int[] slots = new int[FIRST_CAPACITY];
    private int size; // the writer's
    private volatile boolean everything;
    private volatile boolean
            learnt; // until the store's keys were first read, every key may be held

    /** Whether the store may hold {@code key}: false only when it does not (as far as told). */
    boolean mightHold(long key) {
        if (everything || !learnt) {
            return true;
        }
        int[] table = slots;
        return table[slotOf(table, fingerprint(key))] != 0;
    }

    /** Adds a key the store holds (the writer thread only). */
    void add(long key) {
        if (everything) {
            return;
        }
        if (size >= MOST) {
            sayYesToAll();
            return;
        }
        int[] table = slots;
        if ((size + 1) * 2 > table.length) {
            table = grown(table);
        }
        if (put(table, key)) {
            size++;
        }
    }

    /** Makes what {@link #add} wrote visible to the threads that ask. */
    void publish() {
        int[] table = slots;
        slots = table; // a volatile write: what came before it is seen by who reads the field
    }

    /**
     * Says that every key the store held has been added (and publishes them): until then, {@link
     * #mightHold} says yes to every key, so that a run need not wait for a big store's keys to be
     * read before its first request.
     */
    void learnt() {
        publish();
        learnt = true;
    }

    /** Whether {@link #learnt} was called: from then on a no is a no. */
    boolean isLearnt() {
        return learnt;
    }

    /** The keys added (two with the same fingerprint counted once). */
    int size() {
        return size;
    }

    /**
     * From now on says yes to every key: for a store too big to mirror, or one whose keys could not
     * be read.
     */
    void sayYesToAll() {
        everything = true;
        slots = new int[1]; // no longer asked
    }

    /** Whether it says yes to every key ({@link #sayYesToAll}). */
    boolean saysYesToAll() {
        return everything;
    }

    private int[] grown(int[] table) {
        int[] bigger = new int[table.length * 2];
        for (int slot : table) {
            if (slot != 0) {
                bigger[slotOf(bigger, slot)] = slot;
            }
        }
        slots = bigger;
        return bigger;
    }

    private static boolean put(int[] table, long key) {
        int fingerprint = fingerprint(key);
        int i = slotOf(table, fingerprint);
        if (table[i] != 0) {
            return false; // held already
        }
        table[i] = fingerprint;
        return true;
    }

    /**
     * The slot that holds {@code fingerprint}, else the empty slot where it would go (the table is
     * at most half full, so there is one).
     */
    private static int slotOf(int[] table, int fingerprint) {
        int mask = table.length - 1;
        int i = fingerprint & mask;
        while (table[i] != 0 && table[i] != fingerprint) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int fingerprint(long key) {
        int high = (int) (key >>> 32);
        return high == 0 ? 1 : high;
    }
}
