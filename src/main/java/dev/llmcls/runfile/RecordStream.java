package dev.llmcls.runfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmcls.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Streams a run's JSONL file one record at a time with Jackson's streaming parser, reading only the
 * fields that evaluation needs. A malformed line is an input error naming file and line, except a
 * final line without its newline: that is what a killed run leaves behind, so it is skipped and
 * counted.
 */
public final class RecordStream {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordStream() {}

    /**
     * Calls {@code consumer} for each record; returns the number of truncated final lines skipped
     * (0 or 1).
     */
    public static int forEach(Path file, boolean withText, Consumer<EvalRecord> consumer) {
        return forEach(file, withText ? id -> true : id -> false, consumer);
    }

    /**
     * As {@link #forEach(Path, boolean, Consumer)}, reading the {@code text} of the records whose
     * id {@code wantText} accepts (and of any record whose text comes before its id); other texts
     * are skipped undecoded.
     */
    public static int forEach(
            Path file, Predicate<String> wantText, Consumer<EvalRecord> consumer) {
        // One parser reads the whole file as a sequence of JSON objects (no String is made of a
        // line, and fields that
        // are not needed, usually the text, are skipped without being decoded); each must start on
        // a line of its own.
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = FACTORY.createParser(in)) {
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
                        throw InputException.at(
                                file,
                                line,
                                "a second JSON value on the line; a JSONL file holds one record a"
                                        + " line");
                    }
                    record = read(parser, first, line, wantText);
                    previousEnd = parser.currentLocation().getLineNr();
                } catch (JsonProcessingException e) {
                    if (inUnterminatedLastLine(file, e.getLocation())) {
                        return 1;
                    }
                    long line =
                            e.getLocation() == null ? previousEnd + 1 : e.getLocation().getLineNr();
                    throw InputException.at(
                            file, line, "not a JSON record: " + e.getOriginalMessage());
                }
                if (record.id() == null) {
                    throw InputException.at(file, record.line(), "record has no \"id\"");
                }
                if (record.gold() == null && record.goldLabels() == null) {
                    throw InputException.at(file, record.line(), "record has no \"gold\" label");
                }
                consumer.accept(record);
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A consumer of a mapped record and its line number in the file. */
    @FunctionalInterface
    public interface LineConsumer<R> {
        void accept(R result, long line);

        /**
         * Sees the results of a piece, in order, before they are handed to {@link #accept} one at a
         * time.
         */
        default void beforePiece(List<R> results) {}
    }

    /**
     * Parses the file on all cores and hands each record, passed through {@code map} on the parsing
     * thread, to {@code consumer} on the caller's thread, in file order, with its line number. The
     * file is cut at line starts into pieces of about {@value #PIECE_BYTES} bytes, each parsed from
     * memory by one of the threads (texts are skipped undecoded); at most {@code threads + 1}
     * pieces are parsed ahead of the consumer. Errors are those of {@link #forEach}, raised after
     * the records before them are consumed. {@code map} must be safe to call from several threads.
     * Returns the number of truncated final lines skipped (0 or 1).
     */
    public static <R> int forEachParallel(
            Path file, Function<EvalRecord, R> map, LineConsumer<R> consumer) {
        return forEachParallel(file, PIECE_BYTES, true, map, consumer);
    }

    /**
     * As {@link #forEachParallel(Path, Function, LineConsumer)} with pieces of about {@code
     * pieceBytes}; {@code fast}: whether pieces are first tried with {@link RecordScanner} (false:
     * Jackson only, for tests that compare the two).
     */
    static <R> int forEachParallel(
            Path file,
            int pieceBytes,
            boolean fast,
            Function<EvalRecord, R> map,
            LineConsumer<R> consumer) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            List<long[]> pieces = pieces(channel, size, pieceBytes);
            ExecutorService pool =
                    Executors.newFixedThreadPool(
                            threads,
                            runnable -> {
                                Thread thread =
                                        new Thread(runnable, "llmcls-parse " + file.getFileName());
                                thread.setDaemon(true);
                                return thread;
                            });
            try {
                var pending = new ArrayDeque<Future<Piece<R>>>();
                int next = 0;
                long lineOffset = 0;
                while (next < pieces.size() || !pending.isEmpty()) {
                    while (next < pieces.size() && pending.size() < threads + 1) {
                        long[] range = pieces.get(next++);
                        boolean last = range[1] == size;
                        pending.add(
                                pool.submit(
                                        () ->
                                                parsePiece(
                                                        file, channel, range[0], range[1], last,
                                                        fast, map)));
                    }
                    Piece<R> piece = pending.removeFirst().get();
                    consumer.beforePiece(piece.results);
                    for (int i = 0; i < piece.results.size(); i++) {
                        consumer.accept(piece.results.get(i), lineOffset + piece.lines[i]);
                    }
                    if (piece.error != null) {
                        throw InputException.at(file, lineOffset + piece.errorLine, piece.error);
                    }
                    if (piece.truncated) {
                        return 1;
                    }
                    lineOffset += piece.lineCount;
                }
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + file, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new InputException(
                        "cannot read " + file + ": " + e.getCause().getMessage(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the whole lines from byte {@code start} (a line start) to the file's last newline,
     * handing each record to {@code consumer} in order, and returns where they end: a line still
     * being written, or cut short by a kill, is left for later. Line numbers in the records count
     * from {@code start}'s line of each piece. A malformed line is an {@link InputException}. For
     * reading the tail of a run that a summary already counts up to {@code start}.
     */
    public static long forEachFrom(Path file, long start, Consumer<EvalRecord> consumer) {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            long at = start;
            while (at < size) {
                long want = Math.min(size, at + PIECE_BYTES);
                long end = lastNewlineBefore(channel, at, want) + 1;
                if (end <= at) { // a line longer than a piece
                    long newline = nextNewline(channel, want, size);
                    if (newline < 0) {
                        break;
                    }
                    end = newline + 1;
                }
                Piece<EvalRecord> piece =
                        parsePiece(file, channel, at, end, false, true, Function.identity());
                piece.results.forEach(consumer);
                if (piece.error != null) {
                    throw new InputException(
                            file + ": " + piece.error + " (in the lines from byte " + at + ")");
                }
                at = end;
            }
            return at;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The position of the last newline in [from, to), or from - 1 when there is none. */
    private static long lastNewlineBefore(FileChannel channel, long from, long to)
            throws IOException {
        // No bigger than the range: a listing reads a short tail of each of 1,000 runs.
        var buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(64 * 1024, to - from)));
        long end = to;
        while (end > from) {
            int chunk = (int) Math.min(buffer.capacity(), end - from);
            buffer.clear().limit(chunk);
            int read = 0;
            while (read < chunk) {
                int n = channel.read(buffer, end - chunk + read);
                if (n < 0) {
                    throw new IOException("file shrank while reading");
                }
                read += n;
            }
            for (int i = chunk - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return end - chunk + i;
                }
            }
            end -= chunk;
        }
        return from - 1;
    }

    private static final int PIECE_BYTES = 1 << 20;

    /** Each parsing thread reads its pieces into one array, reused: no large garbage per piece. */
    private static final ThreadLocal<byte[]> PIECE_BUFFER =
            ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * The records of one piece, mapped, with their line numbers within the piece; or where it
     * failed.
     */
    private static final class Piece<R> {
        final List<R> results = new ArrayList<>();
        long[] lines = new long[256];
        long lineCount;
        String error;
        long errorLine;
        boolean truncated;

        void add(R result, long line) {
            if (results.size() == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[results.size()] = line;
            results.add(result);
        }

        void fail(long line, String message) {
            errorLine = line;
            error = message;
        }
    }

    /**
     * [start, end) byte ranges that each begin at a line start and end after a newline (or at the
     * end of file).
     */
    private static List<long[]> pieces(FileChannel channel, long size, int pieceBytes)
            throws IOException {
        var starts = new ArrayList<Long>();
        starts.add(0L);
        for (long nominal = pieceBytes; nominal < size; nominal += pieceBytes) {
            long start = lineStartAtOrAfter(channel, nominal, size);
            if (start < size && start > starts.get(starts.size() - 1)) {
                starts.add(start);
            }
        }
        var pieces = new ArrayList<long[]>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            pieces.add(
                    new long[] {starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : size});
        }
        return pieces;
    }

    /** The first position at or after {@code position} that starts a line: just after a newline. */
    private static long lineStartAtOrAfter(FileChannel channel, long position, long size)
            throws IOException {
        long newline = nextNewline(channel, position - 1, size);
        return newline < 0 ? size : newline + 1;
    }

    /**
     * The position of the first newline at or after {@code from}, or -1 when none comes before
     * {@code size}.
     */
    private static long nextNewline(FileChannel channel, long from, long size) throws IOException {
        var buffer = ByteBuffer.allocate(64 * 1024);
        long at = from;
        while (at < size) {
            buffer.clear();
            int read = channel.read(buffer, at);
            if (read <= 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) == '\n') {
                    return at + i;
                }
            }
            at += read;
        }
        return -1;
    }

    private static <R> Piece<R> parsePiece(
            Path file,
            FileChannel channel,
            long start,
            long end,
            boolean last,
            boolean fast,
            Function<EvalRecord, R> map)
            throws IOException {
        int length = (int) (end - start);
        byte[] bytes = PIECE_BUFFER.get();
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, PIECE_BYTES + (PIECE_BYTES >> 2))];
            PIECE_BUFFER.set(bytes);
        }
        var buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("file shrank while reading");
            }
        }
        if (fast) {
            // The common shape, read from the bytes; anything the scanner is not sure of is read
            // again with Jackson.
            var piece = new Piece<R>();
            long lines =
                    RecordScanner.scan(
                            bytes, length, record -> piece.add(map.apply(record), record.line()));
            if (lines >= 0) {
                piece.lineCount = lines;
                return piece;
            }
        }
        var piece = new Piece<R>();
        try (JsonParser parser = FACTORY.createParser(bytes, 0, length)) {
            long previousEnd = 0;
            while (true) {
                EvalRecord record;
                try {
                    JsonToken first = parser.nextToken();
                    if (first == null) {
                        // The parser counted the piece's lines (as the sequential reader numbers
                        // them) on its way.
                        piece.lineCount = (long) parser.currentLocation().getLineNr() - 1;
                        return piece;
                    }
                    long line = parser.currentTokenLocation().getLineNr();
                    if (line <= previousEnd) {
                        piece.fail(
                                line,
                                "a second JSON value on the line; a JSONL file holds one record a"
                                        + " line");
                        return piece;
                    }
                    record = read(parser, first, line, id -> false);
                    previousEnd = parser.currentLocation().getLineNr();
                } catch (JsonProcessingException e) {
                    JsonLocation location = e.getLocation();
                    if (last
                            && location != null
                            && location.getByteOffset() >= 0
                            && inUnterminatedLastLine(file, start + location.getByteOffset())) {
                        piece.truncated = true;
                        return piece;
                    }
                    piece.fail(
                            location == null ? previousEnd + 1 : location.getLineNr(),
                            "not a JSON record: " + e.getOriginalMessage());
                    return piece;
                }
                if (record.id() == null) {
                    piece.fail(record.line(), "record has no \"id\"");
                    return piece;
                }
                if (record.gold() == null && record.goldLabels() == null) {
                    piece.fail(record.line(), "record has no \"gold\" label");
                    return piece;
                }
                piece.add(map.apply(record), record.line());
            }
        }
    }

    /**
     * Whether a parse error lies in a last line that has no newline: what a run killed mid-write
     * leaves. No newline may follow the error's position, and the file must not end with one.
     */
    private static boolean inUnterminatedLastLine(Path file, JsonLocation location)
            throws IOException {
        if (location == null || location.getByteOffset() < 0) {
            return false;
        }
        return inUnterminatedLastLine(file, location.getByteOffset());
    }

    private static boolean inUnterminatedLastLine(Path file, long offset) throws IOException {
        try (var channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size == 0 || endsWithNewline(file)) {
                return false;
            }
            return nextNewline(channel, Math.min(offset, size), size) < 0;
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

    private static EvalRecord read(
            JsonParser parser, JsonToken first, long lineNumber, Predicate<String> wantText)
            throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw new JsonParseError(parser, "expected a JSON object");
        }
        String id = null;
        String text = null;
        String gold = null;
        List<String> goldLabels = null;
        String output = null;
        String error = null;
        String label = null;
        Map<String, Integer> votes = null;
        Integer promptTokens = null;
        Integer completionTokens = null;
        boolean probabilities = false;
        String constraint = null;
        boolean constraintBroken = false;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = scalar(parser, value);
                case "text" ->
                        text =
                                id == null || wantText.test(id)
                                        ? scalar(parser, value)
                                        : skip(parser);
                case "gold" -> {
                    if (value == JsonToken.START_ARRAY) {
                        goldLabels = names(parser);
                    } else {
                        gold = scalar(parser, value);
                    }
                }
                case "output" -> output = scalar(parser, value);
                case "error" -> error = scalar(parser, value);
                case "label" -> label = scalar(parser, value);
                case "votes" -> votes = votes(parser, value);
                case "prompt_tokens" -> promptTokens = count(parser, value);
                case "completion_tokens" -> completionTokens = count(parser, value);
                case "label_probs", "confidence", "vote_share" -> {
                    probabilities |= value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                case "constraint" -> constraint = scalar(parser, value);
                case "constraint_broken" -> constraintBroken = value == JsonToken.VALUE_TRUE;
                default -> parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseError(parser, "unexpected " + token);
        }
        return new EvalRecord(
                id,
                text,
                gold,
                output,
                error,
                label,
                votes,
                promptTokens,
                completionTokens,
                constraint,
                constraintBroken,
                probabilities,
                lineNumber,
                goldLabels);
    }

    /** A multi-label record's list of gold label names. */
    private static List<String> names(JsonParser parser) throws IOException {
        var names = new ArrayList<String>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (element != JsonToken.VALUE_STRING) {
                throw new JsonParseError(
                        parser, "field \"gold\" must be a label name or a list of label names");
            }
            names.add(parser.getText());
        }
        return names;
    }

    private static String scalar(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value.isScalarValue()) {
            return parser.getText();
        }
        throw new JsonParseError(
                parser, "field \"" + parser.currentName() + "\" must be a string, not " + value);
    }

    private static Integer count(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new JsonParseError(
                    parser,
                    "field \"" + parser.currentName() + "\" must be an integer, not " + value);
        }
        return parser.getIntValue();
    }

    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static Map<String, Integer> votes(JsonParser parser, JsonToken value)
            throws IOException {
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
                throw new JsonParseError(
                        parser, "vote count of \"" + name + "\" must be an integer");
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
