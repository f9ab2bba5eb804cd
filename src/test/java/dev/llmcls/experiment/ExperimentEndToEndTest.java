package dev.llmcls.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import dev.llmcls.testing.TinyFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment plan}, {@code run} and {@code report} against two stand-in servers: a 2 × 2
 * study (mode × server) whose answers are scripted so that every paired comparison and its
 * corrected p-value can be worked by hand.
 */
@Timeout(180)
class ExperimentEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fixture's texts in file order (rows 0..8). */
    static final List<String> TEXTS =
            List.of(
                    "Leaders meet in Geneva for peace talks",
                    "Home team wins the cup final",
                    "Shares climb after strong quarterly earnings",
                    "New chip design doubles battery life",
                    "Ceasefire holds along the border",
                    "Striker signs a record contract",
                    "Central bank leaves rates unchanged",
                    "Researchers unveil a {text} placeholder-looking, quoted title",
                    "Election observers report a calm vote");

    /**
     * The rows each (server, mode) answers right; every other row gets a wrong label. Worked by
     * hand:
     *
     * <ul>
     *   <li>mode reason vs basic on a: only reason right on rows 3..8 (6), only basic on none:
     *       McNemar p = 2 * P[Bin(6, 1/2) <= 0] = 2/64 = 0.03125; difference +6/9;
     *   <li>mode reason vs basic on b: only reason right on row 4: p = min(1, 2 * 1/2) = 1;
     *       difference +1/9;
     *   <li>server b vs a in basic: only b right on row 3: p = 1; difference +1/9;
     *   <li>server b vs a in reason: only a right on rows 5..8 (4): p = 2/16 = 0.125; difference
     *       -4/9.
     * </ul>
     *
     * Holm over the 4: sorted 0.03125, 0.125, 1, 1 give 4 * 0.03125 = 0.125, max(0.125, 3 * 0.125)
     * = 0.375, 1, 1; nothing is significant at 5 %, though the first raw p-value is below it.
     */
    static final Map<String, Set<Integer>> RIGHT =
            Map.of(
                    "a/basic", Set.of(0, 1, 2),
                    "a/reason", Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8),
                    "b/basic", Set.of(0, 1, 2, 3),
                    "b/reason", Set.of(0, 1, 2, 3, 4));

    @TempDir Path dir;

    private FakeOpenAiServer serverA;
    private FakeOpenAiServer serverB;
    private Path data;

    @BeforeEach
    void start() throws IOException {
        serverA = FakeOpenAiServer.start(request -> answer("a", request.prompt()));
        serverB = FakeOpenAiServer.start(request -> answer("b", request.prompt()));
        data = dir.resolve("data/tiny.csv");
        Files.createDirectories(data.getParent());
        Files.copy(TinyFixture.CSV, data);
    }

    @AfterEach
    void stop() {
        serverA.close();
        serverB.close();
    }

    static String answer(String server, String prompt) {
        String mode = prompt.contains("reason:") ? "reason" : "basic";
        for (int row = 0; row < TEXTS.size(); row++) {
            if (prompt.contains(TEXTS.get(row))) {
                String gold = TinyFixture.GOLD.get(TEXTS.get(row));
                boolean right = RIGHT.get(server + "/" + mode).contains(row);
                String wrong = gold.equals("Sports") ? "World" : "Sports";
                return "label: " + (right ? gold : wrong);
            }
        }
        return "no idea";
    }

    private Path study(String extraDefaults) throws IOException {
        Path file = dir.resolve("study.yaml");
        Files.writeString(
                file,
                """
                experiment: tiny-study
                defaults:
                  data: data/tiny.csv
                  concurrency: 4
                  retry-delay: 5ms
                %s
                grid:
                  mode: [basic, reason]
                  server:
                    a: {base-url: %s}
                    b: {base-url: %s}
                """
                        .formatted(extraDefaults, serverA.baseUrl(), serverB.baseUrl()));
        return file;
    }

    private CliRun experiment(String command, Path file, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "experiment",
                                command,
                                file.toString(),
                                "--output-dir",
                                dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void plansRunsAndReportsAStudyWithHandWorkedEffects() throws IOException {
        Path file = study("");
        CliRun plan = experiment("plan", file);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(
                plan.out().contains("4 cells (4 new), 36 examples, 36 requests to send"),
                plan.out());
        assertEquals(0, serverA.chatRequests() + serverB.chatRequests(), "plan sends nothing");
        assertEquals(
                0,
                serverA.modelListings() + serverB.modelListings(),
                "plan does not even ask the servers");

        CliRun run = experiment("run", file);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(18, serverA.chatRequests());
        assertEquals(18, serverB.chatRequests());
        Path studyDir = dir.resolve("out/tiny-study");
        List<Path> outputs;
        try (var files = Files.list(studyDir)) {
            outputs = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertEquals(4, outputs.size(), outputs.toString());
        for (Path output : outputs) {
            assertEquals(9, Jsonl.read(output).size());
            assertTrue(Files.exists(Path.of(output + ".manifest.json")));
            assertTrue(
                    output.getFileName()
                            .toString()
                            .matches("(basic|reason)_(a|b)-[0-9a-f]{8}\\.jsonl"),
                    output.toString());
        }

        CliRun again = experiment("run", file);
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(
                36,
                serverA.chatRequests() + serverB.chatRequests(),
                "a complete study sends no request again");
        CliRun donePlan = experiment("plan", file);
        assertTrue(
                donePlan.out().contains("4 cells (4 done), 36 examples, 0 requests to send"),
                donePlan.out());

        CliRun report = experiment("report", file, "--format", "json");
        assertEquals(0, report.exitCode(), report.toString());
        JsonNode json = JSON.readTree(report.out());
        assertTrue(json.get("correction").asText().startsWith("Holm"), json.toString());
        JsonNode cells = json.get("datasets").get(0).get("cells");
        assertEquals(4, cells.size());
        Map<String, Double> accuracy = new HashMap<>();
        for (JsonNode cell : cells) {
            accuracy.put(
                    cell.get("levels").get("server").asText()
                            + "/"
                            + cell.get("levels").get("mode").asText(),
                    cell.get("accuracy").asDouble());
        }
        RIGHT.forEach(
                (key, rows) -> assertEquals(rows.size() / 9.0, accuracy.get(key), 1e-12, key));
        assertEquals(
                9 / 9.0,
                cells.get(0).get("accuracy").asDouble(),
                1e-12,
                "the leaderboard is sorted, best first");

        Map<String, JsonNode> effects = new HashMap<>();
        for (JsonNode effect : json.get("effects")) {
            String fixed = effect.get("fixed").fields().next().getValue().asText();
            effects.put(
                    effect.get("factor").asText()
                            + ":"
                            + effect.get("level").asText()
                            + "@"
                            + fixed,
                    effect);
        }
        assertEquals(4, effects.size(), effects.keySet().toString());
        assertEffect(effects.get("mode:reason@a"), 0, 6, 0.03125, 0.125, 6 / 9.0);
        assertEffect(effects.get("mode:reason@b"), 0, 1, 1.0, 1.0, 1 / 9.0);
        assertEffect(effects.get("server:b@basic"), 0, 1, 1.0, 1.0, 1 / 9.0);
        assertEffect(effects.get("server:b@reason"), 4, 0, 0.125, 0.375, -4 / 9.0);
        for (JsonNode effect : json.get("effects")) {
            assertFalse(effect.get("significant").asBoolean());
        }

        CliRun text = experiment("report", file);
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("Holm (step-down)"), text.out());
        assertTrue(text.out().contains("Leaderboard: data/tiny.csv"), text.out());
        CliRun markdown = experiment("report", file, "--format", "markdown");
        assertTrue(markdown.out().contains("# Study tiny-study"), markdown.out());
        assertTrue(markdown.out().contains("| factor |"), markdown.out());
    }

    /**
     * What scripts/slurm/submit-experiment.sh reads: each cell's server (one array task each), URL
     * and state.
     */
    @Test
    void planAsJsonNumbersTheServersTheCellsShare() throws IOException {
        Path file = study("");
        CliRun plan = experiment("plan", file, "--format", "json");
        assertEquals(0, plan.exitCode(), plan.toString());
        JsonNode json = JSON.readTree(plan.out());
        assertEquals("tiny-study", json.get("experiment").asText());
        Map<String, Integer> serverOf = new HashMap<>();
        Map<Integer, String> urlOf = new HashMap<>();
        for (JsonNode line : json.get("cells")) {
            assertEquals("new", line.get("state").asText());
            assertEquals(9, line.get("examples").asLong());
            String server = line.get("levels").get("server").asText();
            int number = line.get("server").asInt();
            assertEquals(number, serverOf.computeIfAbsent(server, s -> number), line.toString());
            assertEquals(1, line.get("base_urls").size(), line.toString());
            assertEquals(
                    line.get("base_urls").get(0).asText(),
                    urlOf.computeIfAbsent(number, n -> line.get("base_urls").get(0).asText()),
                    line.toString());
        }
        assertEquals(
                Map.of("a", 1, "b", 2), serverOf, "numbered in order of first use, one per server");
        assertEquals(Map.of(1, serverA.baseUrl(), 2, serverB.baseUrl()), urlOf);
    }

    private static void assertEffect(
            JsonNode effect,
            long onlyBaseline,
            long onlyLevel,
            double p,
            double holm,
            double difference) {
        assertEquals(9, effect.get("pairs").asLong());
        assertEquals(onlyBaseline, effect.get("only_baseline_right").asLong(), effect.toString());
        assertEquals(onlyLevel, effect.get("only_level_right").asLong(), effect.toString());
        assertEquals(p, effect.get("mcnemar_p").asDouble(), 1e-12, effect.toString());
        assertEquals(holm, effect.get("holm_p").asDouble(), 1e-12, effect.toString());
        assertEquals(difference, effect.get("difference").asDouble(), 1e-12, effect.toString());
        JsonNode ci = effect.get("difference_ci95");
        assertTrue(
                ci.get(0).asDouble() <= difference && difference <= ci.get(1).asDouble(),
                effect.toString());
    }

    @Test
    void theHtmlReportLoadsInChromiumWithItsHeatMap() throws Exception {
        Path file = study("");
        assertEquals(0, experiment("run", file).exitCode());
        CliRun html = experiment("report", file, "--format", "html");
        assertEquals(0, html.exitCode(), html.toString());
        assertPage(html.out());
        Path chromium = dev.llmcls.testing.HeadlessChromium.find();
        Path page = dir.resolve("study.html");
        Files.writeString(page, html.out());
        var loaded = dev.llmcls.testing.HeadlessChromium.dumpDom(chromium, page, dir);
        assertEquals(0, loaded.exitCode(), loaded.log());
        assertEquals(List.of(), loaded.console(), "console messages");
        assertPage(loaded.dom());
    }

    private static void assertPage(String page) {
        int runs = page.indexOf("<section id=\"runs\">");
        assertTrue(runs > 0, "the page has the per-run sections");
        String dom = page.substring(0, runs);
        assertRunSections(page.substring(runs));
        assertEquals(4, count(dom, "<td class=\"heat-cell\""), "a 2 × 2 heat map: mode × server");
        // Each heat-map cell is one cell's accuracy here (no replicates, two factors).
        for (String value : List.of("33.33%", "100.00%", "44.44%", "55.56%")) {
            assertTrue(dom.contains(">" + value + "</td>"), value + " in " + dom);
        }
        assertEquals(8, count(dom, "<tr><td>"), "four leaderboard rows and four effect rows");
        assertTrue(dom.contains("Holm (step-down)"), "the correction is named");
        assertFalse(dom.contains("<script"), "the page has no script");
    }

    /**
     * Each cell's own report, folded under its id: its figures, per-class table and confusion
     * matrix, as {@code evaluate --per-class} renders one run.
     */
    private static void assertRunSections(String runs) {
        assertEquals(4, count(runs, "<details class=\"run\""), "one section per cell");
        for (String cell : List.of("basic_a-", "basic_b-", "reason_a-", "reason_b-")) {
            assertTrue(runs.contains("<span class=\"run-id\">" + cell), cell + " in " + runs);
        }
        // Per cell and scorer: the per-class figures and the confusion matrix.
        int scorers = dev.llmcls.eval.Scorers.ALL.size();
        assertEquals(4 * scorers, count(runs, "<h3>Per class: "), runs);
        assertEquals(4 * scorers, count(runs, "<h3>Confusion matrix: "), runs);
        // Server a's reason cell is right on all 9: its strict row reads 9 records, 9 right.
        assertTrue(
                runs.matches(
                        "(?s).*<td>reason_a-[0-9a-f]{8}</td><td>strict</td><td class=\"num\">9</td>"
                                + "<td class=\"num\">9</td><td class=\"num\">100.00%</td>.*"),
                runs);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void cellsOnOneServerShareItsOneLimit() throws IOException {
        serverA.faults(request -> dev.llmcls.testing.FakeOpenAiServer.Fault.delay(20));
        dev.llmcls.testing.NumberedCsv.write(dir.resolve("items.csv"), "item ", 120, i -> "World");
        Path file = dir.resolve("shared.yaml");
        Files.writeString(
                file,
                """
                experiment: shared
                defaults: {data: items.csv, concurrency: 3, base-url: %s}
                grid:
                  mode: [basic, reason]
                  temperature: [0, 0.5]
                """
                        .formatted(serverA.baseUrl()));
        CliRun run = experiment("run", file, "--cells-per-server", "4");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(480, serverA.chatRequests());
        assertEquals(
                3, serverA.maxInFlight(), "four cells side by side, one limit of 3 for the server");
        assertEquals(
                1,
                serverA.modelListings(),
                "the server is checked once for the study, not per cell");
    }

    @Test
    void aChangedFileRunsOnlyTheChangedCellsAndKeepsTheOldOutputs() throws IOException {
        Path file = study("");
        assertEquals(0, experiment("run", file).exitCode());
        assertEquals(36, serverA.chatRequests() + serverB.chatRequests());
        // The same settings written explicitly (max-tokens 1024 is the default) change no cell.
        Files.writeString(
                file,
                Files.readString(file)
                        .replace("  concurrency: 4", "  concurrency: 4\n  max-tokens: 1024"));
        CliRun plan = experiment("plan", file);
        assertTrue(plan.out().contains("4 cells (4 done)"), plan.out());
        // Server b now asks for another model name... no: a different max-tokens for b only.
        Files.writeString(
                file,
                Files.readString(file)
                        .replace(
                                "b: {base-url: " + serverB.baseUrl() + "}",
                                "b: {base-url: " + serverB.baseUrl() + ", max-tokens: 512}"));
        plan = experiment("plan", file);
        assertTrue(plan.out().contains("4 cells (2 done, 2 new)"), plan.out());
        CliRun run = experiment("run", file);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(18, serverA.chatRequests(), "server a's cells did not change");
        assertEquals(36, serverB.chatRequests(), "server b's two cells ran again, once");
        try (var files = Files.list(dir.resolve("out/tiny-study"))) {
            assertEquals(
                    6,
                    files.filter(p -> p.toString().endsWith(".jsonl")).count(),
                    "old outputs are kept");
        }
    }

    @Test
    void aFailingCellIsReportedWhileTheOthersFinish() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path file = dir.resolve("study.yaml");
        Files.writeString(
                file,
                """
                experiment: failing
                defaults: {data: data/tiny.csv, concurrency: 4, retry-delay: 5ms, max-attempts: 1}
                grid:
                  mode: [basic, reason]
                  server:
                    up: {base-url: %s}
                    down: {base-url: http://127.0.0.1:%d/v1}
                """
                        .formatted(serverA.baseUrl(), closedPort));
        CliRun run = experiment("run", file);
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(18, serverA.chatRequests(), run.toString());
        assertTrue(run.err().contains("2 of 4 cells complete"), run.err());
        assertTrue(
                run.err().matches("(?s).*cell (basic|reason)_down-[0-9a-f]{8}: failed.*"),
                run.err());
        CliRun report = experiment("report", file);
        assertEquals(0, report.exitCode(), report.toString());
        assertTrue(report.out().contains("not run"), report.out());
    }

    /**
     * Replicates are built from their combination's one parse (experiment plan's speed): each is
     * still its own run, with its own seed on every request, its own id and its own output.
     */
    @Test
    void eachReplicateRunsWithItsOwnSeed() throws IOException {
        Path file = dir.resolve("replicated.yaml");
        Files.writeString(
                file,
                """
                experiment: replicated
                defaults: {data: data/tiny.csv, concurrency: 2, base-url: %s, no-store: true}
                grid:
                  mode: [basic, reason]
                replicates: 3
                """
                        .formatted(serverA.baseUrl()));
        CliRun plan = experiment("plan", file, "--format", "json");
        assertEquals(0, plan.exitCode(), plan.toString());
        List<String> ids = new ArrayList<>();
        for (JsonNode line : JSON.readTree(plan.out()).get("cells")) {
            ids.add(line.get("cell").asText());
        }
        assertEquals(6, Set.copyOf(ids).size(), ids.toString());
        assertTrue(ids.get(0).startsWith("basic_r1-"), ids.toString());
        assertTrue(ids.get(5).startsWith("reason_r3-"), ids.toString());

        CliRun run = experiment("run", file);
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, Integer> requestsPerModeAndSeed = new HashMap<>();
        for (var request : serverA.received()) {
            String mode = request.prompt().contains("reason:") ? "reason" : "basic";
            requestsPerModeAndSeed.merge(
                    mode + "/" + request.body().path("seed").asText("none"), 1, Integer::sum);
        }
        Map<String, Integer> expected = new HashMap<>();
        for (String mode : List.of("basic", "reason")) {
            for (int seed = 1; seed <= 3; seed++) {
                expected.put(mode + "/" + seed, 9);
            }
        }
        assertEquals(expected, requestsPerModeAndSeed);
        for (int i = 0; i < ids.size(); i++) {
            Path output = dir.resolve("out/replicated/" + ids.get(i) + ".jsonl");
            assertEquals(9, Jsonl.read(output).size(), output.toString());
            JsonNode manifest = JSON.readTree(Path.of(output + ".manifest.json").toFile());
            assertTrue(
                    manifest.toString().contains("\"seed\":" + (i % 3 + 1)),
                    "replicate " + (i % 3 + 1) + ": " + manifest);
        }
    }
}
