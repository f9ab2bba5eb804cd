package dev.llmcls.run;

import dev.llmcls.core.InputException;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.Datasets;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What the data file holds, read whole once before any request, so a malformed row stops the run
 * before it starts. {@code examples} are those the run classifies (its shard's); {@code
 * allExamples} the data's, after the limit.
 */
public record DataScan(long examples, long allExamples, String sha256, String format) {
    public static DataScan of(ClassifyConfig.Input input) {
        // The data's sha256 (for the manifest, which a resume compares) is computed on a thread of
        // its own while this one reads the examples: at the start of a run the second core is
        // otherwise idle (BENCHMARKS.md, issue 22). A scan that fails drops it.
        FutureTask<String> sha256 =
                new FutureTask<>(() -> DatasetReader.sha256(input.data().file()));
        Thread hashing = new Thread(sha256, "llmcls-data-sha256");
        hashing.setDaemon(true);
        hashing.start();
        try {
            return scan(input, sha256);
        } finally {
            sha256.cancel(false);
        }
    }

    private static DataScan scan(ClassifyConfig.Input input, FutureTask<String> sha256) {
        long all = 0;
        long count = 0;
        Set<String> ids = new HashSet<>();
        boolean ownIds = input.data().idField() != null;
        try (ExampleSource source = DatasetReader.open(input.data(), input.labels())) {
            Iterator<Example> examples = Datasets.limit(source, input.limit());
            while (examples.hasNext()) {
                Example example = examples.next();
                if (ownIds && !ids.add(example.id())) {
                    throw new InputException(
                            input.data().file()
                                    + ": id '"
                                    + example.id()
                                    + "' occurs twice; ids "
                                    + "must be unique for resuming to be safe");
                }
                all++;
                count += input.shard() == null || input.shard().contains(example.id()) ? 1 : 0;
            }
        }
        if (all == 0) {
            throw new InputException(input.data().file() + " holds no examples");
        }
        return new DataScan(
                count,
                all,
                join(sha256),
                input.data().resolvedFormat().name().toLowerCase(Locale.ROOT));
    }

    /** The hash, or the exception computing it threw (an unreadable file's input error). */
    private static String join(FutureTask<String> sha256) {
        try {
            return sha256.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the data", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** How many of the examples already have a successful record. */
    public static long countDone(ClassifyConfig.Input input, Set<String> succeeded) {
        if (succeeded.isEmpty()) {
            return 0;
        }
        long done = 0;
        try (ExampleSource source = DatasetReader.open(input.data(), input.labels())) {
            Iterator<Example> examples = input.examples(source);
            while (examples.hasNext()) {
                done += succeeded.contains(examples.next().id()) ? 1 : 0;
            }
        }
        return done;
    }
}
