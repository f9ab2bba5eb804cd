package dev.llmcls.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps SQLite's native library in the user's cache ({@code $LLMCLS_CACHE/native}, else {@code
 * ~/.cache/llmcls/native}), one copy per build of it, and points sqlite-jdbc there. Left to itself,
 * sqlite-jdbc copies the library (1.1 MB) out of its jar into the temporary directory on every
 * start and compares the copy's MD5 with the jar's: about 100 ms of CPU per process that opens a
 * store (loading from the cached copy: 30 ms), and a copy left behind in /tmp by every process
 * killed with SIGKILL.
 *
 * <p>The copy is named for the CRC-32 the jar records for the library and checked against it before
 * each use (a millisecond), and written under a temporary name then renamed, so that processes
 * starting at once never load a half-written one. A user's own {@code org.sqlite.lib.path}, {@code
 * org.sqlite.lib.name} or {@code org.sqlite.tmpdir} is left to decide; and whatever fails here (no
 * jar, a read-only home) leaves sqlite-jdbc to do as it always did.
 */
final class SqliteNative {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";

    private SqliteNative() {}

    /**
     * Points sqlite-jdbc at the cached copy, making it first if needed. Returns the copy, or null
     * when sqlite-jdbc is left to find its library itself.
     */
    static Path useCachedCopy(Map<String, String> env, String userHome) {
        if (System.getProperty(PATH) != null
                || System.getProperty(NAME) != null
                || System.getProperty("org.sqlite.tmpdir") != null) {
            return null; // the user chose
        }
        Path copy = cachedCopy(cacheDir(env, userHome));
        if (copy != null) {
            System.setProperty(PATH, copy.getParent().toString());
            System.setProperty(NAME, copy.getFileName().toString());
        }
        return copy;
    }

    /** {@code $LLMCLS_CACHE/native}, else {@code ~/.cache/llmcls/native}. */
    static Path cacheDir(Map<String, String> env, String userHome) {
        String root = env.get("LLMCLS_CACHE");
        return root != null && !root.isBlank()
                ? Path.of(root, "native")
                : Path.of(userHome, ".cache", "llmcls", "native");
    }

    /**
     * The library of this platform, copied from sqlite-jdbc's jar into {@code cache} unless a sound
     * copy is there; null when it cannot be (the library is not in a jar, or the copy could not be
     * written or read back).
     */
    static Path cachedCopy(Path cache) {
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource =
                SQLiteJDBCLoader.class.getResource(
                        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (resource == null || !"jar".equals(resource.getProtocol())) {
            return null;
        }
        Path temporary = null;
        try {
            JarEntry entry = ((JarURLConnection) resource.openConnection()).getJarEntry();
            long crc = entry.getCrc();
            long size = entry.getSize();
            if (crc < 0 || size < 0) {
                return null;
            }
            Path dir =
                    cache.resolve(
                            String.format(
                                    Locale.ROOT,
                                    "sqlite-jdbc-%s-%08x",
                                    SQLiteJDBCLoader.getVersion(),
                                    crc));
            Path copy = dir.resolve(name);
            if (Files.isRegularFile(copy) && Files.size(copy) == size && crcOf(copy) == crc) {
                return copy;
            }
            Files.createDirectories(dir);
            temporary = Files.createTempFile(dir, name, ".part"); // owner-only, as its default
            try (InputStream in = resource.openStream();
                    OutputStream out = Files.newOutputStream(temporary)) {
                in.transferTo(out);
            }
            if (Files.size(temporary) != size || crcOf(temporary) != crc) {
                return null; // the jar gave other bytes than it says: leave it to sqlite-jdbc
            }
            Files.move(
                    temporary,
                    copy,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            return copy;
        } catch (IOException | RuntimeException e) {
            return null; // sqlite-jdbc unpacks it into the temporary directory, as it always did
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a stray .part file, harmless
                }
            }
        }
    }

    private static long crcOf(Path file) throws IOException {
        var crc = new CRC32();
        crc.update(Files.readAllBytes(file));
        return crc.getValue();
    }
}
