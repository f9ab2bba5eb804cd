package dev.llmcls.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqliteNativeTest {
    @TempDir Path cache;

    @Test
    void copiesTheLibraryOnceAndUsesTheCopyAfter() throws IOException {
        Path copy = SqliteNative.cachedCopy(cache);
        assertNotNull(copy, "sqlite-jdbc's jar holds this platform's library");
        byte[] library = Files.readAllBytes(copy);
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(copy, written);

        assertEquals(copy, SqliteNative.cachedCopy(cache));
        assertEquals(written, Files.getLastModifiedTime(copy), "not written again");
        assertArrayEquals(library, Files.readAllBytes(copy));
        try (var files = Files.list(copy.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }

    @Test
    void replacesADamagedCopy() throws IOException {
        Path copy = SqliteNative.cachedCopy(cache);
        assertNotNull(copy);
        byte[] library = Files.readAllBytes(copy);
        byte[] damaged = library.clone();
        damaged[damaged.length / 2] ^= 0x5A; // same size, other bytes
        Files.write(copy, damaged);

        assertEquals(copy, SqliteNative.cachedCopy(cache));
        assertArrayEquals(library, Files.readAllBytes(copy));
    }

    @Test
    void aCacheThatCannotBeWrittenLeavesTheLibraryToSqliteJdbc() throws IOException {
        Path file = Files.writeString(cache.resolve("a-file"), "x");
        assertNull(SqliteNative.cachedCopy(file.resolve("native")));
    }

    @ParameterizedTest(name = "LLMCLS_CACHE ''{0}'' -> {1}")
    @CsvSource({"/data/cache, /data/cache/native", "'', /home/u/.cache/llmcls/native"})
    void theCacheIsLlmclsCacheElseTheHomeCache(String environment, String expected) {
        assertEquals(
                Path.of(expected),
                SqliteNative.cacheDir(Map.of("LLMCLS_CACHE", environment), "/home/u"));
    }
}
