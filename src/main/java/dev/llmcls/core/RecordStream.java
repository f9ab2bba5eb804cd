package dev.llmcls.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Streams a run's JSONL file one record at a time with Jackson's streaming parser, reading only the fields that
 * evaluation needs. A malformed line is an input error naming file and line, except a final line without its
 * newline: that is what a killed run leaves behind, so it is skipped and counted.
 */
public final class RecordStream {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int BATCH = 2048;
    private static final int QUEUED_BATCHES = 16;

    private RecordStream() {
    }

    /** Calls {@code consumer} for each record; returns the number of truncated final lines skipped (0 or 1). */
    public static int forEach(Path file, boolean withText, Consumer<EvalRecord> consumer) {
        return forEach(file, withText ? id -> true : id -> false, consumer);
    }

    /**
     * As {@link #forEach(Path, boolean, Consumer)}, reading the {@code text} of the records whose id {@code wantText}
     * accepts (and of any record whose text comes before its id); other texts are skipped undecoded.
     */
    public static int forEach(Path file, Predicate<String> wantText, Consumer<EvalRecord> consumer) {
        // One parser reads the whole file as a sequence of JSON objects (no String is made of a line, and fields that
        // are not needed, usually the text, are skipped without being decoded); each must start on a line of its own.
        try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(in)) {
            long previousEnd = 0;
            while (true) {
                EvalRecord record;
                try {
                    JsonToken first = parser.nextToken();
                    if (first == null) {
                        return 0;
                    }
                    long line = parser.currentTokenLocation().getLineNr();
                    if (line <= previousEnd) {
                        throw InputException.at(file, line, "a second JSON value on the line; a JSONL file holds one record a line");
                    }
                    record = read(parser, first, line, wantText);
                    previousEnd = parser.currentLocation().getLineNr();
                } catch (JsonProcessingException e) {
                    if (inUnterminatedLastLine(file, e.getLocation())) {
                        return 1;
                    }
                    long line = e.getLocation() == null ? previousEnd + 1 : e.getLocation().getLineNr();
                    throw InputException.at(file, line, "not a JSON record: " + e.getOriginalMessage());
                }
                if (record.id() == null) {
                    throw InputException.at(file, record.line(), "record has no \"id\"");
                }
                if (record.gold() == null) {
                    throw InputException.at(file, record.line(), "record has no \"gold\" label");
                }
                consumer.accept(record);
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #forEach}, but parses on a second thread while {@code consumer} runs on the caller's, in file order.
     * Evaluation is half parsing, half scoring, so on two cores this nearly halves the wall time. Memory stays
     * bounded: at most {@value #QUEUED_BATCHES} batches of {@value #BATCH} records wait. An exception from either side
     * stops both and is rethrown here; records before it are consumed first, as with {@link #forEach}.
     */
    public static int forEachPipelined(Path file, boolean withText, Consumer<EvalRecord> consumer) {
        BlockingQueue<List<EvalRecord>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        List<EvalRecord> end = new ArrayList<>(0);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicInteger truncated = new AtomicInteger();
        Thread parser = new Thread(() -> {
            try {
                var batch = new ArrayList<EvalRecord>(BATCH);
                truncated.set(forEach(file, withText, record -> {
                    batch.add(record);
                    if (batch.size() == BATCH) {
                        put(queue, new ArrayList<>(batch));
                        batch.clear();
                    }
                }));
                if (!batch.isEmpty()) {
                    put(queue, batch);
                }
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                try {
                    queue.put(end);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "llmcls-parse " + file.getFileName());
        parser.setDaemon(true);
        parser.start();
        try {
            for (List<EvalRecord> batch = queue.take(); batch != end; batch = queue.take()) {
                batch.forEach(consumer);
            }
            parser.join();
        } catch (InterruptedException e) {
            parser.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + file, e);
        } catch (RuntimeException e) {
            parser.interrupt();
            throw e;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return truncated.get();
    }

    private static void put(BlockingQueue<List<EvalRecord>> queue, List<EvalRecord> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped", e);
        }
    }

    /**
     * Whether a parse error lies in a last line that has no newline: what a run killed mid-write leaves. No newline
     * may follow the error's position, and the file must not end with one.
     */
    private static boolean inUnterminatedLastLine(Path file, JsonLocation location) throws IOException {
        if (location == null || location.getByteOffset() < 0) {
            return false;
        }
        try (var channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size == 0 || endsWithNewline(file)) {
                return false;
            }
            long from = Math.min(location.getByteOffset(), size);
            var buffer = ByteBuffer.allocate(64 * 1024);
            long position = from;
            while (position < size) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer.get(i) == '\n') {
                        return false;
                    }
                }
                position += read;
            }
            return true;
        }
    }

    static boolean endsWithNewline(Path file) throws IOException {
        try (var channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            var last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    private static EvalRecord read(JsonParser parser, JsonToken first, long lineNumber, Predicate<String> wantText)
            throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw new JsonParseError(parser, "expected a JSON object");
        }
        String id = null;
        String text = null;
        String gold = null;
        String output = null;
        String error = null;
        String label = null;
        Map<String, Integer> votes = null;
        Integer promptTokens = null;
        Integer completionTokens = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = scalar(parser, value);
                case "text" -> text = id == null || wantText.test(id) ? scalar(parser, value) : skip(parser, value);
                case "gold" -> gold = scalar(parser, value);
                case "output" -> output = scalar(parser, value);
                case "error" -> error = scalar(parser, value);
                case "label" -> label = scalar(parser, value);
                case "votes" -> votes = votes(parser, value);
                case "prompt_tokens" -> promptTokens = count(parser, value);
                case "completion_tokens" -> completionTokens = count(parser, value);
                default -> parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseError(parser, "unexpected " + token);
        }
        return new EvalRecord(id, text, gold, output, error, label, votes, promptTokens, completionTokens,
                lineNumber);
    }

    private static String scalar(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value.isScalarValue()) {
            return parser.getText();
        }
        throw new JsonParseError(parser, "field \"" + parser.currentName() + "\" must be a string, not " + value);
    }

    private static Integer count(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new JsonParseError(parser, "field \"" + parser.currentName() + "\" must be an integer, not " + value);
        }
        return parser.getIntValue();
    }

    private static String skip(JsonParser parser, JsonToken value) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static Map<String, Integer> votes(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new JsonParseError(parser, "field \"votes\" must be an object of label counts");
        }
        var votes = new LinkedHashMap<String, Integer>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new JsonParseError(parser, "vote count of \"" + name + "\" must be an integer");
            }
            votes.put(name, parser.getIntValue());
        }
        return votes;
    }

    /** A well-formed JSON line that is not a record; reported like a malformed one. */
    private static final class JsonParseError extends JsonProcessingException {
        JsonParseError(JsonParser parser, String message) {
            super(message, parser.currentLocation());
        }
    }
}
