package dev.llmcls.bench;

import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import dev.llmcls.runfile.JsonlWriter;
import dev.llmcls.runfile.ResumeState;
import dev.llmcls.runfile.RunRecord;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How much resuming costs on a finished 7,600-record AG News run: reading the output back
 * (ResumeState.load), and a whole {@code classify} re-run that finds every example done
 * (in-process, so JVM start-up is not counted). Run: scripts/bench-resume.sh
 */
public final class ResumeOverheadBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("resume-bench");
        Path data = SharedData.agNews("test.csv");
        Path output = dir.resolve("reason.jsonl");
        var labels = LabelSet.parse(LabelSet.AG_NEWS);
        try (ExampleSource source = DatasetReader.open(DatasetSpec.of(data), labels);
                var writer = new JsonlWriter(output)) {
            while (source.hasNext()) {
                Example e = source.next();
                String answer =
                        "reason: the text reports on "
                                + labels.name(e.gold())
                                + " matters, as its title and "
                                + "description show in several places.\nlabel: "
                                + labels.name(e.gold());
                writer.write(
                        new RunRecord(
                                e.id(),
                                e.text(),
                                labels.name(e.gold()),
                                answer,
                                "stop",
                                180,
                                40,
                                900,
                                null,
                                1));
            }
        }
        System.out.printf(
                Locale.ROOT, "output: 7600 records, %.1f MiB%n", Files.size(output) / 1048576.0);

        double[] loads = new double[25];
        for (int i = -5; i < loads.length; i++) {
            long start = System.nanoTime();
            ResumeState state = ResumeState.load(output);
            double ms = (System.nanoTime() - start) / 1e6;
            if (state.succeededIds().size() != 7600) {
                throw new IllegalStateException(
                        "expected 7600 ids, got " + state.succeededIds().size());
            }
            if (i >= 0) {
                loads[i] = ms;
            }
        }
        Arrays.sort(loads);
        System.out.printf(
                Locale.ROOT,
                "ResumeState.load: median %.1f ms, min %.1f ms, max %.1f ms (25 runs after 5"
                        + " warm-up)%n",
                loads[loads.length / 2],
                loads[0],
                loads[loads.length - 1]);

        try (var server = FakeOpenAiServer.start(request -> "label: World")) {
            String[] classify = {
                "classify",
                "--mode",
                "reason",
                "--data",
                data.toString(),
                "--base-url",
                server.baseUrl(),
                "--output",
                output.toString(),
                "--quiet"
            };
            // The first run writes the manifest (the file has none yet); the timed ones find all
            // 7,600 done.
            CliRun.of(classify);
            double[] reruns = new double[5];
            for (int i = 0; i < reruns.length; i++) {
                long start = System.nanoTime();
                CliRun run = CliRun.of(classify);
                reruns[i] = (System.nanoTime() - start) / 1e6;
                if (run.exitCode() != 0 || server.chatRequests() != 0) {
                    throw new IllegalStateException("a complete run must send nothing: " + run);
                }
            }
            Arrays.sort(reruns);
            System.out.printf(
                    Locale.ROOT,
                    "classify re-run with all 7600 done (scan data, probe server, load output, "
                            + "skip all): median %.0f ms, min %.0f ms%n",
                    reruns[reruns.length / 2],
                    reruns[0]);
        }
    }
}
