package dev.llmcls.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The performance benchmarks of issue 7. Every figure comes from running the real command line
 * ({@code bin/llmcls classify ...}) as a child process against a stand-in server in this process:
 *
 * <ul>
 *   <li>{@code ceiling}: an instant server; examples/s and CPU-µs per example at each concurrency,
 *       against {@code wrk} posting the same body to the same server.
 *   <li>{@code saturation}: a continuous-batching server with S slots and seeded 50-400 ms service
 *       times; wall time over the ideal (total service time / S) with default settings and with
 *       {@code --concurrency S}.
 *   <li>{@code startup}: time from spawning {@code bin/llmcls classify} to its first chat request,
 *       and {@code --help}.
 *   <li>{@code memory}: peak RSS over a generated 1,000,000-example CSV against the instant server.
 *   <li>{@code store}: the answer store's cost (issue 20): examples/s against the instant server
 *       with the store on (a fresh, cold store: every request a miss and a write) and off ({@code
 *       --no-store}), alternating in one run (ABBA), then a run whose every answer is in the store;
 *       the rounds' on / off ratios give a median and a 95 % interval ({@link RatioInterval}).
 *   <li>{@code study}: a study's cells overlapping on one batching server (issue 19): 8 sequential
 *       {@code classify}, one {@code classify} of all texts as one stream, one {@code experiment
 *       run}.
 * </ul>
 *
 * Usage: {@code Bench [ceiling|saturation|startup|memory|all]... [key=value]...}; keys and defaults
 * in {@link #main}.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = "The article reports on a match result.\nlabel: Sports";
    private static final Path DIR = Path.of("target", "bench");
    private static final Path LOG = DIR.resolve("children.log");

    private final Map<String, String> options;

    private Bench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(
                "examples", "50000"); // ceiling: examples per run (the issue asks for >= 20,000)
        options.put("concurrency", "64,256"); // ceiling: --concurrency values
        options.put("wrk-seconds", "10"); // ceiling: wrk duration per concurrency
        options.put("slots", "32,256"); // saturation: the server's S values
        options.put("min-examples", "5000"); // saturation: at least this many examples per run
        options.put(
                "ideal-seconds",
                "40"); // saturation: ...and enough that the ideal wall time is this long
        options.put("service-ms", "50-400"); // saturation: uniform service time range
        options.put("seed", "7"); // saturation: service time seed
        options.put(
                "server", "batching"); // saturation: batching, llama-props, llama-queue, ratelimit
        options.put("owner", "vllm"); // saturation: owned_by the stand-in announces (e.g. sglang)
        options.put("compare", "S"); // saturation: fixed --concurrency rows after the defaults
        options.put(
                "rate-limit", "48"); // saturation, server=ratelimit: 429 above this many in flight
        options.put("retry-after", "1"); // saturation, server=ratelimit: its Retry-After
        options.put("study-cells", "8"); // study: cells (temperatures 0.0, 0.1, ...)
        options.put("study-examples", "2500"); // study: examples per cell
        options.put("study-slots", "256"); // study: the batching server's S
        options.put("study-rows", "sequential,one-stream,experiment"); // study: which ways to run
        options.put("repeats", "5"); // startup: runs of each command
        options.put("memory-examples", "1000000"); // memory: rows of the generated CSV
        options.put("store-examples", "20000"); // store: examples per run, every text different
        options.put("store-rounds", "10"); // store: rounds of (on, off), in ABBA order
        options.put("store-concurrency", "defaults"); // store: --concurrency, or the defaults
        options.put("llmcls", "bin/llmcls"); // the command under test
        options.put("warm-up", "on"); // off: measure the first runs after a build too
        List<String> what = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else {
                what.add(arg);
            }
        }
        if (what.isEmpty() || what.contains("all")) {
            what = List.of("startup", "ceiling", "saturation", "memory");
        }
        Files.createDirectories(DIR);
        var bench = new Bench(options);
        System.out.printf(
                Locale.ROOT,
                "# llmcls benchmarks: %s, %d cores, java %s, LLMCLS_JAVA_OPTS=%s%n",
                java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getenv().getOrDefault("LLMCLS_JAVA_OPTS", "(unset)"));
        if (!options.get("warm-up").equals("off")) {
            bench.warmUp();
        }
        for (String name : what) {
            switch (name) {
                case "ceiling" -> bench.ceiling();
                case "saturation" -> bench.saturation();
                case "startup" -> bench.startup();
                case "memory" -> bench.memory();
                case "store" -> bench.store();
                case "serve" -> bench.serve();
                case "study" -> bench.study();
                default -> throw new IllegalArgumentException("unknown benchmark " + name);
            }
        }
    }

    private List<String> classify(
            FakeOpenAiServer server, Path data, Path output, String... extra) {
        delete(output);
        delete(Path.of(output + ".manifest.json"));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                options.get("llmcls"),
                                "classify",
                                "--mode",
                                "basic",
                                "--data",
                                data.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                output.toString()));
        List<String> more = Arrays.asList(extra);
        if (!more.contains("--store")) {
            // the answer store (on by default) would answer the repeated bench texts without a
            // request
            command.add("--no-store");
        }
        command.addAll(more);
        return command;
    }

    /**
     * Two small {@code classify} and {@code experiment run} commands before anything is measured.
     * The first run of a command after a build records its class-data-sharing archive as its JVM
     * exits (about 1 s at the end of that run) and the next run adopts it ({@code bin/llmcls}), so
     * without this the first measured run of each command pays a cost that a user pays once per
     * build, not per run.
     */
    private void warmUp() throws IOException {
        Path data = BenchData.csv(DIR, 200);
        try (FakeOpenAiServer server = server()) {
            Path output = DIR.resolve("warm-up.jsonl");
            Path file = DIR.resolve("warm-up.yaml");
            Files.writeString(
                    file,
                    "experiment: warm-up\ndefaults: {data: "
                            + data.toAbsolutePath()
                            + ", base-url: "
                            + server.baseUrl()
                            + ", mode: basic, no-store: true}\ngrid:\n  temperature: [0.0, 0.1]\n");
            for (int i = 0; i < 2; i++) {
                Path log = DIR.resolve("warm-up.log");
                // with the answer store, as a user's runs have it by default, so that the archive
                // holds SQLite's classes too
                Path store = DIR.resolve("warm-up-store");
                deleteTree(store);
                ChildRun run =
                        ChildRun.run(
                                classify(server, data, output, "--store", store.toString()), log);
                check(run, true, read(log));
                deleteTree(store);
                deleteTree(DIR.resolve("warm-up-out"));
                run = ChildRun.run(experimentRun(file, DIR.resolve("warm-up-out")), log);
                check(run, true, read(log));
            }
        }
    }

    /** {@code llmcls experiment run FILE --output-dir DIR}. */
    private List<String> experimentRun(Path file, Path outputDir) {
        return List.of(
                options.get("llmcls"),
                "experiment",
                "run",
                file.toString(),
                "--output-dir",
                outputDir.toString());
    }

    private static FakeOpenAiServer server() throws IOException {
        FakeOpenAiServer server = FakeOpenAiServer.start(request -> ANSWER);
        server.recordRequests(false);
        return server;
    }

    // ---- 1. client ceiling
    // -------------------------------------------------------------------------------------

    private void ceiling() throws IOException {
        long examples = Long.parseLong(options.get("examples"));
        Path data = BenchData.csv(DIR, examples);
        Path body = DIR.resolve("body.json");
        System.out.printf(
                Locale.ROOT, "%n## ceiling: instant server, %,d examples (%s)%n", examples, data);
        try (FakeOpenAiServer server = server()) {
            server.recordRequests(true);
            ChildRun capture =
                    ChildRun.run(
                            classify(
                                    server,
                                    data,
                                    DIR.resolve("body-capture.jsonl"),
                                    "--limit",
                                    "1"),
                            LOG);
            check(
                    capture,
                    server.chatRequests() == 1,
                    "the body capture run sent " + server.chatRequests());
            Files.write(body, JSON.writeValueAsBytes(server.received().get(0).body()));
            server.recordRequests(false);
        }
        Path script = DIR.resolve("post.lua");
        Files.writeString(
                script,
                "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        + "local f = io.open(\""
                        + body.toAbsolutePath()
                        + "\", \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\n");
        System.out.println(
                "| concurrency | tool wall s | tool ex/s (whole run) | tool ex/s (steady) | tool"
                        + " CPU-µs/ex | server CPU-µs/ex | wrk req/s | tool/wrk (steady) |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String c : options.get("concurrency").split(",")) {
            int concurrency = Integer.parseInt(c.strip());
            try (FakeOpenAiServer server = server()) {
                var clock = new ArrivalClock();
                server.engine(clock);
                double serverCpuBefore = ChildRun.ownCpuSeconds();
                ChildRun run =
                        ChildRun.run(
                                classify(
                                        server,
                                        data,
                                        DIR.resolve("ceiling-" + concurrency + ".jsonl"),
                                        "--concurrency",
                                        Integer.toString(concurrency)),
                                LOG);
                double serverCpu = ChildRun.ownCpuSeconds() - serverCpuBefore;
                check(
                        run,
                        clock.count() == examples,
                        "the server saw " + clock.count() + " requests");
                double steady =
                        (clock.count() - 1) / ((clock.lastNanos() - clock.firstNanos()) / 1e9);
                double wrk = wrk(server, concurrency, script);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %.2f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f |%n",
                        concurrency,
                        run.wallSeconds(),
                        examples / run.wallSeconds(),
                        steady,
                        run.cpuSeconds() / examples * 1e6,
                        serverCpu / examples * 1e6,
                        wrk,
                        steady / wrk);
            }
        }
    }

    private double wrk(FakeOpenAiServer server, int connections, Path script) {
        Path out = DIR.resolve("wrk-" + connections + ".txt");
        delete(out);
        String url = server.baseUrl() + "/chat/completions";
        ChildRun run =
                ChildRun.run(
                        List.of(
                                "wrk",
                                "-t2",
                                "-c" + connections,
                                "-d" + options.get("wrk-seconds") + "s",
                                "-s",
                                script.toString(),
                                url),
                        out);
        String text = read(out);
        Matcher rate = Pattern.compile("Requests/sec:\\s*([0-9.]+)").matcher(text);
        check(run, rate.find() && !text.contains("Non-2xx"), "wrk output:\n" + text);
        return Double.parseDouble(rate.group(1));
    }

    // ---- 2. saturation
    // -----------------------------------------------------------------------------------------

    /**
     * One row per S and setting. {@code server=} picks the stand-in: {@code batching} (announcing
     * {@code owner=}, default vllm; sglang for a batching server that auto does not recognise),
     * {@code llama-props} (llama-server reporting S slots at /props), {@code llama-queue}
     * (llama-server with S slots that does not report them), or {@code ratelimit} (answers 429 with
     * {@code Retry-After: retry-after} above {@code rate-limit=C} requests in flight, in front of a
     * batching engine of S slots). {@code compare=} lists the fixed --concurrency rows after the
     * defaults ({@code S}: the slot count; {@code none}). {@code examples=} fixes the example count
     * (else {@code ideal-seconds} sets it), {@code timeout=} is passed as --timeout.
     */
    private void saturation() throws IOException {
        String[] range = options.get("service-ms").split("-");
        long min = Long.parseLong(range[0]);
        long max = Long.parseLong(range[1]);
        long seed = Long.parseLong(options.get("seed"));
        double meanSeconds = (min + max) / 2000.0;
        String kind = options.get("server");
        System.out.printf(
                Locale.ROOT,
                "%n## saturation: %s server (%s), S slots, service time uniform %d-%d ms (seed %d)"
                        + "%s%n",
                kind,
                kind.equals("batching")
                        ? "owned_by " + options.get("owner")
                        : kind.equals("ratelimit")
                                ? "429 above " + options.get("rate-limit") + " in flight"
                                : "llamacpp",
                min,
                max,
                seed,
                options.containsKey("timeout") ? ", --timeout " + options.get("timeout") : "");
        System.out.println(
                "| S | examples | settings | max in flight | ideal s | server window s | wall s |"
                        + " window/ideal | wall/ideal | slot-time starved | ramp to S in flight s |"
                        + " latency mean / max s | retries (429 / timeouts) | auto's limit: path,"
                        + " settled | threads |");
        System.out.println(
                "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:"
                        + " | --- | --- | ---: |");
        for (String s : options.get("slots").split(",")) {
            int slots = Integer.parseInt(s.strip());
            long examples =
                    options.containsKey("examples")
                            ? Long.parseLong(options.get("examples"))
                            : Math.max(
                                    Long.parseLong(options.get("min-examples")),
                                    (long)
                                            Math.ceil(
                                                    Double.parseDouble(options.get("ideal-seconds"))
                                                            * slots
                                                            / meanSeconds));
            Path data = BenchData.csv(DIR, examples);
            List<String> settings = new ArrayList<>(List.of("defaults"));
            for (String c : options.get("compare").split(",")) {
                if (!c.isBlank() && !c.strip().equals("none")) {
                    settings.add(c.strip().equals("S") ? Integer.toString(slots) : c.strip());
                }
            }
            for (String setting : settings) {
                try (FakeOpenAiServer server = server()) {
                    int admitted = slots;
                    switch (kind) {
                        case "batching" -> server.ownedBy(options.get("owner"));
                        case "llama-props" -> server.likeLlamaServer(List.of(), null, slots);
                        case "llama-queue" -> server.likeLlamaServer(List.of(), null, null);
                        case "ratelimit" -> {
                            server.ownedBy(options.get("owner"));
                            admitted = Math.min(slots, Integer.parseInt(options.get("rate-limit")));
                            server.rateLimit(
                                    Integer.parseInt(options.get("rate-limit")),
                                    options.get("retry-after"));
                        }
                        default -> throw new IllegalArgumentException("unknown server " + kind);
                    }
                    var engine = new BatchingEngine(slots, min, max, seed);
                    server.engine(engine);
                    String name = "saturation-" + kind + "-" + slots + "-" + setting;
                    Path output = DIR.resolve(name + ".jsonl");
                    List<String> extra = new ArrayList<>();
                    if (!setting.equals("defaults")) {
                        extra.addAll(List.of("--concurrency", setting));
                    }
                    if (options.containsKey("timeout")) {
                        extra.addAll(List.of("--timeout", options.get("timeout")));
                    }
                    Path log = DIR.resolve(name + ".log");
                    delete(log);
                    ChildRun run =
                            ChildRun.run(
                                    classify(server, data, output, extra.toArray(String[]::new)),
                                    log);
                    BatchingEngine.Report report = engine.report();
                    check(run, report.served() == examples, "the server served " + report.served());
                    // the ideal of the slots the server lets work: a rate limiter below S admits
                    // only C at once
                    double ideal = report.totalServiceMillis() / 1000.0 / admitted;
                    String stderr = read(log);
                    Matcher retries =
                            Pattern.compile("(\\d+) retries( \\(([^)]*)\\))?").matcher(stderr);
                    String retried = retries.find() ? retries.group(1) : "?";
                    String causes = retries.group(3) == null ? "" : retries.group(3);
                    double[] latency = latencies(output);
                    System.out.printf(
                            Locale.ROOT,
                            "| %d | %,d | %s | %d | %.2f | %.2f | %.2f | %.3f | %.3f | %.2f %% "
                                    + "| %.2f | %.2f / %.2f | %s (%d / %s) | %s | %d |%n",
                            slots,
                            examples,
                            setting.equals("defaults") ? "defaults" : "--concurrency " + setting,
                            server.maxInFlight(),
                            ideal,
                            report.windowSeconds(),
                            run.wallSeconds(),
                            report.windowSeconds() / ideal,
                            run.wallSeconds() / ideal,
                            100 * report.starvedShare(),
                            report.rampSeconds(),
                            latency[0],
                            latency[1],
                            retried,
                            server.rateLimited(),
                            count(causes, "timeout"),
                            limitPath(output),
                            run.peakThreads());
                }
            }
        }
    }

    // ---- issue 19: a study's cells overlap on one server
    // -----------------------------------------------------------------------

    /**
     * N cells × E examples on one continuous-batching server with S slots (service times as in
     * {@code saturation}), three ways, each against a fresh server with the same seed: N sequential
     * {@code classify} commands ("before"), ONE {@code classify} over all N × E texts as one stream
     * (what the study is held to: the real one-stream run), and one {@code experiment run} (cells
     * differ in temperature). Ideal: the served service time / S; window: first arrival to last
     * answer at the server; start: spawn to the first arrival; end: the last answer to exit.
     */
    private void study() throws IOException {
        String[] range = options.get("service-ms").split("-");
        long min = Long.parseLong(range[0]);
        long max = Long.parseLong(range[1]);
        long seed = Long.parseLong(options.get("seed"));
        int cells = Integer.parseInt(options.get("study-cells"));
        long examples = Long.parseLong(options.get("study-examples"));
        int slots = Integer.parseInt(options.get("study-slots"));
        List<String> rows = List.of(options.get("study-rows").split(","));
        Path data = BenchData.csv(DIR, examples);
        // one stream: every text different, so no answer is reused within the run
        Path stream = BenchData.csv(DIR, cells * examples, true);
        List<String> temperatures = new ArrayList<>();
        for (int i = 0; i < cells; i++) {
            temperatures.add(String.format(Locale.ROOT, "%.1f", i / 10.0));
        }
        System.out.printf(
                Locale.ROOT,
                "%n## study: %d cells × %,d examples, batching server with %d slots, service time"
                        + " uniform %d-%d ms (seed %d); load before %s%n",
                cells,
                examples,
                slots,
                min,
                max,
                seed,
                loadAverage());
        System.out.println(
                "| how | requests | max in flight | ideal s | server window s | wall s | start s |"
                        + " end s | window/ideal | wall/ideal | wall/one-stream wall |"
                        + " slot-time starved | CPU s |");
        System.out.println(
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:"
                        + " | ---: |");
        double oneStreamWall = Double.NaN;
        for (String how : List.of("sequential", "one-stream", "experiment")) {
            if (!rows.contains(how)) {
                continue;
            }
            try (FakeOpenAiServer server = server()) {
                server.ownedBy(options.get("owner"));
                var engine = new BatchingEngine(slots, min, max, seed);
                server.engine(engine);
                double wall = 0;
                double cpu = 0;
                ChildRun single = null;
                String label;
                if (how.equals("experiment")) {
                    label = "`experiment run`";
                    Path out = DIR.resolve("study-out");
                    deleteTree(out);
                    Path file = DIR.resolve("study.yaml");
                    Files.writeString(
                            file,
                            "experiment: overlap\n"
                                    + "defaults: {data: "
                                    + data.toAbsolutePath()
                                    + ", base-url: "
                                    + server.baseUrl()
                                    + ", mode: basic, no-store: true}\n"
                                    + "grid:\n  temperature: ["
                                    + String.join(", ", temperatures)
                                    + "]\n");
                    Path log = DIR.resolve("study-experiment.log");
                    delete(log);
                    single = ChildRun.run(experimentRun(file, out), log);
                    check(single, true, read(log));
                } else if (how.equals("one-stream")) {
                    label = "one `classify`, all texts as one stream";
                    Path output = DIR.resolve("study-one-stream.jsonl");
                    Path log = DIR.resolve("study-one-stream.log");
                    delete(log);
                    single = ChildRun.run(classify(server, stream, output), log);
                    check(single, true, read(log));
                } else {
                    label = cells + " sequential `classify`";
                    for (int i = 0; i < cells; i++) {
                        Path output = DIR.resolve("study-sequential-" + i + ".jsonl");
                        Path log = DIR.resolve("study-sequential-" + i + ".log");
                        delete(log);
                        ChildRun run =
                                ChildRun.run(
                                        classify(
                                                server,
                                                data,
                                                output,
                                                "--temperature",
                                                temperatures.get(i)),
                                        log);
                        check(run, true, read(log));
                        wall += run.wallSeconds();
                        cpu += run.cpuSeconds();
                    }
                }
                String start = "—";
                String end = "—";
                if (single != null) {
                    wall = single.wallSeconds();
                    cpu = single.cpuSeconds();
                    long exit = single.spawnNanos() + (long) (single.wallSeconds() * 1e9);
                    start =
                            String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    (engine.firstArrivalNanos() - single.spawnNanos()) / 1e9);
                    end = String.format(Locale.ROOT, "%.2f", (exit - engine.lastEndNanos()) / 1e9);
                }
                if (how.equals("one-stream")) {
                    oneStreamWall = wall;
                }
                BatchingEngine.Report report = engine.report();
                long requests = cells * examples;
                if (report.served() != requests) {
                    throw new IllegalStateException(
                            how + ": the server served " + report.served() + " of " + requests);
                }
                double ideal = report.totalServiceMillis() / 1000.0 / slots;
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %,d | %d | %.2f | %.2f | %.2f | %s | %s | %.3f | %.3f | %s | %.2f"
                                + " %% | %.1f |%n",
                        label,
                        requests,
                        server.maxInFlight(),
                        ideal,
                        report.windowSeconds(),
                        wall,
                        start,
                        end,
                        report.windowSeconds() / ideal,
                        wall / ideal,
                        Double.isNaN(oneStreamWall)
                                ? "—"
                                : String.format(Locale.ROOT, "%.3f", wall / oneStreamWall),
                        100 * report.starvedShare(),
                        cpu);
            }
        }
        System.out.println("load after: " + loadAverage());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Mean and max of the records' latency_ms, in seconds. */
    private static double[] latencies(Path output) throws IOException {
        double sum = 0;
        double max = 0;
        long n = 0;
        for (String line : Files.readAllLines(output)) {
            double ms = JSON.readTree(line).path("latency_ms").asDouble();
            sum += ms;
            max = Math.max(max, ms);
            n++;
        }
        return new double[] {sum / Math.max(1, n) / 1000, max / 1000};
    }

    private static String count(String causes, String kind) {
        Matcher m = Pattern.compile(kind + " (\\d+)").matcher(causes);
        return m.find() ? m.group(1) : "0";
    }

    /**
     * What the manifest says auto's limit went through, e.g. "32 → 64 → 256 → 1024 → 512, settled
     * 512".
     */
    private static String limitPath(Path output) throws IOException {
        var node =
                JSON.readTree(Path.of(output + ".manifest.json").toFile())
                        .path("concurrency")
                        .path("servers");
        if (!node.isArray() || node.isEmpty()) {
            return "fixed";
        }
        var server = node.get(0);
        List<String> path = new ArrayList<>();
        server.path("path").forEach(v -> path.add(v.asText()));
        return String.join(" → ", path)
                + ", settled "
                + server.path("settled").asInt()
                + (server.path("backoffs").asInt() > 0
                        ? ", " + server.path("backoffs").asInt() + " back-offs"
                        : "");
    }

    // ---- 3. start-up
    // -------------------------------------------------------------------------------------------

    private void startup() throws IOException {
        int repeats = Integer.parseInt(options.get("repeats"));
        Path data = BenchData.csv(DIR, 1000);
        List<Double> firstRequest = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        List<Double> help = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            try (FakeOpenAiServer server = server()) {
                var clock = new ArrivalClock();
                server.engine(clock);
                ChildRun run =
                        ChildRun.run(
                                classify(
                                        server, data, DIR.resolve("startup.jsonl"), "--limit", "1"),
                                LOG);
                check(run, clock.count() == 1, "the server saw " + clock.count() + " requests");
                firstRequest.add((clock.firstNanos() - run.spawnNanos()) / 1e9);
                wall.add(run.wallSeconds());
            }
            ChildRun helpRun = ChildRun.run(List.of(options.get("llmcls"), "--help"), LOG);
            check(helpRun, true, "--help");
            help.add(helpRun.wallSeconds());
        }
        System.out.printf(
                Locale.ROOT, "%n## startup: %d runs each, seconds (median / min / max)%n", repeats);
        System.out.println("| measure | median | min | max |");
        System.out.println("| --- | ---: | ---: | ---: |");
        row("spawn of `classify --limit 1` to its first chat request", firstRequest);
        row("`classify --limit 1`, spawn to exit", wall);
        row("`--help`, spawn to exit", help);
    }

    private static void row(String label, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "| %s | %.3f | %.3f | %.3f |%n",
                label,
                sorted.get(sorted.size() / 2),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    // ---- 4. memory
    // ---------------------------------------------------------------------------------------------

    private void memory() throws IOException {
        long examples = Long.parseLong(options.get("memory-examples"));
        Path data = BenchData.csv(DIR, examples);
        System.out.printf(
                Locale.ROOT,
                "%n## memory: instant server, %,d examples (%s, %,d MB), default settings%n",
                examples,
                data,
                Files.size(data) / 1_000_000);
        try (FakeOpenAiServer server = server()) {
            var clock = new ArrivalClock();
            server.engine(clock);
            Path output = DIR.resolve("memory.jsonl");
            ChildRun run = ChildRun.run(classify(server, data, output), LOG);
            check(run, clock.count() == examples, "the server saw " + clock.count() + " requests");
            System.out.println(
                    "| examples | peak RSS MiB | wall s | ex/s | CPU-µs/ex | output MB | threads"
                            + " |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            System.out.printf(
                    Locale.ROOT,
                    "| %,d | %.0f | %.1f | %,.0f | %,.0f | %,d | %d |%n",
                    examples,
                    run.peakRssKib() / 1024.0,
                    run.wallSeconds(),
                    examples / run.wallSeconds(),
                    run.cpuSeconds() / examples * 1e6,
                    Files.size(output) / 1_000_000,
                    run.peakThreads());
            delete(output);
        }
    }

    // ---- 5. the answer store's cost
    // --------------------------------------------------------------------------

    /**
     * Rounds of (store on, store off) against the instant server, each "on" run with a fresh store
     * directory (so every request is a miss, sent, and its answer written), then one run against
     * the last round's full store (every answer a hit, no request). Prints each run and the ratio
     * of the rates, on / off and hit / off.
     */
    private void store() throws IOException {
        long examples = Long.parseLong(options.get("store-examples"));
        int rounds = Integer.parseInt(options.get("store-rounds"));
        String concurrency = options.get("store-concurrency");
        Path data = BenchData.csv(DIR, examples, true);
        Path stores = DIR.resolve("stores");
        System.out.printf(
                Locale.ROOT,
                "%n## store: instant server, %,d examples (every text different), %s, store on (a"
                        + " fresh store each time) vs off, alternating%n",
                examples,
                concurrency.equals("defaults")
                        ? "default settings"
                        : "--concurrency " + concurrency);
        System.out.println(
                "| round | store | requests | wall s | ex/s | CPU-µs/ex | store MB | load (1 min)"
                        + " |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        // a round left out of the means: the stand-in server runs in this JVM and warms its JIT
        // during its first runs (which made round 1's "on" a fifth slower than the later rounds,
        // with the same CPU in the client; one uncounted run was not enough)
        Path warmStore = stores.resolve("warm-up");
        deleteTree(warmStore);
        storeRun(
                "0",
                "cold (warm-up, not counted)",
                data,
                examples,
                concurrency,
                warmStore,
                examples);
        storeRun("0", "off (warm-up, not counted)", data, examples, concurrency, null, examples);
        deleteTree(warmStore);
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        Path last = null;
        for (int round = 1; round <= rounds; round++) {
            // on first in odd rounds, off first in even ones (ABBA), so that whatever the second
            // run of a pair inherits from the first (a warmer server, a busier page cache) falls
            // on both settings alike
            for (String setting : round % 2 == 1 ? List.of("on", "off") : List.of("off", "on")) {
                Path store = setting.equals("on") ? stores.resolve("round-" + round) : null;
                if (store != null) {
                    deleteTree(store);
                }
                double rate =
                        storeRun(
                                round + "",
                                setting.equals("on") ? "cold (every answer written)" : "off",
                                data,
                                examples,
                                concurrency,
                                store,
                                examples);
                (setting.equals("on") ? on : off).add(rate);
                if (setting.equals("on")) {
                    last = store;
                }
            }
        }
        double hit =
                storeRun("–", "hit (every answer found)", data, examples, concurrency, last, 0);
        double meanOn = on.stream().mapToDouble(d -> d).average().orElse(0);
        double meanOff = off.stream().mapToDouble(d -> d).average().orElse(0);
        // each round's on / off, its two runs taken a few seconds apart: their median shrugs off a
        // round that a neighbour on the shared machine slowed, which the ratio of the means does
        // not; their spread gives the interval
        double[] perRound = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            perRound[round] = on.get(round) / off.get(round);
        }
        RatioInterval interval = RatioInterval.of(perRound);
        java.util.Arrays.sort(perRound);
        double median =
                rounds % 2 == 1
                        ? perRound[rounds / 2]
                        : (perRound[rounds / 2 - 1] + perRound[rounds / 2]) / 2;
        System.out.printf(
                Locale.ROOT,
                "%nstore on / off: %.3f (mean ex/s %,.0f / %,.0f; the store's cost %.1f %%);"
                        + " the rounds' on / off: median %.3f, geometric mean %.3f, 95 %% interval"
                        + " %.3f–%.3f (%d rounds); hit / off: %.2f%n",
                meanOn / meanOff,
                meanOn,
                meanOff,
                100 * (1 - meanOn / meanOff),
                median,
                interval.mean(),
                interval.low(),
                interval.high(),
                rounds,
                hit / meanOff);
        for (int round = 1; round <= rounds; round++) {
            deleteTree(stores.resolve("round-" + round));
        }
    }

    /** One run of {@link #store}: prints its row, returns its examples/s. */
    private double storeRun(
            String round,
            String label,
            Path data,
            long examples,
            String concurrency,
            Path store,
            long expectedRequests)
            throws IOException {
        try (FakeOpenAiServer server = server()) {
            var clock = new ArrivalClock();
            server.engine(clock);
            List<String> extra = new ArrayList<>();
            if (store != null) {
                extra.addAll(List.of("--store", store.toString()));
            }
            if (!concurrency.equals("defaults")) {
                extra.addAll(List.of("--concurrency", concurrency));
            }
            String load = loadAverage();
            ChildRun run =
                    ChildRun.run(
                            classify(
                                    server,
                                    data,
                                    DIR.resolve("store.jsonl"),
                                    extra.toArray(String[]::new)),
                            LOG);
            check(
                    run,
                    clock.count() == expectedRequests,
                    "the server saw " + clock.count() + " requests, not " + expectedRequests);
            long records;
            try (var lines = Files.lines(DIR.resolve("store.jsonl"))) {
                records = lines.count();
            }
            check(run, records == examples, records + " records");
            double rate = examples / run.wallSeconds();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %,d | %.2f | %,.0f | %,.0f | %s | %s |%n",
                    round,
                    label,
                    clock.count(),
                    run.wallSeconds(),
                    rate,
                    run.cpuSeconds() / examples * 1e6,
                    store == null
                            ? "–"
                            : String.format(Locale.ROOT, "%.1f", treeBytes(store) / 1e6),
                    load);
            return rate;
        }
    }

    private static String loadAverage() {
        try {
            String text = Files.readString(Path.of("/proc/loadavg"));
            return text.substring(0, Math.max(0, text.indexOf(' ')));
        } catch (IOException e) {
            return "?";
        }
    }

    private static long treeBytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    return 0;
                                }
                            })
                    .sum();
        }
    }

    // ---- a stand-in server for exploring by hand
    // -------------------------------------------------------------------

    /**
     * Serves on {@code port=} (default 8000) until killed: instant, or batching when {@code
     * serve-slots=} is given.
     */
    private void serve() throws IOException, InterruptedException {
        FakeOpenAiServer server =
                FakeOpenAiServer.start(
                        Integer.parseInt(options.getOrDefault("port", "8000")),
                        List.of("glm-4-9b-chat"),
                        request -> ANSWER);
        server.recordRequests(false);
        String slots = options.get("serve-slots");
        if (slots != null) {
            String[] range = options.get("service-ms").split("-");
            server.engine(
                    new BatchingEngine(
                            Integer.parseInt(slots),
                            Long.parseLong(range[0]),
                            Long.parseLong(range[1]),
                            Long.parseLong(options.get("seed"))));
        }
        System.out.println(
                "serving at "
                        + server.baseUrl()
                        + (slots == null ? " (instant)" : " (" + slots + " slots)"));
        System.out.flush();
        Thread.currentThread().join();
    }

    // ---- helpers
    // -----------------------------------------------------------------------------------------------

    private static void check(ChildRun run, boolean ok, String detail) {
        if (run.exitCode() != 0 || !ok) {
            throw new IllegalStateException(
                    String.join(" ", run.command())
                            + " exited "
                            + run.exitCode()
                            + "; "
                            + detail
                            + " (see "
                            + LOG
                            + ")");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
