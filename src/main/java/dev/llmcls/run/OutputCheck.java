package dev.llmcls.run;

import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.RecordStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How far a planned run has got, read without changing anything and without sending anything: its
 * examples (the data file scanned once per input, however many runs share it), how many already
 * have a successful record in its output, and so whether it is new, partial or done. For {@code
 * experiment plan}.
 */
public final class OutputCheck {
    /**
     * new: no output yet; partial: some examples still to do; done: every example has an answer.
     */
    public enum State {
        NEW,
        PARTIAL,
        DONE
    }

    /** {@code requests}: what is left to send (examples to do times requests per example). */
    public record Status(
            long examples, long done, long requests, State state, String manifestStatus) {}

    private final Map<ClassifyConfig.Input, DataScan> scans = new HashMap<>();

    public Status check(ClassifyConfig config) {
        DataScan scan = scans.computeIfAbsent(config.input(), DataScan::of);
        Path output = config.output().file();
        long done = 0;
        if (Files.exists(output)) {
            Set<String> succeeded = new java.util.HashSet<>();
            RecordStream.forEach(
                    output,
                    false,
                    record -> {
                        if (!record.failed()) {
                            succeeded.add(record.id());
                        }
                    });
            done = DataScan.countDone(config.input(), succeeded);
        }
        Optional<Manifest> manifest = Manifest.read(Manifest.pathFor(output));
        State state =
                !Files.exists(output)
                        ? State.NEW
                        : done >= scan.examples() ? State.DONE : State.PARTIAL;
        return new Status(
                scan.examples(),
                done,
                (scan.examples() - done) * requestsPerExample(config),
                state,
                manifest.map(Manifest::status).orElse(null));
    }

    /**
     * Requests one example costs: one per label under likelihood scoring, none in-process, else
     * one.
     */
    public static int requestsPerExample(ClassifyConfig config) {
        if (config.method() instanceof Method.Embedded) {
            return 0;
        }
        return config.method() instanceof Method.Likelihood ? config.input().labels().size() : 1;
    }
}
