package dev.llmcls.eval;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.Shard;
import dev.llmcls.runfile.EvalRecord;
import dev.llmcls.runfile.RecordStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Scores run files and compares them. The files are streamed: what stays in memory is a few bytes
 * per example id (gold and each scorer's prediction), so the paired comparison can match examples
 * by id. When a file holds several records for one example (a failure, then its successful retry on
 * resume), the newest one counts.
 */
public final class Evaluator {
    /**
     * One run, {@code name} in reports, and the labels (with aliases) it was made with. A run is
     * one file, or the shard files of one sharded run read as one.
     */
    public record Input(String name, List<Part> parts, LabelSet labels) {
        public Input {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a run has at least one file");
            }
        }

        public Input(Path file, LabelSet labels) {
            this(file.toString(), List.of(new Part(file, null)), labels);
        }
    }

    /** One file of a run; with a {@code shard}, every record's id must belong to that shard. */
    public record Part(Path file, Shard shard) {}

    /**
     * {@code baseline}: index of the run the others are compared with; {@code resamples} and {@code
     * seed}: the bootstrap's; {@code exampleLimit}: how many disagreeing examples to collect for
     * the HTML report (0: none).
     */
    public record Options(int baseline, int resamples, long seed, int exampleLimit) {
        public static final int DEFAULT_RESAMPLES = 10_000;
        public static final long DEFAULT_SEED = 20_230_513L;
        public static final Options DEFAULTS = new Options(0, DEFAULT_RESAMPLES, DEFAULT_SEED, 0);
    }

    /** Answers longer than this are cut in the report's example list. */
    static final int MAX_OUTPUT = 4000;

    private Evaluator() {}

    /** Scores one file on its own (no comparison). */
    public static RunEvaluation evaluate(Path file, LabelSet labels) {
        return evaluate(List.of(new Input(file, labels)), Options.DEFAULTS).runs().get(0);
    }

    public static Evaluation evaluate(List<Input> inputs, Options options) {
        return evaluate(inputs, options, run -> {});
    }

    /** Two runs to compare, by their index in the inputs: {@code run} against {@code baseline}. */
    public record Pair(int baseline, int run) {}

    /**
     * Scores the runs and compares the given pairs (each under every scorer, in {@code pairs}
     * order) instead of each run with {@code options.baseline()}: an experiment compares the cells
     * that differ in one factor only.
     */
    public static Evaluation evaluate(List<Input> inputs, List<Pair> pairs, Options options) {
        return evaluate(inputs, options, run -> {}, pairs);
    }

    /**
     * As {@link #evaluate(List, Options)}; {@code onRun} sees each run's scores as soon as its file
     * is read.
     */
    public static Evaluation evaluate(
            List<Input> inputs, Options options, Consumer<RunEvaluation> onRun) {
        return evaluate(inputs, options, onRun, null);
    }

    /**
     * About how many distinct ids the runs hold: the largest run's lines, estimated from its size
     * and the length of its first lines (runs compared are mostly over the same examples).
     */
    static long expectedIds(List<Input> inputs) {
        long most = 0;
        for (Input input : inputs) {
            long lines = 0;
            for (Part part : input.parts()) {
                lines += estimatedLines(part.file());
            }
            most = Math.max(most, lines);
        }
        return most;
    }

    private static long estimatedLines(Path file) {
        try (var in = Files.newInputStream(file)) {
            long size = Files.size(file);
            byte[] head = in.readNBytes(1 << 16);
            int lines = 0;
            for (byte b : head) {
                if (b == '\n') {
                    lines++;
                }
            }
            if (lines == 0 || head.length == 0) {
                return 1;
            }
            return size * lines / head.length + lines;
        } catch (IOException e) {
            return 0; // the reading proper says what is wrong with the file
        }
    }

    private static Evaluation evaluate(
            List<Input> inputs, Options options, Consumer<RunEvaluation> onRun, List<Pair> pairs) {
        var ids = new IdIndex(expectedIds(inputs));
        var tallies = new ArrayList<RunTally>();
        var runs = new ArrayList<RunEvaluation>();
        for (Input input : inputs) {
            var tally = new RunTally(input.name(), input.parts(), input.labels());
            for (Part part : input.parts()) {
                tally.reading = part.file();
                Shard shard = part.shard();
                // Parsing and scoring run on all cores; ids get their slots here, in file order, so
                // the newest record
                // wins.
                tally.truncatedLines +=
                        RecordStream.forEachParallel(
                                part.file(),
                                tally::score,
                                new RecordStream.LineConsumer<>() {
                                    @Override
                                    public void beforePiece(List<RunTally.Scored> results) {
                                        for (RunTally.Scored scored : results) {
                                            ids.prefetch(scored.id());
                                        }
                                    }

                                    @Override
                                    public void accept(RunTally.Scored scored, long line) {
                                        if (shard != null && !shard.contains(scored.id())) {
                                            throw InputException.at(
                                                    part.file(),
                                                    line,
                                                    "example '"
                                                            + scored.id()
                                                            + "' does not belong to shard "
                                                            + shard
                                                            + " ("
                                                            + Shard.RULE
                                                            + "), so this file is not that shard's"
                                                            + " output");
                                        }
                                        tally.put(scored, ids.slot(scored.id()), line);
                                    }
                                });
            }
            tallies.add(tally);
            RunEvaluation run = tally.evaluation();
            runs.add(run);
            onRun.accept(run);
        }
        var comparisons = new ArrayList<Comparison>();
        if (pairs != null) {
            for (Pair pair : pairs) {
                for (Scorer scorer : Scorers.ALL) {
                    comparisons.add(
                            compare(
                                    tallies.get(pair.baseline()),
                                    tallies.get(pair.run()),
                                    scorer,
                                    options));
                }
            }
        } else if (tallies.size() > 1) {
            RunTally baseline = tallies.get(options.baseline());
            for (RunTally run : tallies) {
                if (run != baseline) {
                    for (Scorer scorer : Scorers.ALL) {
                        comparisons.add(compare(baseline, run, scorer, options));
                    }
                }
            }
        }
        List<ExampleRow> examples = List.of();
        long examplesTotal = 0;
        if (options.exampleLimit() > 0) {
            List<Integer> slots = new ArrayList<>();
            for (int slot = 0; slot < ids.size(); slot++) {
                if (shown(tallies, slot)) {
                    examplesTotal++;
                    if (slots.size() < options.exampleLimit()) {
                        slots.add(slot);
                    }
                }
            }
            examples = collectExamples(tallies, ids, slots);
        }
        return new Evaluation(runs, comparisons, examples, examplesTotal);
    }

    static Comparison compare(RunTally baseline, RunTally run, Scorer scorer, Options options) {
        long pairs = 0;
        long baselineRight = 0;
        long runRight = 0;
        long onlyBaseline = 0;
        long onlyRun = 0;
        boolean sameLabels = baseline.labels.names().equals(run.labels.names());
        int slots = Math.min(baseline.capacity(), run.capacity());
        for (int slot = 0; slot < slots; slot++) {
            if (!baseline.has(slot) || !run.has(slot)) {
                continue;
            }
            if (sameLabels
                    ? baseline.gold(slot) != run.gold(slot)
                    : !baseline.goldName(slot).equals(run.goldName(slot))) {
                continue;
            }
            pairs++;
            boolean a = baseline.right(scorer, slot);
            boolean b = run.right(scorer, slot);
            baselineRight += a ? 1 : 0;
            runRight += b ? 1 : 0;
            onlyBaseline += a && !b ? 1 : 0;
            onlyRun += b && !a ? 1 : 0;
        }
        double baselineAccuracy = pairs == 0 ? 0 : (double) baselineRight / pairs;
        double runAccuracy = pairs == 0 ? 0 : (double) runRight / pairs;
        return new Comparison(
                baseline.name,
                run.name,
                scorer.key(),
                pairs,
                baselineAccuracy,
                runAccuracy,
                runAccuracy - baselineAccuracy,
                Statistics.bootstrapDifference(
                        pairs, onlyBaseline, onlyRun, options.resamples(), options.seed()),
                onlyBaseline,
                onlyRun,
                Statistics.mcnemarExact(onlyBaseline, onlyRun),
                options.resamples(),
                options.seed());
    }

    /** Several runs: their strict answers differ. One run: its strict answer is wrong. */
    private static boolean shown(List<RunTally> tallies, int slot) {
        if (tallies.size() == 1) {
            RunTally only = tallies.get(0);
            return only.has(slot) && !only.right(Scorers.PRIMARY, slot);
        }
        String first = null;
        for (int t = 0; t < tallies.size(); t++) {
            RunTally tally = tallies.get(t);
            String name =
                    tally.has(slot)
                            ? tally.predictionName(tally.prediction(Scorers.PRIMARY, slot))
                            : "";
            if (t == 0) {
                first = name;
            } else if (!first.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A second pass over the files, reading text and answers of the chosen examples only. */
    private static List<ExampleRow> collectExamples(
            List<RunTally> tallies, IdIndex ids, List<Integer> slots) {
        Map<Integer, Integer> rowOfSlot = new HashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            rowOfSlot.put(slots.get(i), i);
        }
        String[] texts = new String[slots.size()];
        ExampleRow.Answer[][] answers = new ExampleRow.Answer[slots.size()][tallies.size()];
        for (int t = 0; t < tallies.size(); t++) {
            RunTally tally = tallies.get(t);
            int run = t;
            for (Part part : tally.parts) {
                RecordStream.forEach(
                        part.file(),
                        id -> rowOfSlot.containsKey(ids.slot(id)),
                        record -> {
                            int slot = ids.slot(record.id());
                            Integer row = rowOfSlot.get(slot);
                            if (row == null) {
                                return;
                            }
                            if (texts[row] == null) {
                                texts[row] = record.text();
                            }
                            answers[row][run] = answerOf(tally, record, slot);
                        });
            }
        }
        var rows = new ArrayList<ExampleRow>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            int slot = slots.get(i);
            String gold = null;
            var runAnswers = new ArrayList<ExampleRow.Answer>();
            for (int t = 0; t < tallies.size(); t++) {
                RunTally tally = tallies.get(t);
                if (tally.has(slot) && gold == null) {
                    gold = tally.goldName(slot);
                }
                runAnswers.add(
                        answers[i][t] != null
                                ? answers[i][t]
                                : new ExampleRow.Answer(null, false, null, null));
            }
            rows.add(new ExampleRow(ids.id(slot), texts[i], gold, runAnswers));
        }
        return rows;
    }

    /**
     * The run's answer to an example: its newest record's text, and the prediction the tally kept
     * for it.
     */
    private static ExampleRow.Answer answerOf(RunTally tally, EvalRecord record, int slot) {
        int prediction = tally.prediction(Scorers.PRIMARY, slot);
        return new ExampleRow.Answer(
                tally.predictionName(prediction),
                tally.right(Scorers.PRIMARY, slot),
                abbreviate(record.output()),
                record.error());
    }

    private static String abbreviate(String output) {
        return output == null || output.length() <= MAX_OUTPUT
                ? output
                : output.substring(0, MAX_OUTPUT) + "…";
    }
}
