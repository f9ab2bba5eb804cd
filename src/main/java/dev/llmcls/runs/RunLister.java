package dev.llmcls.runs;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.OutputLock;
import dev.llmcls.runfile.RecordStream;
import dev.llmcls.runfile.RunSettings;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** The scoring of each set of labels met so far, shared by their runs. */
    private final Map<List<String>, Tally.Scoring> scorings = new ConcurrentHashMap<>();

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
        // Each run is read on its own (its small files and the tail of its output), so the runs
        // are read on all cores, and listed in path order.
        return new ArrayList<>(outputs)
                .parallelStream().map(this::describe).flatMap(Optional::stream).toList();
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
        ManifestFields manifest;
        String method;
        try {
            manifest = ManifestFields.read(Manifest.pathFor(output)).orElse(null);
            if (manifest == null
                    || manifest.mode() == null
                    || "exported".equals(manifest.status())) {
                return Optional.empty();
            }
            method = method(manifest.sampling());
        } catch (RuntimeException e) {
            return Optional.of(unreadable(output, "manifest: " + e.getMessage()));
        }
        Optional<Holder> holder = Holder.of(OutputLock.pathFor(output), thisHost);
        Counted counted;
        try {
            counted = count(output, manifest);
        } catch (InputException | UncheckedIOException e) {
            return Optional.of(unreadable(output, e.getMessage()));
        }
        Tally.Counts counts = counted.counts();
        long total = manifest.examples();
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
            Instant since =
                    holder.map(Holder::lockedAt).orElseGet(() -> parse(counted.sessionStartedAt()));
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
                        method,
                        manifest.model(),
                        manifest.dataFile(),
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
            Tally.Counts counts, String how, String sessionStartedAt, long sessionRecords) {}

    private Counted count(Path output, ManifestFields manifest) {
        if (!Files.exists(output)) {
            return new Counted(Tally.Counts.NONE, "progress", null, 0);
        }
        Optional<Progress> progress = Progress.read(Progress.pathFor(output));
        long size = size(output);
        if (progress.isPresent() && progress.get().bytes() <= size) {
            Progress summary = progress.get();
            Tally.Counts counts = summary.counts();
            if (summary.bytes() < size) { // records written after the summary
                Tally tally = Tally.from(scoring(manifest), summary.counts());
                RecordStream.forEachFrom(output, summary.bytes(), tally);
                counts = tally.counts();
            }
            return new Counted(
                    counts,
                    "progress",
                    summary.sessionStartedAt(),
                    summary.sessionRecords() + counts.records() - summary.counts().records());
        }
        Tally tally = Tally.from(scoring(manifest), Tally.Counts.NONE);
        RecordStream.forEachFrom(output, 0, tally);
        return new Counted(tally.counts(), "scanned", null, 0);
    }

    /** How the run's records are scored; null when it has no labels. */
    private Tally.Scoring scoring(ManifestFields manifest) {
        if (manifest.labels() == null || manifest.labels().isEmpty()) {
            return null;
        }
        return scorings.computeIfAbsent(
                manifest.labels(), labels -> Tally.Scoring.of(new LabelSet(labels)));
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
    private static String method(Map<String, Object> sampling) {
        if (sampling == null || RunSettings.onlySampling(sampling)) {
            return null; // a prompting run's sampling alone: nothing to read
        }
        List<String> kinds = new ArrayList<>();
        for (var part : RunSettings.fromJson(sampling).parts()) {
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
