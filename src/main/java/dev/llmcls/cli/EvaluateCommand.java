package dev.llmcls.cli;

import dev.llmcls.data.LabelSet;
import dev.llmcls.eval.Evaluator;
import dev.llmcls.eval.RunEvaluation;
import dev.llmcls.report.EvaluationReport;
import dev.llmcls.run.Manifest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score run files with the seed experiment's rule: right, accuracy and multi-label answers.")
public final class EvaluateCommand implements Callable<Integer> {
    enum Format { table, json }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSONL files written by classify.")
    List<Path> files;

    @Mixin
    LabelOptions labelOptions;

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<RunEvaluation> runs = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new dev.llmcls.data.InputException("no such run file: " + file);
            }
            RunEvaluation run = Evaluator.evaluate(file, labelsFor(file));
            if (run.truncatedLines() > 0) {
                err.println("llmcls: " + file + ": skipped a half-written last line (the run was killed mid-write)");
            }
            runs.add(run);
        }
        out.print(format == Format.json ? EvaluationReport.json(runs) : EvaluationReport.table(runs));
        out.flush();
        return ExitCodes.OK;
    }

    /** The labels the run was made with, from its manifest; {@code --labels} when it has none, or to override it. */
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
