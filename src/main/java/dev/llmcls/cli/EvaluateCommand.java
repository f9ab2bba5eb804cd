package dev.llmcls.cli;

import dev.llmcls.core.AtomicFiles;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.eval.CalibrationEvaluator;
import dev.llmcls.eval.CalibrationResult;
import dev.llmcls.eval.Evaluation;
import dev.llmcls.eval.Evaluator;
import dev.llmcls.eval.Scorers;
import dev.llmcls.multilabel.MultiLabelRecords;
import dev.llmcls.multilabel.MultiLabelRun;
import dev.llmcls.report.CalibrationReport;
import dev.llmcls.report.EvaluationReport;
import dev.llmcls.report.HtmlReport;
import dev.llmcls.report.MultiLabelReport;
import dev.llmcls.run.likelihood.ContentFree;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.ShardedRuns;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Score run files with the seed experiment's rule and the strict scorer: accuracy with a"
                + " 95%% Wilson interval, macro-F1, multi-label and no-label answers, errors;"
                + " compare each run with the baseline (the first file) on the same example ids:"
                + " accuracy difference with a bootstrap interval and McNemar's exact test."
                + " Multi-label runs (gold label lists): subset accuracy, Hamming loss, micro,"
                + " macro and sample F1, per-label figures, and a per-label threshold sweep over"
                + " label probabilities."
        })
public final class EvaluateCommand implements Callable<Integer> {
    enum Format {
        table,
        markdown,
        json,
        csv
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "JSONL files written by classify.")
    List<Path> files;

    @ArgGroup(
            validate = false,
            heading = "Labels (when a run's manifest names none, or to override it):%n")
    LabelOptions labelOptions = new LabelOptions();

    @Option(
            names = "--alias",
            paramLabel = "ALIAS=LABEL",
            description =
                    "Another name the strict scorer accepts for a label, e.g. \"Sci/Tech=Science |"
                        + " Technology\". Repeatable. A labels file can declare them too: 'Science"
                        + " | Technology = Sci/Tech, Science/Tech'.")
    List<String> aliases = new ArrayList<>();

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "Output: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(
            names = "--per-class",
            description = "Add per-class precision/recall/F1 and the confusion matrices.")
    boolean perClass;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Also write a self-contained HTML report.")
    Path html;

    @Option(
            names = "--html-examples",
            paramLabel = "N",
            defaultValue = "2000",
            description =
                    "At most N disagreeing examples in the HTML report (default:"
                            + " ${DEFAULT-VALUE}).")
    int htmlExamples;

    @Option(
            names = "--baseline",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "Which FILE (1-based) the others are compared with (default:"
                            + " ${DEFAULT-VALUE}).")
    int baseline;

    @Option(
            names = "--resamples",
            paramLabel = "N",
            defaultValue = "" + Evaluator.Options.DEFAULT_RESAMPLES,
            description =
                    "Bootstrap resamples for the difference's interval, at least 2000 (default:"
                            + " ${DEFAULT-VALUE}).")
    int resamples;

    @Option(
            names = "--bootstrap-seed",
            paramLabel = "SEED",
            defaultValue = "" + Evaluator.Options.DEFAULT_SEED,
            description =
                    "Seed of the bootstrap, fixed so that reports are reproducible (default:"
                            + " ${DEFAULT-VALUE}).")
    long bootstrapSeed;

    @Option(
            names = "--calibrate",
            split = ",",
            paramLabel = "HOW",
            description =
                    "Also score the label distributions of likelihood runs corrected for label"
                        + " bias: contextual (divided by the content-free distribution that"
                        + " classify --calibrate contextual measured) and/or batch (divided by the"
                        + " run's mean distribution), beside the raw figures, with McNemar's test"
                        + " between them. A run classified with --calibrate gets its correction"
                        + " without this option.")
    List<String> calibrate = new ArrayList<>();

    @Option(
            names = "--merge",
            description =
                    "Read all FILEs as the shards of one sharded run (classify --shard) and refuse"
                        + " files that are not. Without it, shard files whose manifests show one"
                        + " run are merged anyway.")
    boolean merge;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OptionRules.check(spec.commandLine());
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new InputException("no such run file: " + file);
            }
        }
        List<ShardedRuns.Run> runs =
                ShardedRuns.group(files, merge, file -> Manifest.read(Manifest.pathFor(file)));
        if (baseline > runs.size()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--baseline must be between 1 and "
                            + runs.size()
                            + ", the number of runs (shards of one run "
                            + "count as one)");
        }
        List<ShardedRuns.Run> multiLabel =
                runs.stream()
                        .filter(run -> MultiLabelRecords.isMultiLabel(run.files().get(0).file()))
                        .toList();
        if (!multiLabel.isEmpty()) {
            if (multiLabel.size() < runs.size()) {
                ShardedRuns.Run single =
                        runs.stream()
                                .filter(run -> !multiLabel.contains(run))
                                .findFirst()
                                .orElseThrow();
                throw new InputException(
                        multiLabel.get(0).name()
                                + " is a multi-label run and "
                                + single.name()
                                + " a single-label one; evaluate them separately");
            }
            return multiLabel(runs, out, err);
        }
        var inputs = new ArrayList<Evaluator.Input>();
        boolean incomplete = false;
        for (ShardedRuns.Run run : runs) {
            Path first = run.files().get(0).file();
            inputs.add(
                    new Evaluator.Input(
                            run.name(),
                            run.files().stream()
                                    .map(f -> new Evaluator.Part(f.file(), f.shard()))
                                    .toList(),
                            vocabularyFor(first)));
            if (run.sharded()) {
                incomplete |= reportShards(run, err);
            }
        }
        var options =
                new Evaluator.Options(
                        baseline - 1,
                        resamples,
                        bootstrapSeed,
                        html == null ? 0 : Math.max(htmlExamples, 0));
        Evaluation evaluation =
                Evaluator.evaluate(
                        inputs,
                        options,
                        run -> {
                            if (run.truncatedLines() > 0) {
                                err.println(
                                        "llmcls: "
                                                + run.file()
                                                + ": skipped a half-written last line (the run was"
                                                + " killed mid-write)");
                            }
                        });
        warnAboutUnpairedExamples(evaluation, err);
        List<CalibrationResult> calibration = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            calibration.addAll(
                    calibrationOf(inputs.get(i), evaluation.runs().get(i).probabilities()));
        }
        out.print(
                switch (format) {
                    case table ->
                            EvaluationReport.table(evaluation, perClass)
                                    + CalibrationReport.table(calibration);
                    case markdown ->
                            EvaluationReport.markdown(evaluation, perClass)
                                    + CalibrationReport.markdown(calibration);
                    case json ->
                            CalibrationReport.json(EvaluationReport.json(evaluation), calibration);
                    case csv -> EvaluationReport.csv(evaluation, perClass);
                });
        out.flush();
        if (html != null) {
            writeHtml(evaluation, calibration);
            err.println("llmcls: wrote " + html);
        }
        return incomplete ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    /**
     * Multi-label runs: each scored on its own (subset accuracy, Hamming loss, micro/macro/sample
     * F1, per label, the threshold sweep where records carry probabilities); they are not paired
     * with a baseline.
     */
    private int multiLabel(List<ShardedRuns.Run> runs, PrintWriter out, PrintWriter err) {
        if (!calibrate.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--calibrate corrects single-label distributions; for multi-label runs evaluate"
                            + " shows a per-label threshold sweep instead");
        }
        boolean incomplete = false;
        var results = new ArrayList<MultiLabelRun>();
        for (ShardedRuns.Run run : runs) {
            var parts =
                    run.files().stream()
                            .map(f -> new MultiLabelRecords.Part(f.file(), f.shard()))
                            .toList();
            MultiLabelRun result =
                    MultiLabelRecords.evaluate(
                            run.name(),
                            parts,
                            vocabularyFor(parts.get(0).file()),
                            html == null ? 0 : htmlExamples);
            if (result.truncatedLines() > 0) {
                err.println(
                        "llmcls: "
                                + run.name()
                                + ": skipped a half-written last line (the run was killed"
                                + " mid-write)");
            }
            if (run.sharded()) {
                incomplete |= reportShards(run, err);
            }
            results.add(result);
        }
        if (runs.size() > 1) {
            err.println(
                    "llmcls: multi-label runs are scored one by one; no paired comparison with the"
                            + " baseline");
        }
        out.print(
                switch (format) {
                    case table -> MultiLabelReport.table(results);
                    case markdown -> MultiLabelReport.markdown(results);
                    case json -> MultiLabelReport.json(results);
                    case csv -> MultiLabelReport.csv(results);
                });
        out.flush();
        if (html != null) {
            String page =
                    MultiLabelReport.html(
                            results, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            AtomicFiles.write(html, page.getBytes(StandardCharsets.UTF_8), "");
            err.println("llmcls: wrote " + html);
        }
        return incomplete ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    /**
     * Says which shards were merged; true when some are missing, so the figures are not the whole
     * run's.
     */
    private static boolean reportShards(ShardedRuns.Run run, PrintWriter err) {
        if (run.missing().isEmpty()) {
            err.println(
                    "llmcls: "
                            + run.name()
                            + ": merged all "
                            + run.shards()
                            + " shards of one run");
            return false;
        }
        err.println(
                "llmcls: "
                        + run.name()
                        + ": shard"
                        + (run.missing().size() == 1 ? " " : "s ")
                        + run.missing().stream()
                                .map(String::valueOf)
                                .collect(Collectors.joining(", "))
                        + " of "
                        + run.shards()
                        + " missing (merged "
                        + run.files().size()
                        + "); the figures cover only the shards given");
        return true;
    }

    /**
     * A comparison covers only the examples both runs hold with the same gold label; say so when
     * that is not all.
     */
    private static void warnAboutUnpairedExamples(Evaluation evaluation, PrintWriter err) {
        for (var comparison : evaluation.comparisons()) {
            if (!comparison.scorer().equals(Scorers.PRIMARY.key())) {
                continue;
            }
            long most =
                    evaluation.runs().stream()
                            .filter(
                                    run ->
                                            run.file().equals(comparison.baseline())
                                                    || run.file().equals(comparison.run()))
                            .mapToLong(run -> run.records())
                            .max()
                            .orElse(0);
            if (comparison.pairs() < most) {
                err.println(
                        "llmcls: "
                                + comparison.run()
                                + " is compared with "
                                + comparison.baseline()
                                + " on the "
                                + comparison.pairs()
                                + " examples both hold with the same gold label (of up to "
                                + most
                                + ")");
            }
        }
    }

    /**
     * The calibration figures of a run whose records carry probabilities: the corrections asked for
     * here and the one its manifest names; contextual needs the content-free distribution classify
     * measured beside the run.
     */
    private List<CalibrationResult> calibrationOf(Evaluator.Input merged, boolean probabilities) {
        if (merged.parts().size() > 1) {
            // The calibration figures read one file's label probabilities; a merged sharded run is
            // not one file.
            if (!calibrate.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "llmcls: "
                                        + merged.name()
                                        + ": calibration figures are computed per file; evaluate"
                                        + " the shard files one at a time for them");
            }
            return List.of();
        }
        var input = new SingleFile(merged.parts().get(0).file(), merged.labels());
        var corrections = new ArrayList<String>();
        for (String asked : calibrate) {
            String correction = asked.strip().toLowerCase(Locale.ROOT);
            if (!correction.equals("contextual") && !correction.equals("batch")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--calibrate takes contextual and/or batch, got '" + asked + "'");
            }
            if (!corrections.contains(correction)) {
                corrections.add(correction);
            }
        }
        Optional<Manifest> manifest = Manifest.read(Manifest.pathFor(input.file()));
        Object fromManifest =
                manifest.map(Manifest::sampling)
                        .map(sampling -> sampling.json().get("calibrate"))
                        .orElse(null);
        if (fromManifest instanceof String named && !corrections.contains(named)) {
            corrections.add(named);
        }
        List<String> labels = input.labels().names();
        double[] contentFree =
                ContentFree.read(input.file())
                        .map(result -> result.meanVector(labels))
                        .orElse(null);
        if (contentFree != null && java.util.Arrays.stream(contentFree).anyMatch(Double::isNaN)) {
            contentFree = null;
        }
        if (corrections.contains("contextual") && contentFree == null) {
            throw new InputException(
                    input.file()
                            + " has no content-free distribution ("
                            + ContentFree.pathFor(input.file())
                            + "), which contextual calibration divides by; classify the run with"
                            + " --scoring likelihood --calibrate contextual to measure it, or use"
                            + " --calibrate batch");
        }
        if (!probabilities) {
            // The scoring pass saw no record with probabilities: calibration would read the whole
            // file again to find
            // none (on 1,000,000 records, as long as the scoring itself).
            return List.of();
        }
        return CalibrationEvaluator.evaluate(input.file(), labels, contentFree, corrections);
    }

    /** A run that is one file, as calibration reads it. */
    private record SingleFile(Path file, LabelSet labels) {}

    private void writeHtml(Evaluation evaluation, List<CalibrationResult> calibration) {
        String page =
                HtmlReport.render(
                        evaluation,
                        calibration,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        AtomicFiles.write(html, page.getBytes(StandardCharsets.UTF_8), "");
    }

    /**
     * The run's labels (from its manifest; {@code --labels} when it has none, or to override it)
     * and the aliases.
     */
    private LabelSet vocabularyFor(Path file) {
        LabelSet vocabulary = labelsFor(file);
        for (String alias : aliases) {
            vocabulary = vocabulary.withAliasOption(alias);
        }
        return vocabulary;
    }

    private LabelSet labelsFor(Path file) {
        if (labelOptions.given(spec.commandLine().getParseResult())) {
            return labelOptions.labelSet();
        }
        return Manifest.read(Manifest.pathFor(file))
                .filter(manifest -> manifest.labels() != null && !manifest.labels().isEmpty())
                .map(manifest -> new LabelSet(manifest.labels()))
                .orElseGet(labelOptions::labelSet);
    }
}
