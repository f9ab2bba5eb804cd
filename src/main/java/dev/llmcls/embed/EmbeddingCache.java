package dev.llmcls.embed;

import dev.llmcls.core.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Embeddings on disk, keyed by model and the sha256 of the text: one append-only file per model,
 * {@code DIR/MODEL.f32}, of fixed-size records (32-byte text hash, then {@code dimension}
 * little-endian floats). The whole file is read into memory when opened; new embeddings are
 * appended in one write per batch. A record cut short by a crash is ignored when the file is next
 * read, and a concurrent writer can at worst add a duplicate record.
 */
public final class EmbeddingCache {
    private static final int HASH_BYTES = 32;

    private final Path file;
    private final int dimension;
    private final Map<String, float[]> entries = new HashMap<>();

    private EmbeddingCache(Path file, int dimension) {
        this.file = file;
        this.dimension = dimension;
    }

    /** A cache that keeps nothing on disk (for {@code --embedding-cache none}). */
    public static EmbeddingCache inMemory(int dimension) {
        return new EmbeddingCache(null, dimension);
    }

    /**
     * The default folder: {@code $LLMCLS_CACHE/embeddings}, else {@code
     * ~/.cache/llmcls/embeddings}.
     */
    public static Path defaultDirectory() {
        String root = System.getenv("LLMCLS_CACHE");
        return root != null && !root.isBlank()
                ? Path.of(root, "embeddings")
                : Path.of(System.getProperty("user.home"), ".cache", "llmcls", "embeddings");
    }

    public static EmbeddingCache open(Path directory, String model, int dimension) {
        Path file = directory.resolve(model + ".f32");
        var cache = new EmbeddingCache(file, dimension);
        if (Files.isRegularFile(file)) {
            cache.load();
        }
        return cache;
    }

    public Path file() {
        return file;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized float[] get(String text) {
        return entries.get(key(text));
    }

    /** Adds embeddings for texts, in memory and on disk. */
    public synchronized void putAll(List<String> texts, List<float[]> vectors) {
        ByteBuffer buffer =
                ByteBuffer.allocate(texts.size() * recordBytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < texts.size(); i++) {
            float[] vector = vectors.get(i);
            if (vector.length != dimension) {
                throw new IllegalArgumentException(
                        "embedding of dimension " + vector.length + ", expected " + dimension);
            }
            byte[] hash = sha256(texts.get(i));
            if (entries.putIfAbsent(HexFormat.of().formatHex(hash), vector) == null) {
                buffer.put(hash);
                for (float x : vector) {
                    buffer.putFloat(x);
                }
            }
        }
        buffer.flip();
        if (file == null || !buffer.hasRemaining()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)) {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
    }

    private void load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int records = bytes.length / recordBytes();
            for (int r = 0; r < records; r++) {
                byte[] hash = new byte[HASH_BYTES];
                buffer.get(hash);
                float[] vector = new float[dimension];
                for (int i = 0; i < dimension; i++) {
                    vector[i] = buffer.getFloat();
                }
                entries.put(HexFormat.of().formatHex(hash), vector);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding cache " + file, e);
        }
    }

    private int recordBytes() {
        return HASH_BYTES + 4 * dimension;
    }

    private static String key(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    static byte[] sha256(String text) {
        return Sha256.digest(text);
    }
}
