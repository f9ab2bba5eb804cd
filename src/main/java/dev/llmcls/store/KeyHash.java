package dev.llmcls.store;

/**
 * The answer store's 64-bit key of a model identity and a request body: MurmurHash3's x64 mixing
 * (its constants, block mix and finaliser) over the UTF-16 code units of {@code model}, a newline
 * and {@code request}, four code units to a 64-bit block. Computed from the strings' characters
 * rather than from their UTF-8 bytes because a request body (a prompt with any text in it) is
 * usually not Latin-1, and encoding one to hash it cost as much memory as the rest of the store (a
 * copy of the body in UTF-16 and a UTF-8 array three times its length, about 3.6 KB a request,
 * which came back as more garbage collections). The value is part of the store's format ({@link
 * AnswerStore#SCHEMA_VERSION}): changing it leaves every stored answer unfound.
 */
final class KeyHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private long hash;
    private long block;
    private int filled;
    private long length;

    private KeyHash() {}

    /** The key of {@code request} sent to {@code model}. */
    static long of(String model, String request) {
        var hash = new KeyHash();
        hash.add(model);
        hash.add('\n');
        hash.add(request);
        return hash.finish();
    }

    private void add(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            add(text.charAt(i));
        }
    }

    private void add(char c) {
        block |= (long) c << (filled << 4);
        length++;
        if (++filled == 4) {
            hash ^= mixBlock(block);
            hash = Long.rotateLeft(hash, 27) * 5 + 0x52dce729;
            block = 0;
            filled = 0;
        }
    }

    private long finish() {
        if (filled > 0) {
            hash ^= mixBlock(block);
        }
        return finalMix(hash ^ length);
    }

    private static long mixBlock(long k) {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long finalMix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
