package dev.llmcls.runfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exclusive operating-system lock on {@code OUTPUT.lock}, held while a run writes {@code
 * OUTPUT}, so that two runs never write (and pay for) the same output at once. The lock file
 * records its holder (pid, host, start time) for the message the second run prints. The lock is the
 * kernel's ({@link FileChannel#tryLock()}), not the file's existence: it dies with its process, so
 * a run killed with SIGKILL blocks nobody. The file is left in place after the run (deleting it
 * would let a run that opened it just before lock a file no one else can see).
 */
public final class OutputLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private final Map<String, Object> holder;

    private OutputLock(FileChannel channel, FileLock lock, Map<String, Object> holder) {
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
    }

    private static void write(FileChannel channel, Map<String, Object> holder) throws IOException {
        channel.truncate(0);
        channel.write(
                ByteBuffer.wrap(
                        (Json.MAPPER.writeValueAsString(holder) + "\n")
                                .getBytes(StandardCharsets.UTF_8)),
                0);
        channel.force(false);
    }

    public static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".lock");
    }

    /**
     * Takes the lock at once or throws an {@link InputException} (exit 2) naming the run that holds
     * it.
     */
    public static OutputLock acquire(Path output) {
        Path file = pathFor(output);
        FileChannel channel = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already holds it: another run in the same process
            }
            if (lock == null) {
                String holder = describeHolder(channel);
                channel.close();
                throw new InputException(
                        output
                                + " is being written by another llmcls run ("
                                + holder
                                + "; lock "
                                + file
                                + "). Nothing was sent. Wait for that run to end, stop it, or"
                                + " choose another --output.");
            }
            Map<String, Object> holder = holder();
            write(channel, holder);
            return new OutputLock(channel, lock, holder);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static Map<String, Object> holder() {
        Map<String, Object> holder = new LinkedHashMap<>();
        holder.put("pid", ProcessHandle.current().pid());
        holder.put("host", hostName());
        holder.put(
                "started_at",
                ProcessHandle.current().info().startInstant().orElse(Instant.now()).toString());
        holder.put("locked_at", Instant.now().toString());
        return holder;
    }

    /**
     * What the lock file says about its holder, in words; the holder writes it just after locking.
     */
    private static String describeHolder(FileChannel channel) {
        try {
            long size = Math.min(channel.size(), 4096);
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            channel.read(buffer, 0);
            JsonNode holder =
                    Json.MAPPER.readTree(
                            new String(
                                    buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            if (holder == null || !holder.has("pid")) {
                return "it has not yet written who it is";
            }
            return "pid "
                    + holder.path("pid").asText()
                    + " on "
                    + holder.path("host").asText("?")
                    + ", started "
                    + holder.path("started_at").asText("?");
        } catch (IOException e) {
            return "its lock file cannot be read: " + e.getMessage();
        }
    }

    private static String hostName() {
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

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // already failing; the first error is the one to report
            }
        }
    }

    /**
     * Releases the lock; the file stays and still names the last holder, with {@code released_at}
     * (so that a listing of runs does not take a holder that is still alive, e.g. an experiment
     * gone on to its next cell, for a run).
     */
    @Override
    public void close() {
        try {
            holder.put("released_at", Instant.now().toString());
            write(channel, holder);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + lock, e);
        }
    }
}
