package dev.llmcls.store;

/**
 * The answer store's 64-bit key of a model identity and a request body: MurmurHash3's x64 mixing
 * (its constants, block mix and finaliser) over the UTF-16 code units of {@code model}, a newline
 * and {@code request}, four code units to a 64-bit block. Computed from the strings' characters
 * rather than from their UTF-8 bytes because a request body (a prompt with any text in it) is
 * usually not Latin-1, and encoding one to hash it cost as much memory as the rest of the store (a
 * copy of the body in UTF-16 and a UTF-8 array three times its length, about 3.6 KB a request,
 * which came back as more garbage collections). A body a run sends is UTF-8 bytes already ({@link
 * #of(String, byte[])}): its code units are decoded as they are hashed, which gives the same key
 * without a copy. The value is part of the store's format ({@link AnswerStore#SCHEMA_VERSION}):
 * changing it leaves every stored answer unfound.
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

    /**
     * The key of a request sent to {@code model} as {@code utf8Request}, its UTF-8 bytes: the same
     * as {@link #of(String, String)} of the text they encode. The bytes must be well-formed UTF-8
     * (as a JSON writer's are).
     */
    static long of(String model, byte[] utf8Request) {
        var hash = new KeyHash();
        hash.add(model);
        hash.add('\n');
        hash.addUtf8(utf8Request);
        return hash.finish();
    }

    /** Adds the UTF-16 code units that {@code utf8} encodes (a supplementary code point as two). */
    private void addUtf8(byte[] utf8) {
        int i = 0;
        int n = utf8.length;
        while (i < n) {
            int b = utf8[i];
            if (b >= 0) { // one byte: ASCII
                add((char) b);
                i++;
            } else if ((b & 0xE0) == 0xC0) {
                add((char) ((b & 0x1F) << 6 | (utf8[i + 1] & 0x3F)));
                i += 2;
            } else if ((b & 0xF0) == 0xE0) {
                add((char) ((b & 0x0F) << 12 | (utf8[i + 1] & 0x3F) << 6 | (utf8[i + 2] & 0x3F)));
                i += 3;
            } else {
                int codePoint =
                        (b & 0x07) << 18
                                | (utf8[i + 1] & 0x3F) << 12
                                | (utf8[i + 2] & 0x3F) << 6
                                | (utf8[i + 3] & 0x3F);
                add(Character.highSurrogate(codePoint));
                add(Character.lowSurrogate(codePoint));
                i += 4;
            }
        }
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
