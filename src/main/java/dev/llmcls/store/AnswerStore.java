package dev.llmcls.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.core.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Answers kept across runs, in one SQLite database ({@value #FILE}) in a directory. Each row is one
 * answer body a server gave, under the key sha256(model identity, newline, request body): the model
 * identity as the server told it ({@code id}, or {@code id @ real model}) and the exact JSON body
 * sent. Never holds an API key or a header: the body is all that is kept of a request.
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

    private static final String SCHEMA =
            """
            CREATE TABLE IF NOT EXISTS answers (
              key TEXT PRIMARY KEY NOT NULL,
              model TEXT NOT NULL,
              request TEXT NOT NULL,
              answer TEXT NOT NULL,
              sampled INTEGER NOT NULL,
              run_id TEXT NOT NULL,
              created_at INTEGER NOT NULL
            )\
            """;

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
                        "SELECT answer, sampled, run_id, model, request FROM answers WHERE key ="
                                + " ?");
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

        String key() {
            return AnswerStore.key(model, request);
        }
    }

    /** An answer to keep and its key, computed once when the answer was looked up. */
    record Keyed(String key, Entry entry) {}

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
                retryBusy(() -> statement.execute(SCHEMA));
            }
            writer.setAutoCommit(false);
            reader = connect(file, SQLiteConfig.TransactionMode.DEFERRED);
            return new AnswerStore(file, reader, writer);
        } catch (SQLException e) {
            closeQuietly(reader);
            closeQuietly(writer);
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
     * Loads SQLite's native library, which sqlite-jdbc unpacks into {@code org.sqlite.tmpdir}, else
     * {@code java.io.tmpdir}; when that fails (the directory is missing, read-only or mounted
     * noexec) an input error names the directory and the way out, instead of sqlite-jdbc's own
     * stack traces (its logging is turned off unless asked for).
     */
    private static void loadSqlite() {
        String logging = "org.slf4j.simpleLogger.log.org.sqlite";
        if (System.getProperty(logging) == null) {
            System.setProperty(logging, "off");
        }
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

    private static Connection connect(Path file, SQLiteConfig.TransactionMode mode)
            throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(mode);
        return DriverManager.getConnection(
                "jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    }

    /**
     * The store's key of an answer: sha256(model identity, newline, request body), in hex (as
     * {@link Sha256#hex} of the joined text, without building it; one digest per thread).
     */
    static String key(String model, String request) {
        MessageDigest digest = Sha256.perThread();
        digest.update(model.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(request.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    public Path file() {
        return file;
    }

    /** The answer kept for exactly this model identity and request body, or null. */
    public Found find(String model, String request) {
        return find(key(model, request), model, request);
    }

    /** As {@link #find(String, String)}, with the key already computed ({@link #key}). */
    Found find(String key, String model, String request) {
        synchronized (reader) {
            try {
                find.setString(1, key);
                try (ResultSet row = find.executeQuery()) {
                    // the key is a hash: the row must also say exactly this model and request
                    if (row.next()
                            && model.equals(row.getString(4))
                            && request.equals(row.getString(5))) {
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
        entries.forEach(entry -> keyed.add(new Keyed(entry.key(), entry)));
        return putKeyed(keyed, replace);
    }

    /** As {@link #put}, each answer with its key already computed. */
    int putKeyed(List<Keyed> entries, boolean replace) {
        if (entries.isEmpty()) {
            return 0;
        }
        synchronized (writer) {
            try {
                PreparedStatement insert = replace ? replaceStatement() : insertStatement();
                return retryBusy(
                        () -> {
                            try {
                                int changed = 0;
                                for (Keyed keyed : entries) {
                                    Entry entry = keyed.entry();
                                    insert.setString(1, keyed.key());
                                    insert.setString(2, entry.model());
                                    insert.setString(3, entry.request());
                                    insert.setString(4, entry.answer());
                                    insert.setInt(5, entry.sampled() ? 1 : 0);
                                    insert.setString(6, entry.runId());
                                    insert.setLong(7, entry.createdAt().toEpochMilli());
                                    changed += insert.executeUpdate();
                                }
                                writer.commit();
                                return changed;
                            } catch (SQLException e) {
                                writer.rollback();
                                throw e;
                            }
                        });
            } catch (SQLException e) {
                throw new StoreException("cannot write to the answer store " + file, e);
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
        return "INSERT OR "
                + conflict
                + " INTO answers (key, model, request, answer, sampled, run_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
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
                                () -> {
                                    try (PreparedStatement delete = writer.prepareStatement(sql)) {
                                        int index = 1;
                                        if (before != null) {
                                            delete.setLong(index++, before.toEpochMilli());
                                        }
                                        if (model != null) {
                                            delete.setString(index++, model);
                                            delete.setInt(index++, model.length() + 3);
                                            delete.setString(index, model + " @ ");
                                        }
                                        long n = delete.executeUpdate();
                                        writer.commit();
                                        return n;
                                    } catch (SQLException e) {
                                        writer.rollback();
                                        throw e;
                                    }
                                });
                writer.setAutoCommit(true);
                try (Statement statement = writer.createStatement()) {
                    statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                } finally {
                    writer.setAutoCommit(false);
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
                                    "SELECT model, request, answer, sampled, run_id, created_at "
                                            + "FROM answers ORDER BY created_at, key")) {
                long n = 0;
                while (row.next()) {
                    var line =
                            new Line(
                                    row.getString(1),
                                    row.getString(2),
                                    row.getString(3),
                                    row.getInt(4) != 0,
                                    row.getString(5),
                                    Instant.ofEpochMilli(row.getLong(6)).toString());
                    out.write(Json.MAPPER.writeValueAsString(line));
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
                        statement.executeQuery("SELECT key, model, request, answer FROM answers")) {
                    while (row.next()) {
                        answers++;
                        if (!row.getString(1).equals(key(row.getString(2), row.getString(3)))) {
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
