package dev.llmcls.experiment;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.OutputException;
import dev.llmcls.run.ClassifyJob;
import dev.llmcls.run.Method;
import dev.llmcls.run.OutputCheck;
import dev.llmcls.run.RunStats;
import dev.llmcls.run.StopSignals;
import dev.llmcls.run.StudyContext;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.OutputLock;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a study's cells: those already complete are skipped without a request; the others run as
 * {@code classify} runs in this process, side by side. Cells on one server share its connection and
 * its one limit of requests in flight ({@link StudyContext}): up to {@code cellsPerServer} of them
 * at once, the earlier cells' requests first, so the later ones fill the room the earlier ones'
 * tails leave and the server stays full until the last request. Cells on different servers run in
 * parallel; in-process cells (embedding modes) one at a time. A cell that fails is reported and the
 * others go on, except when a cell's output cannot be written (a full disk): then the study stops
 * and exits {@link ExitCodes#IO}. One study per output folder at a time (an operating-system lock,
 * like a run's).
 */
public final class StudyRunner {
    /** Two cells per server keep it full through one cell's tail; more only add waiting threads. */
    public static final int DEFAULT_CELLS_PER_SERVER = 2;

    public record Settings(
            int cellsPerServer,
            boolean quiet,
            boolean terminal,
            Duration interval,
            String toolVersion) {}

    /**
     * What became of a cell: {@code status} complete, done before (skipped),
     * finished_with_failures, stopped, failed.
     */
    public record Outcome(Cell cell, String status, String message) {
        public boolean complete() {
            return status.equals("complete") || status.equals("done_before");
        }
    }

    public record Result(
            List<Outcome> outcomes, int exitCode, double seconds, List<Integer> highestInFlight) {}

    private final Settings settings;
    private final PrintWriter err;

    /** Set when a cell's output could not be written: the study stops and exits IO. */
    private final AtomicBoolean outputFailed = new AtomicBoolean();

    public StudyRunner(Settings settings, PrintWriter err) {
        this.settings = settings;
        this.err = err;
    }

    /**
     * Runs the cells that are not complete; with {@code wholeStudy}, holding the lock on {@code
     * outputDir/study.lock} throughout (a run of chosen cells, e.g. one Slurm array task each,
     * takes only the cells' own locks).
     */
    public Result run(String name, Path outputDir, List<Cell> cells, boolean wholeStudy) {
        if (!wholeStudy) {
            return runLocked(name, cells);
        }
        try (OutputLock lock = OutputLock.acquire(outputDir.resolve("study"))) {
            return runLocked(name, cells);
        }
    }

    private Result runLocked(String name, List<Cell> cells) {
        long started = System.nanoTime();
        var context = new StudyContext();
        StopSignals signals = StopSignals.install(context::requestStop);
        var check = new OutputCheck();
        Map<Cell, Outcome> outcomes = new LinkedHashMap<>();
        Map<Object, List<Cell>> byServer = new LinkedHashMap<>();
        long remaining = 0;
        for (Cell cell : cells) {
            OutputCheck.Status status = check.check(cell.config());
            if (status.state() == OutputCheck.State.DONE) {
                outcomes.put(cell, new Outcome(cell, "done_before", null));
                continue;
            }
            remaining += status.examples() - status.done();
            Object key =
                    cell.config().method() instanceof Method.Embedded
                            ? "in-process"
                            : StudyContext.serverKey(cell.config().servers());
            byServer.computeIfAbsent(key, k -> new ArrayList<>()).add(cell);
        }
        int toRun = byServer.values().stream().mapToInt(List::size).sum();
        log(
                "study "
                        + name
                        + ": "
                        + cells.size()
                        + " cells, "
                        + (cells.size() - toRun)
                        + " complete already, "
                        + toRun
                        + " to run on "
                        + byServer.size()
                        + " server"
                        + (byServer.size() == 1 ? "" : "s")
                        + " ("
                        + remaining
                        + " examples)");
        var finished = new AtomicInteger();
        var finishedExamples = new AtomicLong();
        List<ExecutorService> pools = new ArrayList<>();
        Map<Cell, Future<Outcome>> futures = new LinkedHashMap<>();
        for (Map.Entry<Object, List<Cell>> group : byServer.entrySet()) {
            int parallel =
                    group.getKey().equals("in-process")
                            ? 1
                            : Math.max(1, settings.cellsPerServer());
            ExecutorService pool =
                    Executors.newFixedThreadPool(
                            parallel,
                            runnable -> {
                                Thread thread = new Thread(runnable, "llmcls-cell");
                                thread.setDaemon(true);
                                return thread;
                            });
            pools.add(pool);
            for (Cell cell : group.getValue()) {
                futures.put(
                        cell,
                        pool.submit(
                                () -> {
                                    Outcome outcome = runCell(cell, context);
                                    finished.incrementAndGet();
                                    return outcome;
                                }));
            }
        }
        pools.forEach(ExecutorService::shutdown);
        var progress = new StudyProgress(err, settings, toRun, remaining);
        for (ExecutorService pool : pools) {
            while (true) {
                try {
                    if (pool.awaitTermination(progress.tickMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    context.requestStop("interrupted");
                    Thread.currentThread().interrupt();
                    break;
                }
                progress.update(finished.get(), context.running(), finishedExamples);
            }
        }
        progress.close();
        for (Map.Entry<Cell, Future<Outcome>> entry : futures.entrySet()) {
            try {
                outcomes.put(entry.getKey(), entry.getValue().get());
            } catch (Exception e) {
                outcomes.put(
                        entry.getKey(),
                        new Outcome(entry.getKey(), "failed", String.valueOf(e.getMessage())));
            }
        }
        List<Outcome> ordered = cells.stream().map(outcomes::get).toList();
        double seconds = (System.nanoTime() - started) / 1e9;
        int incomplete = (int) ordered.stream().filter(o -> !o.complete()).count();
        for (Outcome outcome : ordered) {
            if (!outcome.complete()) {
                log(
                        "cell "
                                + outcome.cell().id()
                                + ": "
                                + outcome.status().replace('_', ' ')
                                + (outcome.message() == null ? "" : ": " + outcome.message()));
            }
        }
        log(
                String.format(
                        Locale.ROOT,
                        "study %s: %d of %d cells complete in %.1f s%s",
                        name,
                        cells.size() - incomplete,
                        cells.size(),
                        seconds,
                        incomplete == 0 ? "" : "; run the same command again to resume the rest"));
        int exit =
                signals.exitCode() != 0
                        ? signals.exitCode()
                        : outputFailed.get()
                                ? ExitCodes.IO
                                : incomplete == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
        return new Result(ordered, exit, seconds, context.highestInFlight());
    }

    private Outcome runCell(Cell cell, StudyContext context) {
        if (context.stopReason() != null) {
            return new Outcome(cell, "stopped", "not started: " + context.stopReason());
        }
        PrintWriter cellErr = new PrintWriter(new Prefixed(err, "[" + cell.id() + "] "), true);
        try {
            int code =
                    new ClassifyJob(
                                    cell.config(),
                                    cellErr,
                                    settings.toolVersion(),
                                    new StudyContext.Member(context, cell.index(), cell.id()))
                            .run();
            if (code == ExitCodes.OK) {
                return new Outcome(cell, "complete", null);
            }
            Manifest manifest = Manifest.read(Manifest.pathFor(cell.output())).orElse(null);
            String status = manifest == null ? "stopped" : manifest.status();
            return new Outcome(cell, status, manifest == null ? null : manifest.stopReason());
        } catch (InputException e) {
            return new Outcome(cell, "failed", e.getMessage());
        } catch (RuntimeException e) {
            OutputException output = OutputException.in(e);
            if (output != null) {
                // a full disk: the other cells write beside this one; stop them, keep what is kept
                outputFailed.set(true);
                context.requestStop("the output could not be written");
                return new Outcome(cell, "failed", output.getMessage());
            }
            return new Outcome(
                    cell, "failed", e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            cellErr.flush();
        }
    }

    private void log(String line) {
        if (!settings.quiet()) {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        }
    }

    /**
     * One progress display for the study: a line in place on a terminal, plain lines every interval
     * otherwise.
     */
    private static final class StudyProgress {
        private final PrintWriter err;
        private final Settings settings;
        private final int cells;
        private final long examples;
        private final long started = System.nanoTime();
        private long lastLine = System.nanoTime();
        private final Map<String, Long> lastDone = new LinkedHashMap<>();
        private long doneOfFinished;
        private boolean drawn;

        StudyProgress(PrintWriter err, Settings settings, int cells, long examples) {
            this.err = err;
            this.settings = settings;
            this.cells = cells;
            this.examples = examples;
        }

        long tickMillis() {
            return 250;
        }

        void update(int finished, Map<String, RunStats> running, AtomicLong unused) {
            if (settings.quiet()) {
                return;
            }
            long now = System.nanoTime();
            long interval = settings.terminal() ? 1_000_000_000L : settings.interval().toNanos();
            // Count the examples of cells that ended since the last look, by their last figures.
            for (String id : new ArrayList<>(lastDone.keySet())) {
                if (!running.containsKey(id)) {
                    doneOfFinished += lastDone.remove(id);
                }
            }
            long done = doneOfFinished;
            for (Map.Entry<String, RunStats> entry : running.entrySet()) {
                long cellDone = entry.getValue().done();
                lastDone.put(entry.getKey(), cellDone);
                done += cellDone;
            }
            if (interval <= 0 || now - lastLine < interval) {
                return;
            }
            lastLine = now;
            double seconds = (now - started) / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            long left = Math.max(0, examples - done);
            String eta = rate > 0 ? formatDuration((long) (left / rate)) : "?";
            String line =
                    String.format(
                            Locale.ROOT,
                            "study: %d/%d cells done, %d running, %d waiting; %d/%d examples"
                                    + " (%.1f/s), ETA %s",
                            finished,
                            cells,
                            running.size(),
                            Math.max(0, cells - finished - running.size()),
                            done,
                            examples,
                            rate,
                            eta);
            synchronized (err) {
                if (settings.terminal()) {
                    err.print("\r" + line + "\033[K");
                    drawn = true;
                } else {
                    err.println(line);
                }
                err.flush();
            }
        }

        void close() {
            if (drawn) {
                synchronized (err) {
                    err.println();
                    err.flush();
                }
            }
        }

        private static String formatDuration(long seconds) {
            return seconds >= 3600
                    ? seconds / 3600 + "h" + (seconds % 3600) / 60 + "m"
                    : seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
        }
    }

    /** Writes each line to {@code err} whole, after {@code prefix} (the cell's id). */
    private static final class Prefixed extends Writer {
        private final PrintWriter err;
        private final String prefix;
        private final StringBuilder line = new StringBuilder();

        Prefixed(PrintWriter err, String prefix) {
            this.err = err;
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    emit();
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }

        private void emit() {
            synchronized (err) {
                err.println(prefix + line);
                err.flush();
            }
            line.setLength(0);
        }

        @Override
        public synchronized void flush() {}

        @Override
        public synchronized void close() {
            if (line.length() > 0) {
                emit();
            }
        }
    }
}
