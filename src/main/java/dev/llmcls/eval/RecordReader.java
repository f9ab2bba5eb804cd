package dev.llmcls.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmcls.data.InputException;
import dev.llmcls.run.Json;
import dev.llmcls.run.RunRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Streams the records of a run's JSONL file. A malformed line is an input error naming file and line, except a final
 * line without its newline: that is what a killed run leaves behind, so it is skipped and reported.
 */
public final class RecordReader {
    private RecordReader() {
    }

    /** Calls {@code consumer} for each record; returns the number of truncated final lines skipped (0 or 1). */
    public static int forEach(Path file, Consumer<RunRecord> consumer) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            String pendingBad = null;
            long pendingBadLine = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (pendingBad != null) {
                    throw InputException.at(file, pendingBadLine, "not a JSON record: " + pendingBad);
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    consumer.accept(Json.MAPPER.readValue(line, RunRecord.class));
                } catch (JsonProcessingException e) {
                    pendingBad = e.getOriginalMessage();
                    pendingBadLine = lineNumber;
                }
            }
            if (pendingBad != null) {
                if (endsWithNewline(file)) {
                    throw InputException.at(file, pendingBadLine, "not a JSON record: " + pendingBad);
                }
                return 1;
            }
            return 0;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static boolean endsWithNewline(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            var last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }
}
