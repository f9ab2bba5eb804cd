package dev.llmcls.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a command as a child process and measures it from outside: wall time from spawn to exit, CPU
 * time (the growth of this process's reaped-children CPU, {@code cutime + cstime} of {@code
 * /proc/self/stat}, which the kernel adds when the child is reaped, so it is exact and includes the
 * JVM's JIT and GC threads) and peak RSS (the child's {@code VmHWM}, sampled every 20 ms until it
 * exits) and the most threads it had at a sample ({@code Threads}).
 */
record ChildRun(
        List<String> command,
        int exitCode,
        long spawnNanos,
        double wallSeconds,
        double cpuSeconds,
        long peakRssKib,
        int peakThreads) {
    private static final long CLOCK_TICKS = clockTicks();

    static ChildRun run(List<String> command, Path log) {
        try {
            double cpuBefore = childrenCpuSeconds();
            var builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long spawned = System.nanoTime();
            Process process = builder.start();
            AtomicLong peak = new AtomicLong();
            AtomicLong threads = new AtomicLong();
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            Thread sampler =
                    new Thread(
                            () -> {
                                while (process.isAlive()) {
                                    peak.accumulateAndGet(statusField(status, "VmHWM:"), Math::max);
                                    threads.accumulateAndGet(
                                            statusField(status, "Threads:"), Math::max);
                                    try {
                                        Thread.sleep(20);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            int code = process.waitFor();
            long ended = System.nanoTime();
            sampler.join();
            double cpu = childrenCpuSeconds() - cpuBefore;
            return new ChildRun(
                    command,
                    code,
                    spawned,
                    (ended - spawned) / 1e9,
                    cpu,
                    peak.get(),
                    (int) threads.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** CPU seconds of this process's children that have been reaped so far. */
    static double childrenCpuSeconds() {
        String[] fields = statFields(Path.of("/proc/self/stat"));
        // fields[0] is field 3 (state) of proc(5); cutime and cstime are fields 16 and 17.
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / (double) CLOCK_TICKS;
    }

    /** CPU seconds this process itself has used (the stand-in server's side of a benchmark). */
    static double ownCpuSeconds() {
        String[] fields = statFields(Path.of("/proc/self/stat"));
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
    }

    private static String[] statFields(Path stat) {
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            return text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A number field of {@code /proc/PID/status}: {@code VmHWM:} (KiB), {@code Threads:} (the JVM's
     * own included).
     */
    private static long statusField(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the child exited between isAlive() and the read
        }
        return 0;
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out =
                    new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                            .strip();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
