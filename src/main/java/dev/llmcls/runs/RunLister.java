package dev.llmcls.runs;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.OutputLock;
import dev.llmcls.runfile.RecordStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the runs under some directories (every {@code OUTPUT.manifest.json}, recursively; a batch
 * file's request manifest, status {@code exported}, is not a run) and describes each ({@link
 * RunRow}) from its manifest, its lock file, its progress summary and the output's records after
 * that summary. An unreadable run is listed with a note, never stops the listing.
 */
public final class RunLister {
    private static final String MANIFEST = ".manifest.json";

    private final String thisHost;
    private final Instant now;

    public RunLister(String thisHost, Instant now) {
        this.thisHost = thisHost;
        this.now = now;
    }

    /**
     * The runs under {@code dirs} (a file given is taken as a run's output or its manifest), in
     * path order.
     */
    public List<RunRow> list(List<Path> dirs) {
        Set<Path> outputs = new LinkedHashSet<>();
        for (Path dir : dirs) {
            outputs.addAll(find(dir));
        }
        List<RunRow> rows = new ArrayList<>();
        for (Path output : outputs) {
            describe(output).ifPresent(rows::add);
        }
        return rows;
    }

    /** The outputs whose manifests lie under {@code dir}, sorted. */
    static List<Path> find(Path dir) {
        if (Files.isRegularFile(dir)) {
            String name = dir.getFileName().toString();
            return List.of(
                    name.endsWith(MANIFEST)
                            ? dir.resolveSibling(
                                    name.substring(0, name.length() - MANIFEST.length()))
                            : dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is neither a directory nor a run's output");
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(
                                Path file, BasicFileAttributes attributes) {
                            String name = file.getFileName().toString();
                            if (name.endsWith(MANIFEST) && name.length() > MANIFEST.length()) {
                                found.add(
                                        file.resolveSibling(
                                                name.substring(
                                                        0, name.length() - MANIFEST.length())));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // unreadable: not listed
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        found.sort(null);
        return found;
    }

    /** The run that writes {@code output}; empty when its manifest is not a run's. */
    Optional<RunRow> describe(Path output) {
        Manifest manifest;
        try {
            manifest = Manifest.read(Manifest.pathFor(output)).orElse(null);
        } catch (RuntimeException e) {
            return Optional.of(unreadable(output, "manifest: " + e.getMessage()));
        }
        if (manifest == null || manifest.mode() == null || "exported".equals(manifest.status())) {
            return Optional.empty();
        }
        Optional<Holder> holder = Holder.of(OutputLock.pathFor(output), thisHost);
        Counted counted;
        try {
            counted = count(output, manifest);
        } catch (InputException | UncheckedIOException e) {
            return Optional.of(unreadable(output, e.getMessage()));
        }
        Tally.Counts counts = counted.counts();
        long total = manifest.data() == null ? 0 : manifest.data().examples();
        Instant lastWritten = lastModified(output).orElse(null);
        Duration quiet =
                lastWritten == null ? Duration.ofDays(365) : Duration.between(lastWritten, now);
        Boolean alive = holder.map(Holder::alive).orElse(null);
        if (holder.isEmpty() && !Files.exists(OutputLock.pathFor(output))) {
            alive = false; // no lock file: nobody ever held it (or an old run)
        }
        RunState state =
                RunState.of(manifest.status(), alive, quiet, counts.ok(), total, counts.errors());
        Long pid = null;
        String host = null;
        Double rate = null;
        Long eta = null;
        if (state == RunState.RUNNING) {
            pid = holder.map(Holder::pid).orElse(null);
            host = holder.map(Holder::host).orElse(null);
            Instant since = holder.map(Holder::lockedAt).orElse(counted.sessionStartedAt());
            if (since != null && lastWritten != null && counted.sessionRecords() > 0) {
                double seconds =
                        Math.max(0.001, Duration.between(since, lastWritten).toMillis() / 1000.0);
                rate = Math.round(counted.sessionRecords() / seconds * 10) / 10.0;
                if (rate > 0 && total > counts.ok()) {
                    eta = Math.round((total - counts.ok()) / rate);
                }
            }
        }
        return Optional.of(
                new RunRow(
                        output.toString(),
                        state,
                        manifest.mode(),
                        method(manifest),
                        manifest.model(),
                        manifest.data() == null ? null : manifest.data().file(),
                        counts.ok(),
                        total,
                        counts.errors(),
                        counts.accuracy(),
                        pid,
                        host,
                        rate,
                        eta,
                        manifest.startedAt(),
                        lastWritten == null ? null : lastWritten.toString(),
                        counted.how(),
                        null));
    }

    /**
     * What the records say, and how it was found out; {@code sessionRecords}: written since the
     * session began.
     */
    private record Counted(
            Tally.Counts counts, String how, Instant sessionStartedAt, long sessionRecords) {}

    private static Counted count(Path output, Manifest manifest) {
        LabelSet labels =
                manifest.labels() == null || manifest.labels().isEmpty()
                        ? null
                        : new LabelSet(manifest.labels());
        if (!Files.exists(output)) {
            return new Counted(Tally.Counts.NONE, "progress", null, 0);
        }
        Optional<Progress> progress = Progress.read(Progress.pathFor(output));
        long size = size(output);
        if (progress.isPresent() && progress.get().bytes() <= size) {
            Progress summary = progress.get();
            Tally tally = Tally.from(labels, summary.counts());
            RecordStream.forEachFrom(output, summary.bytes(), tally);
            Tally.Counts counts = tally.counts();
            return new Counted(
                    counts,
                    "progress",
                    parse(summary.sessionStartedAt()),
                    summary.sessionRecords() + counts.records() - summary.counts().records());
        }
        Tally tally = Tally.empty(labels);
        RecordStream.forEachFrom(output, 0, tally);
        return new Counted(tally.counts(), "scanned", null, 0);
    }

    private static RunRow unreadable(Path output, String why) {
        return new RunRow(
                output.toString(),
                null,
                null,
                null,
                null,
                null,
                0,
                0,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                lastModified(output).map(Instant::toString).orElse(null),
                "unreadable",
                why);
    }

    /**
     * The settings beyond the mode and sampling, by kind, e.g. {@code voting, confidence}; null
     * when none.
     */
    private static String method(Manifest manifest) {
        if (manifest.sampling() == null) {
            return null;
        }
        List<String> kinds = new ArrayList<>();
        for (var part : manifest.sampling().parts()) {
            String name = part.getClass().getSimpleName();
            if (name.equals("Sampling") || name.equals("Unrecognised")) {
                continue;
            }
            kinds.add(name.replaceFirst("Settings$", "").toLowerCase(Locale.ROOT));
        }
        return kinds.isEmpty() ? null : String.join(", ", kinds);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Optional<Instant> lastModified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Instant parse(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
