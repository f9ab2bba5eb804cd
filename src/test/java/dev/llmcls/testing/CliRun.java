package dev.llmcls.testing;

import dev.llmcls.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real command line in-process and captures its exit code, stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code =
                Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * {@code classify} of {@code data} against {@code baseUrl} into {@code output}, retrying after
     * 5 ms, with {@code --concurrency 4} unless {@code extra} sets it: the fault and
     * server-behaviour tests' run.
     */
    public static CliRun classifyQuickRetries(
            Path data, String baseUrl, Path output, String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                data.toString(),
                                "--base-url",
                                baseUrl,
                                "--output",
                                output.toString(),
                                "--retry-delay",
                                "5ms"));
        args.addAll(List.of(extra));
        if (args.stream().noneMatch(a -> a.startsWith("--concurrency"))) {
            args.addAll(List.of("--concurrency", "4"));
        }
        return of(args.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
