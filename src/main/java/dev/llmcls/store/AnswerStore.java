package dev.llmcls.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Answers kept across runs, in one SQLite database ({@value #FILE}) in a directory. Each row is one
 * answer body a server gave, with what it answers: the model identity as the server told it ({@code
 * id}, or {@code id @ real model}) and the exact JSON body sent, found through a 64-bit hash of the
 * two ({@link #key}). A row answers a request only when its model and body are exactly the
 * request's, so the hash only has to find it, not prove it: two requests whose hashes collide (odds
 * of about 1 in 40 million that a store of a million answers holds such a pair) cannot both be
 * kept, and the second is sent every time, never answered with the first's answer. Never holds an
 * API key or a header: the body is all that is kept of a request.
 *
 * <p>Many processes may use one store at once: the database runs in WAL mode (readers never wait
 * for the writer), each write is one short {@code BEGIN IMMEDIATE} transaction that waits up to
 * {@link #BUSY_TIMEOUT_MS} for another process's, and a process killed at any moment leaves either
 * the whole transaction or none of it. WAL needs a local file system: its shared-memory index does
 * not work over NFS or SMB.
 *
 * <p>One instance may be used from many threads; reads and writes each take their own connection
 * and lock.
 */
public final class AnswerStore implements AutoCloseable {
    public static final String FILE = "answers.sqlite";

    /**
     * How long a write waits for another process's transaction before it gives up (SQLite's busy
     * timeout).
     */
    static final int BUSY_TIMEOUT_MS = 60_000;

    /**
     * The schema this version writes ({@code PRAGMA user_version}): 1 (no user_version) keyed rows
     * by the SHA-256 of model and body in hex text; 2 by a 64-bit hash ({@link #key}), which costs
     * a fifth of the CPU to compute, look up and index. A store of version 1 is converted as it is
     * opened; one of a later version is refused.
     */
    static final int SCHEMA_VERSION = 2;

    // The rows go in the order they come (rowid), so that a write appends to the table's last
    // pages; only the small index on the hash takes an entry at a random place.
    private static final List<String> SCHEMA =
            List.of(
                    """
                    CREATE TABLE IF NOT EXISTS answers (
                      hash INTEGER NOT NULL,
                      model TEXT NOT NULL,
                      request TEXT NOT NULL,
                      answer TEXT NOT NULL,
                      sampled INTEGER NOT NULL,
                      run_id TEXT NOT NULL,
                      created_at INTEGER NOT NULL
                    )\
                    """,
                    "CREATE UNIQUE INDEX IF NOT EXISTS answers_by_hash ON answers (hash)");

    private final Path file;
    private final Connection reader;
    private final Connection writer;
    private final PreparedStatement find;
    private PreparedStatement insertOrIgnore;
    private PreparedStatement insertOrReplace;

    private AnswerStore(Path file, Connection reader, Connection writer) throws SQLException {
        this.file = file;
        this.reader = reader;
        this.writer = writer;
        this.find =
                reader.prepareStatement(
                        "SELECT answer, sampled, run_id, model, request FROM answers WHERE hash"
                                + " = ?");
    }

    /**
     * One kept answer: what it answers, the answer body, whether it was sampled, and the run that
     * got it.
     */
    public record Entry(
            String model,
            String request,
            String answer,
            boolean sampled,
            String runId,
            Instant createdAt) {
        public Entry {
            if (model == null
                    || request == null
                    || answer == null
                    || runId == null
                    || createdAt == null) {
                throw new IllegalArgumentException(
                        "an answer needs its model, request, answer, run id and time");
            }
        }
    }

    /**
     * An answer as it is written: its key, computed once when the answer was looked up, and its
     * request as the UTF-8 bytes that were sent (which SQLite takes as they are: binding the body
     * as a Java string made sqlite-jdbc encode it again, a new array three times the body's length
     * per answer, about 60 MB and a garbage collection or two per 20,000 answers).
     */
    record Keyed(
            long key,
            String model,
            byte[] request,
            String answer,
            boolean sampled,
            String runId,
            long createdAtMillis) {
        /** An entry as written, its request encoded and its key computed. */
        static Keyed of(Entry entry) {
            byte[] request = entry.request().getBytes(StandardCharsets.UTF_8);
            return new Keyed(
                    AnswerStore.key(entry.model(), request),
                    entry.model(),
                    request,
                    entry.answer(),
                    entry.sampled(),
                    entry.runId(),
                    entry.createdAt().toEpochMilli());
        }
    }

    /** One line of an export: an {@link Entry}, its time in ISO-8601. */
    @JsonPropertyOrder({"model", "request", "answer", "sampled", "run_id", "created_at"})
    record Line(
            String model,
            String request,
            String answer,
            boolean sampled,
            @JsonProperty("run_id") String runId,
            @JsonProperty("created_at") String createdAt) {
        Entry entry() {
            return new Entry(model, request, answer, sampled, runId, Instant.parse(createdAt));
        }

        static Line of(Entry entry) {
            return new Line(
                    entry.model(),
                    entry.request(),
                    entry.answer(),
                    entry.sampled(),
                    entry.runId(),
                    entry.createdAt().toString());
        }
    }

    /** A found answer: its body, whether it was sampled, and the run that got it. */
    public record Found(String answer, boolean sampled, String runId) {}

    /**
     * Opens (creating it when new) the store in {@code dir}; fails with an input error naming the
     * directory.
     */
    public static AnswerStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(
                    "cannot create the answer store directory "
                            + dir
                            + " ("
                            + e.getMessage()
                            + "); name another with --store or LLMCLS_STORE, or pass --no-store",
                    e);
        }
        loadSqlite();
        Path file = dir.resolve(FILE);
        Connection reader = null;
        Connection writer = null;
        try {
            writer = connect(file, SQLiteConfig.TransactionMode.IMMEDIATE);
            try (Statement statement = writer.createStatement()) {
                // a new store's pages: 8 KiB holds the answers (about 1 KB each) in fewer, fuller
                // pages than SQLite's default 4 KiB (about 15 % less CPU and disk per answer);
                // an existing store keeps its own
                retryBusy(() -> statement.execute("PRAGMA page_size=8192"));
                retryBusy(() -> statement.execute("PRAGMA journal_mode=WAL"));
            }
            Connection schemaWriter = writer;
            if (schemaVersion(writer) != SCHEMA_VERSION) {
                retryBusy(
                        () ->
                                inWriteTransaction(
                                        schemaWriter, () -> createOrConvert(schemaWriter, file)));
            }
            reader = connect(file, SQLiteConfig.TransactionMode.DEFERRED);
            return new AnswerStore(file, reader, writer);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(writer);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new InputException(
                    "cannot open the answer store "
                            + file
                            + " ("
                            + e.getMessage()
                            + "); name "
                            + "another with --store or LLMCLS_STORE, or pass --no-store",
                    e);
        }
    }

    /**
     * Loads SQLite's native library: the copy in the user's cache ({@link SqliteNative}), else the
     * one sqlite-jdbc unpacks into {@code org.sqlite.tmpdir}, else {@code java.io.tmpdir}; when
     * that fails (the directory is missing, read-only or mounted noexec) an input error names the
     * directory and the way out, instead of sqlite-jdbc's own stack traces (its logging is turned
     * off unless asked for).
     */
    private static void loadSqlite() {
        String logging = "org.slf4j.simpleLogger.log.org.sqlite";
        if (System.getProperty(logging) == null) {
            System.setProperty(logging, "off");
        }
        SqliteNative.useCachedCopy(System.getenv(), System.getProperty("user.home"));
        String why;
        try {
            if (SQLiteJDBCLoader.initialize()) {
                return;
            }
            why = "it could not be loaded from there";
        } catch (Exception | LinkageError e) {
            why = "it could not be loaded from there: " + firstLine(e.getMessage());
        }
        boolean own = System.getProperty("org.sqlite.tmpdir") != null;
        String where =
                own
                        ? System.getProperty("org.sqlite.tmpdir")
                        : System.getProperty("java.io.tmpdir");
        Path tmp = Path.of(where);
        if (!Files.isDirectory(tmp)) {
            why = "it does not exist";
        } else if (!Files.isWritable(tmp)) {
            why = "it cannot be written";
        }
        throw new InputException(
                "cannot load SQLite for the answer store: it unpacks its native library into "
                        + tmp
                        + " ("
                        + (own ? "org.sqlite.tmpdir" : "java.io.tmpdir")
                        + ") and "
                        + why
                        + "; name a writable directory that allows running programs with"
                        + " -Djava.io.tmpdir=DIR or -Dorg.sqlite.tmpdir=DIR (through"
                        + " LLMCLS_JAVA_OPTS for bin/llmcls), or pass --no-store");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static int schemaVersion(Connection connection) throws SQLException {
        return retryBusy(
                () -> {
                    try (Statement statement = connection.createStatement();
                            ResultSet row = statement.executeQuery("PRAGMA user_version")) {
                        return row.next() ? row.getInt(1) : 0;
                    }
                });
    }

    /**
     * In one write transaction (so that of several processes opening a store at once, one does it
     * and the others find it done): creates the schema in a new store, or converts a store of
     * version 1 by hashing each row's model and body anew. Refuses a store of a later version,
     * whose rows this version might misread.
     */
    private static int createOrConvert(Connection writer, Path file) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            int version = schemaVersion(writer);
            if (version > SCHEMA_VERSION) {
                throw new InputException(
                        "the answer store "
                                + file
                                + " was written by a later llmcls (schema "
                                + version
                                + ", this one reads "
                                + SCHEMA_VERSION
                                + "); use that version, or name another store with --store or"
                                + " LLMCLS_STORE, or pass --no-store");
            }
            boolean versionOne = version < SCHEMA_VERSION && hasColumn(writer, "answers", "key");
            if (versionOne) {
                statement.execute("ALTER TABLE answers RENAME TO answers_v1");
            }
            for (String create : SCHEMA) {
                statement.execute(create);
            }
            if (versionOne) {
                convertVersionOne(writer);
                statement.execute("DROP TABLE answers_v1");
            }
            statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            return version;
        }
    }

    /**
     * Runs {@code work} in one write transaction, {@code BEGIN IMMEDIATE} to {@code COMMIT}, rolled
     * back if it fails. The writer stays in auto-commit mode and begins each transaction itself:
     * sqlite-jdbc, told to leave auto-commit, begins the next transaction as soon as one commits,
     * and with IMMEDIATE transactions that holds the store's write lock from one write to the next
     * (every other process waits for this one to close).
     */
    private static <T> T inWriteTransaction(Connection writer, SqlWork<T> work)
            throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run();
                statement.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    statement.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // the transaction is gone already
                }
                throw e;
            }
        }
    }

    private static boolean hasColumn(Connection connection, String table, String column)
            throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (row.next()) {
                if (column.equals(row.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The columns {@link #entryAt} reads, in its order; version 1's table has them too. */
    private static final String ENTRY_COLUMNS =
            "model, request, answer, sampled, run_id, created_at";

    /** The {@link Entry} of the current row of a query that selects {@link #ENTRY_COLUMNS}. */
    private static Entry entryAt(ResultSet row) throws SQLException {
        return new Entry(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getInt(4) != 0,
                row.getString(5),
                Instant.ofEpochMilli(row.getLong(6)));
    }

    /** Copies version 1's rows (in {@code answers_v1}) into the new table, oldest first. */
    private static void convertVersionOne(Connection writer) throws SQLException {
        try (Statement select = writer.createStatement();
                ResultSet row =
                        select.executeQuery(
                                "SELECT "
                                        + ENTRY_COLUMNS
                                        + " FROM answers_v1 ORDER BY created_at, rowid");
                PreparedStatement insert = writer.prepareStatement(insertSql("IGNORE"))) {
            while (row.next()) {
                bind(insert, Keyed.of(entryAt(row)));
                insert.executeUpdate();
            }
        }
    }

    private static Connection connect(Path file, SQLiteConfig.TransactionMode mode)
            throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(mode);
        // straight to sqlite-jdbc: DriverManager's first use looks for every JDBC driver on the
        // class path, about 10 ms of a run's start
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /**
     * The store's key of an answer: a 64-bit hash of model identity, newline, request body ({@link
     * KeyHash}). Not a cryptographic hash, and it need not be one: a row is used only when its
     * model and body are the request's (see the class comment).
     */
    static long key(String model, String request) {
        return KeyHash.of(model, request);
    }

    /** As {@link #key(String, String)} of the text {@code utf8Request} encodes. */
    static long key(String model, byte[] utf8Request) {
        return KeyHash.of(model, utf8Request);
    }

    public Path file() {
        return file;
    }

    /** The answer kept for exactly this model identity and request body, or null. */
    public Found find(String model, String request) {
        byte[] utf8Request = request.getBytes(StandardCharsets.UTF_8);
        return find(key(model, utf8Request), model, utf8Request);
    }

    /**
     * As {@link #find(String, String)}, the request as its UTF-8 bytes, with the key already
     * computed ({@link #key}).
     */
    Found find(long key, String model, byte[] utf8Request) {
        synchronized (reader) {
            try {
                find.setLong(1, key);
                try (ResultSet row = find.executeQuery()) {
                    // the key is a hash: the row must also say exactly this model and request
                    if (row.next()
                            && model.equals(row.getString(4))
                            && Arrays.equals(utf8Request, row.getBytes(5))) {
                        return new Found(row.getString(1), row.getInt(2) != 0, row.getString(3));
                    }
                    return null;
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    /**
     * Keeps {@code entries} in one transaction: all of them or, if the process dies first, none. An
     * answer already kept under the same key stays unless {@code replace}. Returns how many rows
     * were added or replaced.
     */
    public int put(List<Entry> entries, boolean replace) {
        List<Keyed> keyed = new ArrayList<>(entries.size());
        entries.forEach(entry -> keyed.add(Keyed.of(entry)));
        return putKeyed(keyed, replace).changed();
    }

    /**
     * What one write did: how many rows it added or replaced, and the rows it wrote: those numbered
     * after {@code before}, up to {@code last}. No other connection writes between the two (the
     * write holds the store's write lock), so rows up to {@code before} that the caller has not
     * seen are other processes'.
     */
    record Written(int changed, long before, long last) {}

    /** As {@link #put}, each answer with its key already computed. */
    Written putKeyed(List<Keyed> entries, boolean replace) {
        if (entries.isEmpty()) {
            return new Written(0, 0, 0);
        }
        synchronized (writer) {
            try {
                PreparedStatement insert = replace ? replaceStatement() : insertStatement();
                return retryBusy(
                        () -> {
                            try {
                                return inWriteTransaction(writer, () -> insert(insert, entries));
                            } catch (SQLException e) {
                                insert.clearBatch();
                                throw e;
                            }
                        });
            } catch (SQLException e) {
                throw new StoreException("cannot write to the answer store " + file, e);
            }
        }
    }

    /** Inserts {@code entries} (in the writer's transaction). */
    private Written insert(PreparedStatement insert, List<Keyed> entries) throws SQLException {
        long before = lastRow(writer);
        // one JDBC batch: a third less CPU per answer than a statement executed per answer
        for (Keyed keyed : entries) {
            bind(insert, keyed);
            insert.addBatch();
        }
        int changed = 0;
        for (int count : insert.executeBatch()) {
            changed += Math.max(0, count);
        }
        long last = lastRow(writer);
        return new Written(changed, before, last);
    }

    /** Binds one answer's row to an insert ({@link #insertSql}). */
    private static void bind(PreparedStatement insert, Keyed answer) throws SQLException {
        insert.setLong(1, answer.key());
        insert.setString(2, answer.model());
        insert.setBytes(3, answer.request()); // made text again by the insert (insertSql)
        insert.setString(4, answer.answer());
        insert.setInt(5, answer.sampled() ? 1 : 0);
        insert.setString(6, answer.runId());
        insert.setLong(7, answer.createdAtMillis());
    }

    /** How many keys {@link #keysBetween} reads in one query. */
    private static final int KEYS_PER_QUERY = 50_000;

    /**
     * Tells {@code each} the key of every answer stored in a row numbered after {@code after} (0:
     * from the first) up to {@code upTo}, in the order they were stored, and returns the last row
     * told (or {@code after}). Rows are numbered in the order they are written, so a caller that
     * passes back what it got learns only what was written since (a row number freed by a prune is
     * not reused while a higher one remains). The keys of a query come as one text, which SQLite
     * builds: reading them a row at a time through JDBC costs several times more.
     */
    long keysBetween(long after, long upTo, LongConsumer each) {
        long last = after;
        synchronized (reader) {
            try (PreparedStatement select =
                    reader.prepareStatement(
                            "SELECT count(*), max(rowid), group_concat(hash) FROM (SELECT rowid,"
                                    + " hash FROM answers WHERE rowid > ? AND rowid <= ?"
                                    + " ORDER BY rowid LIMIT ?)")) {
                while (true) {
                    select.setLong(1, last);
                    select.setLong(2, upTo);
                    select.setInt(3, KEYS_PER_QUERY);
                    try (ResultSet row = select.executeQuery()) {
                        long count = row.next() ? row.getLong(1) : 0;
                        if (count == 0) {
                            return last;
                        }
                        last = row.getLong(2);
                        eachNumber(row.getString(3), each);
                        if (count < KEYS_PER_QUERY) {
                            return last;
                        }
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    /** The highest row number in the store: about how many answers it has ever held. */
    long lastRow() {
        synchronized (reader) {
            try {
                return lastRow(reader);
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    private static long lastRow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT max(rowid) FROM answers")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    /** Tells {@code each} every number in {@code text}, decimal integers separated by commas. */
    static void eachNumber(String text, LongConsumer each) {
        long value = 0;
        boolean negative = false;
        boolean any = false;
        for (int i = 0, n = text.length(); i <= n; i++) {
            char c = i < n ? text.charAt(i) : ',';
            if (c == ',') {
                if (any) {
                    each.accept(negative ? -value : value);
                }
                value = 0;
                negative = false;
                any = false;
            } else if (c == '-') {
                negative = true;
            } else {
                // accumulated negative-free: -2^63 wraps to itself, which is the right value
                value = value * 10 + (c - '0');
                any = true;
            }
        }
    }

    /** The writer's INSERT OR IGNORE, prepared once (guarded by {@code writer}). */
    private PreparedStatement insertStatement() throws SQLException {
        if (insertOrIgnore == null) {
            insertOrIgnore = writer.prepareStatement(insertSql("IGNORE"));
        }
        return insertOrIgnore;
    }

    /** The writer's INSERT OR REPLACE, prepared once (guarded by {@code writer}). */
    private PreparedStatement replaceStatement() throws SQLException {
        if (insertOrReplace == null) {
            insertOrReplace = writer.prepareStatement(insertSql("REPLACE"));
        }
        return insertOrReplace;
    }

    private static String insertSql(String conflict) {
        // the request comes as its UTF-8 bytes (a blob) and is kept as the text they are
        return "INSERT OR "
                + conflict
                + " INTO answers (hash, model, request, answer, sampled, run_id, created_at)"
                + " VALUES (?, ?, CAST(? AS TEXT), ?, ?, ?, ?)";
    }

    /** How many answers per model identity. */
    public record ModelCount(String model, long answers, long sampled) {}

    /** What the store holds. */
    @JsonPropertyOrder({
        "file", "bytes", "answers", "sampled", "runs", "oldest", "newest", "models"
    })
    public record Stats(
            String file,
            long bytes,
            long answers,
            long sampled,
            long runs,
            String oldest,
            String newest,
            List<ModelCount> models) {}

    public Stats stats() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement()) {
                long answers;
                long sampled;
                long runs;
                String oldest = null;
                String newest = null;
                try (ResultSet row =
                        statement.executeQuery(
                                "SELECT count(*), coalesce(sum(sampled), 0), count(DISTINCT"
                                    + " run_id), min(created_at), max(created_at) FROM answers")) {
                    row.next();
                    answers = row.getLong(1);
                    sampled = row.getLong(2);
                    runs = row.getLong(3);
                    if (answers > 0) {
                        oldest = Instant.ofEpochMilli(row.getLong(4)).toString();
                        newest = Instant.ofEpochMilli(row.getLong(5)).toString();
                    }
                }
                var models = new ArrayList<ModelCount>();
                try (ResultSet row =
                        statement.executeQuery(
                                "SELECT model, count(*), sum(sampled) FROM answers "
                                        + "GROUP BY model ORDER BY count(*) DESC, model")) {
                    while (row.next()) {
                        models.add(
                                new ModelCount(row.getString(1), row.getLong(2), row.getLong(3)));
                    }
                }
                return new Stats(
                        file.toString(), bytes(), answers, sampled, runs, oldest, newest, models);
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    private long bytes() {
        long sum = 0;
        for (String suffix : List.of("", "-wal")) {
            try {
                Path part = file.resolveSibling(file.getFileName() + suffix);
                sum += Files.isRegularFile(part) ? Files.size(part) : 0;
            } catch (IOException e) {
                // gone between the check and the size: counts nothing
            }
        }
        return sum;
    }

    /**
     * Removes the answers kept before {@code before} (null: any time) of model {@code model} (null:
     * any; a name matches an identity that is it or starts with it and " @ "). Returns how many
     * were removed.
     */
    public long prune(Instant before, String model) {
        var where = new ArrayList<String>();
        if (before != null) {
            where.add("created_at < ?");
        }
        if (model != null) {
            where.add("(model = ? OR substr(model, 1, ?) = ?)");
        }
        String sql =
                "DELETE FROM answers"
                        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
        synchronized (writer) {
            try {
                long removed =
                        retryBusy(
                                () ->
                                        inWriteTransaction(
                                                writer,
                                                () -> {
                                                    try (PreparedStatement delete =
                                                            writer.prepareStatement(sql)) {
                                                        int index = 1;
                                                        if (before != null) {
                                                            delete.setLong(
                                                                    index++, before.toEpochMilli());
                                                        }
                                                        if (model != null) {
                                                            delete.setString(index++, model);
                                                            delete.setInt(
                                                                    index++, model.length() + 3);
                                                            delete.setString(index, model + " @ ");
                                                        }
                                                        return (long) delete.executeUpdate();
                                                    }
                                                }));
                try (Statement statement = writer.createStatement()) {
                    statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return removed;
            } catch (SQLException e) {
                throw new StoreException("cannot prune the answer store " + file, e);
            }
        }
    }

    /**
     * Writes every kept answer to {@code out}, one JSON object a line, oldest first; returns how
     * many.
     */
    public long export(Writer out) throws IOException {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                    ResultSet row =
                            statement.executeQuery(
                                    "SELECT "
                                            + ENTRY_COLUMNS
                                            + " FROM answers ORDER BY created_at, rowid")) {
                long n = 0;
                while (row.next()) {
                    out.write(Json.MAPPER.writeValueAsString(Line.of(entryAt(row))));
                    out.write('\n');
                    n++;
                }
                out.flush();
                return n;
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    /** What an import did: answers added, and those the store already had (kept as they were). */
    public record Imported(long added, long present) {}

    /**
     * Reads answers written by {@link #export} and keeps those the store does not have yet, in
     * transactions of a few thousand. A line that is not such an answer fails with an input error
     * naming it, before anything of its transaction is kept.
     */
    public Imported importFrom(BufferedReader in, String source) throws IOException {
        long added = 0;
        long read = 0;
        var batch = new ArrayList<Entry>();
        String line;
        long lineNumber = 0;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Entry entry;
            try {
                entry = Json.MAPPER.readValue(line, Line.class).entry();
            } catch (JsonProcessingException | RuntimeException e) {
                String why =
                        e instanceof JsonProcessingException json
                                ? json.getOriginalMessage()
                                : e.getMessage();
                throw new InputException(
                        source
                                + " line "
                                + lineNumber
                                + " is not an exported answer ("
                                + why
                                + "); import reads what `llmcls store export` writes",
                        e);
            }
            batch.add(entry);
            read++;
            if (batch.size() >= 2_000) {
                added += put(batch, false);
                batch.clear();
            }
        }
        added += put(batch, false);
        return new Imported(added, read - added);
    }

    /**
     * What an integrity check found: SQLite's own verdict and the rows whose key does not match
     * their content.
     */
    public record Check(String sqlite, long answers, long badKeys, long badAnswers) {
        public boolean ok() {
            return "ok".equals(sqlite) && badKeys == 0 && badAnswers == 0;
        }
    }

    /**
     * SQLite's {@code integrity_check}, then every row: its key must be the hash of its model and
     * request, and its answer a whole JSON object.
     */
    public Check check() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement()) {
                String verdict;
                try (ResultSet row = statement.executeQuery("PRAGMA integrity_check")) {
                    var lines = new ArrayList<String>();
                    while (row.next()) {
                        lines.add(row.getString(1));
                    }
                    verdict = String.join("; ", lines);
                }
                long answers = 0;
                long badKeys = 0;
                long badAnswers = 0;
                try (ResultSet row =
                        statement.executeQuery(
                                "SELECT hash, model, request, answer FROM answers")) {
                    while (row.next()) {
                        answers++;
                        if (row.getLong(1) != key(row.getString(2), row.getString(3))) {
                            badKeys++;
                        }
                        try {
                            if (!Json.MAPPER.readTree(row.getString(4)).isObject()) {
                                badAnswers++;
                            }
                        } catch (JsonProcessingException e) {
                            badAnswers++;
                        }
                    }
                }
                return new Check(verdict, answers, badKeys, badAnswers);
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    /** How many answers each run got into the store. */
    public Map<String, Long> answersPerRun() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                    ResultSet row =
                            statement.executeQuery(
                                    "SELECT run_id, count(*) FROM answers GROUP BY run_id "
                                            + "ORDER BY run_id")) {
                var counts = new LinkedHashMap<String, Long>();
                while (row.next()) {
                    counts.put(row.getString(1), row.getLong(2));
                }
                return counts;
            } catch (SQLException e) {
                throw new StoreException("cannot read the answer store " + file, e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (reader) {
            try {
                find.close();
            } catch (SQLException e) {
                // closing anyway
            }
            closeQuietly(reader);
        }
        synchronized (writer) {
            for (PreparedStatement statement :
                    new PreparedStatement[] {insertOrIgnore, insertOrReplace}) {
                try {
                    if (statement != null) {
                        statement.close();
                    }
                } catch (SQLException e) {
                    // closing anyway
                }
            }
            closeQuietly(writer);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing left to do with it
            }
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * SQLite answers BUSY at once, without waiting out the busy timeout, in a few cases (another
     * connection is switching the journal mode, or recovering a WAL after a crash); those are tried
     * again for up to the timeout.
     */
    private static <T> T retryBusy(SqlWork<T> work) throws SQLException {
        long deadline = System.nanoTime() + BUSY_TIMEOUT_MS * 1_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                return work.run();
            } catch (SQLiteException e) {
                boolean busy =
                        e.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                                || e.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED
                                || e.getResultCode().code == SQLiteErrorCode.SQLITE_BUSY.code;
                if (!busy || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(200, 5L << Math.min(attempt, 5)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The store could not be read or written: a disk problem, or a database another program broke.
     */
    public static final class StoreException extends UncheckedIOException {
        StoreException(String message, SQLException cause) {
            super(message + ": " + cause.getMessage(), new IOException(cause));
        }
    }
}
