package dev.llmcls.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");

    @TempDir Path dir;

    /** Runs {@code statements} on the store's file through a connection of its own. */
    private void sqlOutsideTheStore(String... statements) throws java.sql.SQLException {
        try (var connection =
                        java.sql.DriverManager.getConnection(
                                "jdbc:sqlite:" + dir.resolve(AnswerStore.FILE));
                var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static AnswerStore.Entry entry(
            String model, String request, String answer, String run, Instant at) {
        return new AnswerStore.Entry(model, request, answer, false, run, at);
    }

    @Test
    void findsAnAnswerOnlyUnderItsExactModelAndRequest() {
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.put(List.of(entry("m", "{\"a\":1}", "{\"choices\":[]}", "run-1", NOW)), false);
            AnswerStore.Found found = store.find("m", "{\"a\":1}");
            assertNotNull(found);
            assertEquals("{\"choices\":[]}", found.answer());
            assertEquals("run-1", found.runId());
            assertNull(store.find("m2", "{\"a\":1}"), "another model");
            assertNull(store.find("m", "{\"a\":1} "), "another body, even by a space");
            assertNull(
                    store.find("m @ /weights", "{\"a\":1}"),
                    "another real model behind the same id");
        }
    }

    @Test
    void keepsTheFirstAnswerUnlessAskedToReplace() {
        try (AnswerStore store = AnswerStore.open(dir)) {
            assertEquals(
                    1, store.put(List.of(entry("m", "q", "{\"first\":1}", "run-1", NOW)), false));
            assertEquals(
                    0, store.put(List.of(entry("m", "q", "{\"second\":1}", "run-2", NOW)), false));
            assertEquals("run-1", store.find("m", "q").runId());
            assertEquals(
                    1, store.put(List.of(entry("m", "q", "{\"third\":1}", "run-3", NOW)), true));
            assertEquals("{\"third\":1}", store.find("m", "q").answer());
            assertEquals(1, store.stats().answers());
        }
    }

    @Test
    void answersSurviveClosingAndReopening() {
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.put(List.of(entry("m", "q", "{}", "run-1", NOW)), false);
        }
        try (AnswerStore store = AnswerStore.open(dir)) {
            assertNotNull(store.find("m", "q"));
            assertTrue(store.check().ok(), store.check().toString());
        }
    }

    @Test
    void prunesByAgeAndByModel() {
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.put(
                    List.of(
                            entry("old", "1", "{}", "r", NOW.minus(Duration.ofDays(40))),
                            entry("new", "2", "{}", "r", NOW.minus(Duration.ofDays(1))),
                            entry("new @ /models/new.gguf", "3", "{}", "r", NOW),
                            entry("newer", "4", "{}", "r", NOW)),
                    false);
            assertEquals(1, store.prune(NOW.minus(Duration.ofDays(30)), null));
            assertNull(store.find("old", "1"));
            assertEquals(
                    2, store.prune(null, "new"), "the id alone, and the id with its real model");
            assertEquals(1, store.stats().answers());
            assertNotNull(
                    store.find("newer", "4"), "a name that only starts the same is another model");
        }
    }

    @Test
    void exportThenImportGivesTheSameAnswers(@TempDir Path other) throws IOException {
        var out = new StringWriter();
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.put(
                    List.of(
                            entry("m", "{\"q\":\"é\\n\"}", "{\"a\":\"ü\"}", "run-1", NOW),
                            new AnswerStore.Entry(
                                    "m", "s", "{}", true, "run-2", NOW.plusSeconds(1))),
                    false);
            assertEquals(2, store.export(out));
        }
        try (AnswerStore copy = AnswerStore.open(other)) {
            AnswerStore.Imported imported =
                    copy.importFrom(new BufferedReader(new StringReader(out.toString())), "f");
            assertEquals(new AnswerStore.Imported(2, 0), imported);
            assertEquals("{\"a\":\"ü\"}", copy.find("m", "{\"q\":\"é\\n\"}").answer());
            assertTrue(copy.find("m", "s").sampled());
            assertEquals(Map.of("run-1", 1L, "run-2", 1L), copy.answersPerRun());
            var again = copy.importFrom(new BufferedReader(new StringReader(out.toString())), "f");
            assertEquals(new AnswerStore.Imported(0, 2), again, "a second import adds nothing");
            var back = new StringWriter();
            copy.export(back);
            assertEquals(out.toString(), back.toString());
        }
    }

    @Test
    void importRefusesALineThatIsNotAnExportedAnswer() {
        try (AnswerStore store = AnswerStore.open(dir)) {
            var e =
                    assertThrows(
                            InputException.class,
                            () ->
                                    store.importFrom(
                                            new BufferedReader(
                                                    new StringReader("{\"model\":\"m\"}\n")),
                                            "answers.jsonl"));
            assertTrue(
                    e.getMessage().startsWith("answers.jsonl line 1 is not an exported answer"),
                    e.getMessage());
            assertEquals(0, store.stats().answers());
        }
    }

    /**
     * A run hands the store the body's UTF-8 bytes; the row must still hold the body as text (what
     * export, check and other tools read), under the key of that text.
     */
    @Test
    void aRequestWrittenAsBytesIsKeptAsItsTextUnderTheKeyOfItsText() throws Exception {
        String request = "{\"content\":\"你是文本分类专家 é 😀\"}";
        byte[] bytes = request.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.putKeyed(
                    List.of(
                            new AnswerStore.Keyed(
                                    AnswerStore.key("m", bytes),
                                    "m",
                                    bytes,
                                    "{}",
                                    false,
                                    "r",
                                    NOW.toEpochMilli())),
                    false);
            assertNotNull(store.find("m", request));
            assertTrue(store.check().ok(), "the row's key is the key of its text");
            var out = new StringWriter();
            store.export(out);
            assertEquals(
                    request,
                    dev.llmcls.core.Json.MAPPER.readTree(out.toString()).get("request").asText());
        }
        try (var connection =
                        java.sql.DriverManager.getConnection(
                                "jdbc:sqlite:" + dir.resolve(AnswerStore.FILE));
                var statement = connection.createStatement();
                var row = statement.executeQuery("SELECT typeof(request), request FROM answers")) {
            assertTrue(row.next());
            assertEquals("text", row.getString(1));
            assertEquals(request, row.getString(2));
        }
    }

    @Test
    void checkFindsARowWhoseKeyDoesNotMatchItsContent() throws Exception {
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.put(List.of(entry("m", "q", "{}", "r", NOW)), false);
        }
        sqlOutsideTheStore("UPDATE answers SET request = 'other'");
        try (AnswerStore store = AnswerStore.open(dir)) {
            assertFalse(store.check().ok());
            assertEquals(1, store.check().badKeys());
            assertNull(
                    store.find("m", "q"),
                    "a row that says another request is not this request's answer");
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "''|''",
                "7|7",
                "1,-2,30|1,-2,30",
                "9223372036854775807,-9223372036854775808|9223372036854775807,-9223372036854775808",
                "0,-1|0,-1"
            })
    void readsEveryNumberOfAList(String text, String expected) {
        var read = new java.util.ArrayList<String>();
        AnswerStore.eachNumber(text, value -> read.add(Long.toString(value)));
        assertEquals(expected, String.join(",", read));
    }

    @Test
    void tellsTheKeysWrittenAfterARowInTheOrderWritten() {
        try (AnswerStore store = AnswerStore.open(dir)) {
            var entries = new java.util.ArrayList<AnswerStore.Entry>();
            for (int i = 0; i < 120_000; i++) { // more than one query's worth
                entries.add(entry("m", "q" + i, "{}", "r", NOW));
            }
            store.put(entries, false);
            var keys = new java.util.ArrayList<Long>();
            long last = store.keysBetween(0, Long.MAX_VALUE, keys::add);
            assertEquals(120_000, keys.size());
            assertEquals(AnswerStore.key("m", "q0"), keys.get(0));
            assertEquals(AnswerStore.key("m", "q119999"), keys.get(119_999));
            assertEquals(store.lastRow(), last);

            store.put(List.of(entry("m", "later", "{}", "r", NOW)), false);
            keys.clear();
            assertEquals(last + 1, store.keysBetween(last, Long.MAX_VALUE, keys::add));
            assertEquals(List.of(AnswerStore.key("m", "later")), keys);
            keys.clear();
            assertEquals(last, store.keysBetween(last, last, keys::add), "none up to the bound");
            assertTrue(keys.isEmpty());
        }
    }

    @Test
    void convertsAStoreOfTheFirstSchemaKeepingEveryAnswer() throws Exception {
        Files.createDirectories(dir);
        sqlOutsideTheStore(
                // version 1's table, as llmcls wrote it before the 64-bit key
                "CREATE TABLE answers (key TEXT PRIMARY KEY NOT NULL, model TEXT NOT NULL,"
                        + " request TEXT NOT NULL, answer TEXT NOT NULL, sampled INTEGER NOT"
                        + " NULL, run_id TEXT NOT NULL, created_at INTEGER NOT NULL)",
                "INSERT INTO answers VALUES ('c0ffee', 'm', 'q1', '{\"a\":1}', 0, 'run-1', "
                        + NOW.toEpochMilli()
                        + "), ('beef', 'm', 'q2', '{\"a\":2}', 1, 'run-2', "
                        + (NOW.toEpochMilli() + 1)
                        + ")");
        try (AnswerStore store = AnswerStore.open(dir)) {
            assertEquals("{\"a\":1}", store.find("m", "q1").answer());
            assertEquals("run-2", store.find("m", "q2").runId());
            assertTrue(store.find("m", "q2").sampled());
            assertTrue(store.check().ok(), "every row under its new key");
            assertEquals(2, store.stats().answers());
            store.put(List.of(entry("m", "q3", "{}", "run-3", NOW)), false);
        }
        try (AnswerStore store = AnswerStore.open(dir)) {
            assertEquals(3, store.stats().answers(), "converted once, not again");
        }
    }

    @Test
    void refusesAStoreOfALaterSchema() throws Exception {
        try (AnswerStore store = AnswerStore.open(dir)) {
            store.put(List.of(entry("m", "q", "{}", "r", NOW)), false);
        }
        sqlOutsideTheStore("PRAGMA user_version = " + (AnswerStore.SCHEMA_VERSION + 1));
        var e = assertThrows(InputException.class, () -> AnswerStore.open(dir));
        assertTrue(e.getMessage().contains("later llmcls"), e.getMessage());
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAnInputError() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        var e = assertThrows(InputException.class, () -> AnswerStore.open(file.resolve("store")));
        assertTrue(e.getMessage().contains("--no-store"), e.getMessage());
    }

    @ParameterizedTest(name = "--store {0}, LLMCLS_STORE {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "-|-|/home/u/.cache/llmcls/answers",
                "-|/shared/answers|/shared/answers",
                "/mine|/shared/answers|/mine",
                "-|off|-",
                "-|OFF|-"
            })
    void theStoreIsTheOptionElseTheEnvironmentElseTheCache(
            String option, String environment, String expected) {
        var settings =
                StoreSettings.of(
                        option == null ? null : Path.of(option),
                        StoreSettings.Use.READ_WRITE,
                        false,
                        environment == null
                                ? Map.of()
                                : Map.of(StoreSettings.ENVIRONMENT, environment),
                        "/home/u");
        assertEquals(expected == null ? null : Path.of(expected), settings.dir());
        assertEquals(expected != null, settings.enabled());
    }
}
