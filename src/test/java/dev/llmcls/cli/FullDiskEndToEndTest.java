package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 6: when the output's disk fills, {@code classify} says which file, that the disk is
 * full and that re-running resumes, exits {@value ExitCodes#IO}, and the re-run after freeing space
 * answers every example exactly once. On a real small tmpfs (needs {@code mount}; skipped with the
 * reason where the container refuses it), and always through the exception handler with the same
 * IOException.
 */
class FullDiskEndToEndTest {
    private static final int EXAMPLES = 300;

    @TempDir Path dir;

    private FakeOpenAiServer server;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        server = FakeOpenAiServer.start(request -> "It is news about the world.\nlabel: World");
        var csv = new StringBuilder("text,label\n");
        for (int i = 0; i < EXAMPLES; i++) {
            csv.append("\"Story number ")
                    .append(i)
                    .append(
                            ", a long enough text about markets, sport and the world "
                                    + "to fill a small disk quickly\",")
                    .append(i % 4)
                    .append('\n');
        }
        data = Files.writeString(dir.resolve("news.csv"), csv);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private CliRun classify(Path output) {
        return CliRun.of(
                "classify",
                "--data",
                data.toString(),
                "--base-url",
                server.baseUrl(),
                "--output",
                output.toString(),
                "--concurrency",
                "8",
                "--progress-interval",
                "1h",
                "--max-attempts",
                "1");
    }

    @Test
    void aFullTmpfsStopsTheRunWithOneLineAndExit74AndARerunAfterFreeingSpaceResumesExactly()
            throws Exception {
        Path mount = mountSmallTmpfs();
        try {
            Path output = mount.resolve("run.jsonl");
            CliRun full = classify(output);
            assertEquals(ExitCodes.IO, full.exitCode(), full.toString());
            assertTrue(
                    full.err()
                            .contains(
                                    "llmcls: cannot write "
                                            + output
                                            + ": the disk is full (No space left on device). Free"
                                            + " space on it and re-run the same command: it resumes"
                                            + " where it stopped"),
                    full.err());
            assertFalse(full.err().contains("UncheckedIOException"), full.err());
            long written = Files.readAllLines(output).stream().filter(l -> l.endsWith("}")).count();
            assertTrue(
                    written > 0 && written < EXAMPLES,
                    "the disk filled after " + written + " records");

            run("mount", "-o", "remount,size=4m", mount.toString()); // space freed
            CliRun resumed = classify(output);
            assertEquals(0, resumed.exitCode(), resumed.toString());
            assertTrue(resumed.err().contains("resuming"), resumed.err());
            assertEveryExampleAnsweredOnce(output);
        } finally {
            run("umount", mount.toString());
        }
    }

    /**
     * {@code experiment run}: a cell whose output fills the disk stops the study with the same line
     * and exit {@value ExitCodes#IO} (not 1, "some cell failed"); after freeing space the same
     * command completes every cell with each example answered once.
     */
    @Test
    void aFullTmpfsStopsAStudyWithExit74AndRunningItAgainAfterFreeingSpaceCompletesIt()
            throws Exception {
        Path mount = mountSmallTmpfs();
        try {
            Path study =
                    Files.writeString(
                            dir.resolve("study.yaml"),
                            """
                            experiment: full-disk
                            defaults:
                              data: %s
                              base-url: %s
                              concurrency: 8
                              max-attempts: 1
                            grid:
                              mode: [basic, reason]
                            """
                                    .formatted(data, server.baseUrl()));
            Path out = mount.resolve("study");
            CliRun full =
                    CliRun.of(
                            "experiment", "run", study.toString(), "--output-dir", out.toString());
            assertEquals(ExitCodes.IO, full.exitCode(), full.toString());
            assertTrue(
                    full.err().contains(": the disk is full (No space left on device). Free space"),
                    full.err());

            run("mount", "-o", "remount,size=4m", mount.toString()); // space freed
            CliRun again =
                    CliRun.of(
                            "experiment", "run", study.toString(), "--output-dir", out.toString());
            assertEquals(0, again.exitCode(), again.toString());
            try (var files = Files.walk(out)) {
                List<Path> outputs =
                        files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
                assertEquals(2, outputs.size(), outputs.toString());
                for (Path output : outputs) {
                    assertEveryExampleAnsweredOnce(output);
                }
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private Path mountSmallTmpfs() throws IOException, InterruptedException {
        Path mount = Files.createDirectory(dir.resolve("small"));
        Process process =
                new ProcessBuilder(
                                "mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", mount.toString())
                        .redirectErrorStream(true)
                        .start();
        String said = new String(process.getInputStream().readAllBytes()).strip();
        assumeTrue(
                process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0,
                "mount -t tmpfs refused here (needs root with CAP_SYS_ADMIN): " + said);
        return mount;
    }

    /**
     * Without a mount: a run's writer failing with the JDK's ENOSPC message, deep in the worker's
     * exception as the runner rethrows it, goes through the real exception handler.
     */
    @Test
    void aWriteThatFailsWithEnospcIsTheSameOneLineAndExit74WithoutAMount() {
        Path output = dir.resolve("run.jsonl");
        var err = new java.io.StringWriter();
        var commandLine =
                Cli.commandLine(
                        new java.io.PrintWriter(new java.io.StringWriter()),
                        new java.io.PrintWriter(err));
        var thrown =
                new dev.llmcls.core.OutputException(
                        output, new IOException("No space left on device"));
        assertEquals(
                ExitCodes.IO,
                Cli.handleException(new RuntimeException("worker", thrown), commandLine, false));
        assertEquals(
                "llmcls: cannot write "
                        + output
                        + ": the disk is full (No space left on device). Free space on it and"
                        + " re-run the same command: it resumes where it stopped, with every answer"
                        + " written so far kept.",
                err.toString().strip());
    }

    private static void assertEveryExampleAnsweredOnce(Path output) throws IOException {
        Map<String, Integer> answered = new HashMap<>();
        for (JsonNode record : Jsonl.read(output)) {
            if (record.get("error").isNull()) {
                answered.merge(record.get("id").asText(), 1, Integer::sum);
            }
        }
        assertEquals(EXAMPLES, answered.size());
        answered.forEach(
                (id, count) -> assertEquals(1, count, "example " + id + " answered twice"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + said);
        }
    }
}
