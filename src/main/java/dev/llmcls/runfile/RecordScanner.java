package dev.llmcls.runfile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The parallel reader's fast path: reads the records of one piece of a run file straight from its
 * bytes, without Jackson, decoding only the strings evaluation keeps (the text and other long
 * fields are checked and skipped, never decoded). It reads only the common shape, one JSON object
 * on each line, and gives up ({@link #scan} returns false) at the first line it is not sure it
 * reads exactly as {@link RecordStream}'s Jackson reader does; the caller then reads the whole
 * piece with Jackson, which also names any error. So what it accepts is a subset of what Jackson
 * accepts, and for that subset it must give equal {@link EvalRecord}s.
 *
 * <p>It gives up on: anything but spaces and tabs around the object on its line (a byte-order mark,
 * a lone carriage return, a record over several lines, a second value on the line, a line cut
 * short); a field evaluation reads holding a value of another type than it expects (a boolean as an
 * id, a non-null {@code votes}; a number where a string is expected is read as its text, as
 * Jackson's reader does), or twice; a record without {@code id} or {@code gold}; a field name with
 * an escape or a non-ASCII byte; malformed or over-long UTF-8 (it accepts only well-formed UTF-8,
 * RFC 3629), an unknown or short escape, a control character in a string; numbers outside strict
 * JSON syntax, an integer count of more than nine digits; objects nested deeper than {@value
 * #MAX_DEPTH}; strings of more than {@value #MAX_STRING} bytes.
 */
final class RecordScanner {
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING = 4_000_000;
    private static final int MAX_NAME = 1000;
    private static final int MAX_NUMBER = 100;

    private static final int ID = 0;
    private static final int TEXT = 1;
    private static final int GOLD = 2;
    private static final int OUTPUT = 3;
    private static final int ERROR = 4;
    private static final int LABEL = 5;
    private static final int VOTES = 6;
    private static final int PROMPT_TOKENS = 7;
    private static final int COMPLETION_TOKENS = 8;
    private static final int LABEL_PROBS = 9;
    private static final int CONFIDENCE = 10;
    private static final int VOTE_SHARE = 11;
    private static final int CONSTRAINT = 12;
    private static final int CONSTRAINT_BROKEN = 13;
    private static final int UNKNOWN = -1;
    private static final int GIVE_UP = -2;

    /** The fields {@link RecordStream}'s reader knows, at the indices above. */
    private static final byte[][] NAMES =
            names(
                    "id",
                    "text",
                    "gold",
                    "output",
                    "error",
                    "label",
                    "votes",
                    "prompt_tokens",
                    "completion_tokens",
                    "label_probs",
                    "confidence",
                    "vote_share",
                    "constraint",
                    "constraint_broken");

    /**
     * Returned by the string readers when the value is not a string or null (a new instance:
     * compared by identity).
     */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String NOT_A_STRING = new String("not a string");

    private static final Integer NOT_AN_INT = Integer.MIN_VALUE;

    /**
     * Bytes that end a run of plain string bytes: the quote, the backslash, control characters,
     * non-ASCII.
     */
    private static final boolean[] SPECIAL = new boolean[256];

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    static {
        for (int c = 0; c < 256; c++) {
            SPECIAL[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
        }
    }

    private final byte[] b;
    private final int end;
    private int p;
    private long lines;

    /**
     * Whether the string just scanned holds an escape or a non-ASCII byte (so needs decoding, not
     * copying).
     */
    private boolean needsDecoding;

    /**
     * Whether the string just scanned holds a character beyond Latin-1's first 128 (non-ASCII, or a
     * {@code \\u}).
     */
    private boolean wide;

    /** Where the escapes of the string just scanned are, {@link #escapeCount} of them. */
    private int[] escapes = new int[16];

    private int escapeCount;
    private char[] chars = new char[0];

    /**
     * The field names of the record read last, by position (plain ASCII names only): each name with
     * its closing quote as {@link #words}, that length, and the field index.
     */
    private final long[][] wordsAt = new long[32][];

    private final int[] lengthsAt = new int[32];
    private final int[] fieldsAt = new int[32];
    private byte[] latin1 = new byte[0];

    private RecordScanner(byte[] bytes, int length) {
        b = bytes;
        end = length;
    }

    /**
     * Reads the records in {@code bytes[0, length)}, handing each to {@code sink} in order, and
     * returns the number of lines (newlines) it holds; or -1, at the first line it is not sure of
     * (the records handed over before it were read right, but the caller should read the piece
     * again with Jackson).
     */
    static long scan(byte[] bytes, int length, Consumer<EvalRecord> sink) {
        return new RecordScanner(bytes, length).scan(sink);
    }

    private long scan(Consumer<EvalRecord> sink) {
        while (true) {
            skipSpaces();
            if (p == end) {
                return lines;
            }
            byte c = b[p];
            if (c == '\n' || c == '\r') {
                if (!newline()) {
                    return -1;
                }
                continue;
            }
            if (c != '{') {
                return -1;
            }
            EvalRecord record = record(lines + 1);
            if (record == null) {
                return -1;
            }
            skipSpaces();
            if (p < end && !newline()) {
                return -1;
            }
            sink.accept(record);
        }
    }

    /** Consumes a line end: a newline or a carriage return and newline; false at anything else. */
    private boolean newline() {
        if (b[p] == '\r') {
            p++;
        }
        if (p < end && b[p] == '\n') {
            p++;
            lines++;
            return true;
        }
        return false;
    }

    /** Skips spaces and tabs. Small enough for C1 to inline: there is rarely any space to skip. */
    private void skipSpaces() {
        if (p < end && b[p] <= ' ') {
            skipMoreSpaces();
        }
    }

    private void skipMoreSpaces() {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
    }

    /** The record whose opening brace is at {@code p}, or null to give up. */
    @SuppressWarnings(
            "ReferenceEquality") // NOT_A_STRING is a sentinel: its identity is what marks it
    private EvalRecord record(long line) {
        p++;
        String id = null;
        String text = null;
        String gold = null;
        String output = null;
        String error = null;
        String label = null;
        String constraint = null;
        Integer promptTokens = null;
        Integer completionTokens = null;
        boolean probabilities = false;
        boolean constraintBroken = false;
        int seen = 0;
        int position = 0;
        skipSpaces();
        while (true) {
            if (p >= end || b[p] != '"') {
                return null;
            }
            // Records of one run list their fields in one order: the name at this position in the
            // record before is
            // tried first (a plain ASCII name, so equal bytes and the closing quote are the same
            // name).
            int field;
            long[] expected = position < wordsAt.length ? wordsAt[position] : null;
            if (expected != null && quotedNameAt(p + 1, expected, lengthsAt[position])) {
                field = fieldsAt[position];
                p += lengthsAt[position] + 1;
            } else {
                int nameStart = p + 1;
                field = fieldName();
                if (field == GIVE_UP) {
                    return null;
                }
                if (position < wordsAt.length) {
                    wordsAt[position] = words(nameStart, p - nameStart);
                    lengthsAt[position] = p - nameStart;
                    fieldsAt[position] = field;
                }
            }
            position++;
            if (field != UNKNOWN) {
                if ((seen & 1 << field) != 0) {
                    return null;
                }
                seen |= 1 << field;
            }
            skipSpaces();
            if (p >= end || b[p] != ':') {
                return null;
            }
            p++;
            skipSpaces();
            if (p >= end) {
                return null;
            }
            String string = null;
            switch (field) {
                case ID -> id = string = stringOrNull();
                case TEXT -> {
                    // Jackson's reader decodes a text that comes before the id (it cannot yet ask
                    // whether it is
                    // wanted); after the id it skips it.
                    if (id == null) {
                        text = string = stringOrNull();
                    } else if (!skipValue(0)) {
                        return null;
                    }
                }
                case GOLD -> gold = string = stringOrNull();
                case OUTPUT -> output = string = stringOrNull();
                case ERROR -> error = string = stringOrNull();
                case LABEL -> label = string = stringOrNull();
                case CONSTRAINT -> constraint = string = stringOrNull();
                case VOTES -> {
                    if (!literal("null")) {
                        return null;
                    }
                }
                case PROMPT_TOKENS -> {
                    promptTokens = intOrNull();
                    if (NOT_AN_INT.equals(promptTokens)) {
                        return null;
                    }
                }
                case COMPLETION_TOKENS -> {
                    completionTokens = intOrNull();
                    if (NOT_AN_INT.equals(completionTokens)) {
                        return null;
                    }
                }
                case LABEL_PROBS, CONFIDENCE, VOTE_SHARE -> {
                    if (!literal("null")) {
                        probabilities = true;
                        if (!skipValue(0)) {
                            return null;
                        }
                    }
                }
                case CONSTRAINT_BROKEN -> {
                    if (literal("true")) {
                        constraintBroken = true;
                    } else if (!literal("false") && !literal("null")) {
                        return null;
                    }
                }
                default -> {
                    if (!skipValue(0)) {
                        return null;
                    }
                }
            }
            if (string == NOT_A_STRING) {
                return null;
            }
            skipSpaces();
            if (p >= end) {
                return null;
            }
            if (b[p] == ',') {
                p++;
                skipSpaces();
            } else if (b[p] == '}') {
                p++;
                break;
            } else {
                return null;
            }
        }
        if (id == null || gold == null) {
            return null;
        }
        return new EvalRecord(
                id,
                text,
                gold,
                output,
                error,
                label,
                null,
                promptTokens,
                completionTokens,
                constraint,
                constraintBroken,
                probabilities,
                line);
    }

    /**
     * Reads the field name at {@code p} (a quote): the index of a known field, {@link #UNKNOWN} or
     * {@link #GIVE_UP}.
     */
    private int fieldName() {
        int start = ++p;
        while (p < end && p - start <= MAX_NAME) {
            int c = b[p] & 0xff;
            if (c == '"') {
                int length = p - start;
                p++;
                int field = candidate(length, b[start], b[start + length - 1]);
                return field != UNKNOWN && regionEquals(start, NAMES[field]) ? field : UNKNOWN;
            }
            if (SPECIAL[c]) {
                return GIVE_UP;
            }
            p++;
        }
        return GIVE_UP;
    }

    /**
     * The only known field a name of this length, first and last byte can be ({@link #UNKNOWN} when
     * none).
     */
    private static int candidate(int length, byte first, byte last) {
        return switch (length) {
            case 2 -> ID;
            case 4 -> first == 't' ? TEXT : GOLD;
            case 5 -> first == 'e' ? ERROR : first == 'l' ? LABEL : VOTES;
            case 6 -> OUTPUT;
            case 10 -> first == 'v' ? VOTE_SHARE : last == 't' ? CONSTRAINT : CONFIDENCE;
            case 11 -> LABEL_PROBS;
            case 13 -> PROMPT_TOKENS;
            case 17 -> last == 's' ? COMPLETION_TOKENS : CONSTRAINT_BROKEN;
            default -> UNKNOWN;
        };
    }

    /**
     * The {@code length} bytes at {@code at} as little-endian longs for {@link #quotedNameAt}: one,
     * zero-padded, for up to eight bytes; else the longs at offsets 0, 8, ... before the last
     * eight, then the last eight.
     */
    private long[] words(int at, int length) {
        byte[] bytes = Arrays.copyOfRange(b, at, at + Math.max(length, 8));
        if (length <= 8) {
            Arrays.fill(bytes, length, 8, (byte) 0);
            return new long[] {(long) LONGS.get(bytes, 0)};
        }
        long[] words = new long[(length + 7) / 8];
        int i = 0;
        for (int offset = 0; offset + 8 < length; offset += 8) {
            words[i++] = (long) LONGS.get(bytes, offset);
        }
        words[i] = (long) LONGS.get(bytes, length - 8);
        return words;
    }

    /**
     * Whether the {@code length} bytes at {@code at} are those {@link #words} made {@code words}
     * of.
     */
    private boolean quotedNameAt(int at, long[] words, int length) {
        if (at + length > end || at + 8 > b.length) {
            return false;
        }
        if (length <= 8) {
            long mask = length == 8 ? -1L : (1L << (8 * length)) - 1;
            return ((long) LONGS.get(b, at) & mask) == words[0];
        }
        int i = 0;
        for (int offset = 0; offset + 8 < length; offset += 8) {
            if ((long) LONGS.get(b, at + offset) != words[i++]) {
                return false;
            }
        }
        return (long) LONGS.get(b, at + length - 8) == words[i];
    }

    private boolean regionEquals(int start, byte[] name) {
        if (start + name.length > end) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Consumes {@code word} (ASCII) when it is at {@code p}. */
    private boolean literal(String word) {
        int n = word.length();
        if (end - p < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                return false;
            }
        }
        p += n;
        return true;
    }

    /**
     * A string value, or a number's text as written (as Jackson's {@code getText}), null for JSON
     * null, {@link #NOT_A_STRING} for anything else or a value it gives up on.
     */
    private String stringOrNull() {
        if (b[p] == '"') {
            int start = p + 1;
            int stop = scanString();
            if (stop < 0) {
                return NOT_A_STRING;
            }
            if (!needsDecoding) {
                return new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
            }
            return wide ? decode(start, stop) : unescape(start, stop);
        }
        if (b[p] == '-' || isDigit(b[p])) {
            // A number where a string is wanted: Jackson's reader takes its text as written (strict
            // JSON syntax).
            int start = p;
            return number()
                    ? new String(b, start, p - start, StandardCharsets.ISO_8859_1)
                    : NOT_A_STRING;
        }
        return literal("null") ? null : NOT_A_STRING;
    }

    /**
     * Checks the string whose opening quote is at {@code p} and moves past its closing quote;
     * returns the position of the closing quote, or -1 to give up. Sets {@link #needsDecoding} and
     * {@link #wide}, and notes where each escape is in {@link #escapes}.
     */
    private int scanString() {
        int start = ++p;
        boolean decoding = false;
        boolean notLatin1 = false;
        escapeCount = 0;
        while (true) {
            p = plainRun(p);
            if (p >= end) {
                return -1;
            }
            int c = b[p] & 0xff;
            if (c == '"') {
                if (p - start > MAX_STRING) {
                    return -1;
                }
                needsDecoding = decoding;
                wide = notLatin1;
                return p++;
            }
            decoding = true;
            if (c == '\\') {
                int length = escapeLength(p);
                if (length == 0) {
                    return -1;
                }
                notLatin1 |= length != 2;
                if (escapeCount == escapes.length) {
                    escapes = Arrays.copyOf(escapes, 2 * escapes.length);
                }
                escapes[escapeCount++] = p;
                p += length;
            } else if (c >= 0x80) {
                int length = utf8Length(p);
                if (length == 0) {
                    return -1;
                }
                notLatin1 = true;
                p += length;
            } else {
                return -1; // a control character: JSON wants it escaped
            }
        }
    }

    /**
     * The position of the first byte at or after {@code from} that is a quote, a backslash, a
     * control character or not ASCII ({@code end} when none): eight bytes at a time, then one by
     * one.
     */
    private int plainRun(int from) {
        int at = from;
        while (at + 8 <= end) {
            long word = (long) LONGS.get(b, at);
            long quote = word ^ 0x2222222222222222L;
            long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
            // A byte's high bit is set here when it is 0x22, 0x5C, below 0x20 or at least 0x80
            // (exact for the lowest
            // such byte, which is the one used).
            long special =
                    (((quote - ONES) & ~quote)
                                    | ((backslash - ONES) & ~backslash)
                                    | (word - 0x2020202020202020L)
                                    | word)
                            & HIGH_BITS;
            if (special != 0) {
                return at + (Long.numberOfTrailingZeros(special) >>> 3);
            }
            at += 8;
        }
        while (at < end && !SPECIAL[b[at] & 0xff]) {
            at++;
        }
        return at;
    }

    /**
     * The length of the escape at {@code at} (2, or 6 for {@code \\uXXXX}), or 0 when it is not one
     * JSON allows.
     */
    private int escapeLength(int at) {
        if (at + 1 >= end) {
            return 0;
        }
        switch (b[at + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return 2;
            }
            case 'u' -> {
                if (at + 5 >= end) {
                    return 0;
                }
                for (int i = at + 2; i < at + 6; i++) {
                    if (hex(b[i]) < 0) {
                        return 0;
                    }
                }
                return 6;
            }
            default -> {
                return 0;
            }
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * The length of the well-formed UTF-8 sequence (RFC 3629) at {@code at}, or 0 when it is not
     * one.
     */
    private int utf8Length(int at) {
        int c = b[at] & 0xff;
        int length;
        int low = 0x80;
        int high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (at + length > end) {
            return 0;
        }
        int second = b[at + 1] & 0xff;
        if (second < low || second > high) {
            return 0;
        }
        for (int i = at + 2; i < at + length; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return length;
    }

    /**
     * Decodes an ASCII string with two-character escapes only, checked by {@link #scanString}: runs
     * are copied.
     */
    private String unescape(int start, int stop) {
        if (latin1.length < stop - start) {
            latin1 = new byte[Math.max(stop - start, 2 * latin1.length)];
        }
        int n = 0;
        int from = start;
        for (int e = 0; e < escapeCount; e++) {
            int at = escapes[e];
            System.arraycopy(b, from, latin1, n, at - from);
            n += at - from;
            latin1[n++] = (byte) unescaped(b[at + 1]);
            from = at + 2;
        }
        System.arraycopy(b, from, latin1, n, stop - from);
        n += stop - from;
        return new String(latin1, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The character a two-character escape stands for. */
    private static char unescaped(byte e) {
        return switch (e) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> (char) e; // '"', '\\', '/'
        };
    }

    /**
     * Decodes a string checked by {@link #scanString} (escapes and UTF-8) from {@code start} to its
     * closing quote.
     */
    private String decode(int start, int stop) {
        if (chars.length < stop - start) {
            chars = new char[Math.max(stop - start, 2 * chars.length)];
        }
        int n = 0;
        int i = start;
        while (i < stop) {
            int c = b[i] & 0xff;
            if (c == '\\') {
                byte e = b[i + 1];
                if (e == 'u') {
                    chars[n++] =
                            (char)
                                    (hex(b[i + 2]) << 12
                                            | hex(b[i + 3]) << 8
                                            | hex(b[i + 4]) << 4
                                            | hex(b[i + 5]));
                    i += 6;
                    continue;
                }
                chars[n++] = unescaped(e);
                i += 2;
            } else if (c < 0x80) {
                chars[n++] = (char) c;
                i++;
            } else if (c < 0xE0) {
                chars[n++] = (char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F));
                i += 2;
            } else if (c < 0xF0) {
                chars[n++] =
                        (char) (((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                i += 3;
            } else {
                int codePoint =
                        ((c & 0x07) << 18)
                                | ((b[i + 1] & 0x3F) << 12)
                                | ((b[i + 2] & 0x3F) << 6)
                                | (b[i + 3] & 0x3F);
                chars[n++] = Character.highSurrogate(codePoint);
                chars[n++] = Character.lowSurrogate(codePoint);
                i += 4;
            }
        }
        return new String(chars, 0, n);
    }

    /**
     * An integer count (at most nine digits), null for JSON null, {@link #NOT_AN_INT} for anything
     * else.
     */
    private Integer intOrNull() {
        if (literal("null")) {
            return null;
        }
        boolean negative = b[p] == '-';
        if (negative) {
            p++;
        }
        int digits = p;
        int value = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            value = value * 10 + (b[p] - '0');
            p++;
            if (p - digits > 9) {
                return NOT_AN_INT;
            }
        }
        if (p == digits || (b[digits] == '0' && p - digits > 1)) {
            return NOT_AN_INT; // no digit, or a leading zero
        }
        if (p < end && (b[p] == '.' || b[p] == 'e' || b[p] == 'E')) {
            return NOT_AN_INT; // a float: Jackson's reader rejects it as a count
        }
        return negative ? -value : value;
    }

    /** Checks and skips any JSON value at {@code p}; false to give up. */
    private boolean skipValue(int depth) {
        if (p >= end) {
            return false;
        }
        switch (b[p]) {
            case '"' -> {
                return scanString() >= 0;
            }
            case '{' -> {
                return depth < MAX_DEPTH && skipContainer(depth, '}', true);
            }
            case '[' -> {
                return depth < MAX_DEPTH && skipContainer(depth, ']', false);
            }
            case 't' -> {
                return literal("true");
            }
            case 'f' -> {
                return literal("false");
            }
            case 'n' -> {
                return literal("null");
            }
            default -> {
                return number();
            }
        }
    }

    /** Skips an object (with names) or an array, its opening bracket at {@code p}. */
    private boolean skipContainer(int depth, char close, boolean named) {
        p++;
        skipSpaces();
        if (p < end && b[p] == close) {
            p++;
            return true;
        }
        while (true) {
            if (named) {
                if (p >= end || b[p] != '"') {
                    return false;
                }
                int start = p + 1;
                int stop = scanString();
                if (stop < 0 || stop - start > MAX_NAME) {
                    return false;
                }
                skipSpaces();
                if (p >= end || b[p] != ':') {
                    return false;
                }
                p++;
                skipSpaces();
            }
            if (!skipValue(depth + 1)) {
                return false;
            }
            skipSpaces();
            if (p >= end) {
                return false;
            }
            if (b[p] == ',') {
                p++;
                skipSpaces();
            } else if (b[p] == close) {
                p++;
                return true;
            } else {
                return false;
            }
        }
    }

    /**
     * Skips a number in strict JSON syntax: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}.
     */
    private boolean number() {
        int start = p;
        if (b[p] == '-') {
            p++;
        }
        if (p >= end) {
            return false;
        }
        if (b[p] == '0') {
            p++;
            if (p < end && isDigit(b[p])) {
                return false;
            }
        } else if (b[p] >= '1' && b[p] <= '9') {
            digits();
        } else {
            return false;
        }
        if (p < end && b[p] == '.') {
            p++;
            if (digits() == 0) {
                return false;
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            if (digits() == 0) {
                return false;
            }
        }
        return p - start <= MAX_NUMBER;
    }

    private int digits() {
        int start = p;
        while (p < end && isDigit(b[p])) {
            p++;
        }
        return p - start;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static byte[][] names(String... names) {
        var bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
