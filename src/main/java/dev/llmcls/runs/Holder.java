package dev.llmcls.runs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The last holder of a run's lock, as its lock file names it ({@code pid}, {@code host}, the
 * process's {@code started_at}, {@code locked_at}, {@code released_at} once it let go: {@link
 * dev.llmcls.runfile.OutputLock}), and whether it still holds it: {@code alive} is true when it has
 * not let go and that process is alive on this host and started when the lock file says (so a
 * reused pid is not taken for it), false when it let go or is gone, null when it ran on another
 * host (its pid cannot be checked from here). Reading never takes the lock, so a listing never gets
 * in the way of a run that starts.
 */
public record Holder(long pid, String host, Instant startedAt, Instant lockedAt, Boolean alive) {

    /**
     * The holder the lock file beside {@code output} names; empty when there is none or it names no
     * one yet.
     */
    public static Optional<Holder> of(Path lockFile, String thisHost) {
        var fields = new LockFields();
        try {
            if (!Files.isRegularFile(lockFile) || !JsonFields.forEachField(lockFile, fields)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (fields.pid == null) {
            return Optional.empty();
        }
        long pid = fields.pid;
        String host = fields.host == null ? "" : fields.host;
        Instant started = instant(fields.startedAt);
        Instant locked = instant(fields.lockedAt);
        if (fields.released) {
            return Optional.of(
                    new Holder(
                            pid, host, started, locked,
                            false)); // the run ended; the process may not
        }
        Boolean alive = host.equals(thisHost) ? alive(pid, started) : null;
        return Optional.of(new Holder(pid, host, started, locked, alive));
    }

    /** The fields of a lock file that name its holder. */
    private static final class LockFields implements JsonFields.FieldReader {
        private Long pid;
        private String host;
        private String startedAt;
        private String lockedAt;
        private boolean released;

        @Override
        public void read(String name, JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            switch (name) {
                case "pid" -> pid = token.isNumeric() ? parser.getValueAsLong() : null;
                case "host" -> host = token.isScalarValue() ? JsonFields.text(parser) : null;
                case "started_at" ->
                        startedAt = token.isScalarValue() ? JsonFields.text(parser) : null;
                case "locked_at" ->
                        lockedAt = token.isScalarValue() ? JsonFields.text(parser) : null;
                case "released_at" -> released = token != JsonToken.VALUE_NULL;
                default -> {
                    // not needed
                }
            }
        }
    }

    /**
     * Whether process {@code pid} runs and started at {@code started} (within a second; null: not
     * checked).
     */
    static boolean alive(long pid, Instant started) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(
                        process ->
                                started == null
                                        || process.info()
                                                .startInstant()
                                                .map(
                                                        start ->
                                                                Duration.between(start, started)
                                                                                .abs()
                                                                                .compareTo(
                                                                                        Duration
                                                                                                .ofSeconds(
                                                                                                        1))
                                                                        <= 0)
                                                .orElse(true))
                .isPresent();
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** This machine's name, as {@link dev.llmcls.runfile.OutputLock} writes it. */
    public static String thisHost() {
        try {
            String name =
                    Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                            .strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}
