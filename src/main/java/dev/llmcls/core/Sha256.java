package dev.llmcls.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one SHA-256 helper: of a text (UTF-8) or a file's bytes, as raw bytes or lower-case hex. */
public final class Sha256 {
    private Sha256() {}

    public static byte[] digest(String text) {
        return digest().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    /**
     * The hex digest of a file's contents, read in 64 KiB blocks; an unreadable file is an input
     * error.
     */
    public static String hexOfFile(Path file) {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static final ThreadLocal<MessageDigest> PER_THREAD =
            ThreadLocal.withInitial(Sha256::digest);

    /**
     * This thread's digest, reset: for hot paths that hash many small inputs (the answer store's
     * keys, the shard of every id) without looking the algorithm up each time.
     */
    public static MessageDigest perThread() {
        MessageDigest digest = PER_THREAD.get();
        digest.reset();
        return digest;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
