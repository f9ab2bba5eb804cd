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

/**
 * What the data file holds, read whole once before any request, so a malformed row stops the run
 * before it starts. {@code examples} are those the run classifies (its shard's); {@code
 * allExamples} the data's, after the limit.
 */
public record DataScan(long examples, long allExamples, String sha256, String format) {
    public static DataScan of(ClassifyConfig.Input input) {
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
                DatasetReader.sha256(input.data().file()),
                input.data().resolvedFormat().name().toLowerCase(Locale.ROOT));
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
