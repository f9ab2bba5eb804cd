package dev.llmcls.runfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What an existing output file already holds: the ids with a successful record, skipped on resume
 * (an {@link IdSet}: row numbers as bits). Loading first cuts off a half-written last line, which
 * only a killed writer leaves, and says how many bytes that was.
 */
public record ResumeState(Set<String> succeededIds, long repairedBytes) {
    public static final ResumeState EMPTY = new ResumeState(Set.of(), 0);

    public static ResumeState load(Path output) {
        return load(output, record -> {});
    }

    /**
     * As {@link #load(Path)}, showing {@code observer} every record of the repaired file, in file
     * order.
     */
    public static ResumeState load(Path output, Consumer<EvalRecord> observer) {
        if (!Files.exists(output)) {
            return EMPTY;
        }
        long repaired = truncateIncompleteLastLine(output);
        Set<String> succeeded = new IdSet();
        RecordStream.forEach(
                output,
                false,
                record -> {
                    observer.accept(record);
                    if (!record.failed()) {
                        succeeded.add(record.id());
                    }
                });
        return new ResumeState(succeeded, repaired);
    }

    /** Cuts the file back to its last newline; returns how many bytes were removed. */
    static long truncateIncompleteLastLine(Path file) {
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long end = size;
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (end > 0) {
                int chunk = (int) Math.min(buffer.capacity(), end);
                buffer.clear().limit(chunk);
                channel.read(buffer, end - chunk);
                for (int i = chunk - 1; i >= 0; i--) {
                    if (buffer.get(i) == '\n') {
                        long keep = end - chunk + i + 1;
                        if (keep < size) {
                            channel.truncate(keep);
                        }
                        return size - keep;
                    }
                }
                end -= chunk;
            }
            channel.truncate(0);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + file, e);
        }
    }
}
