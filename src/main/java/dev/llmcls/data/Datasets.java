package dev.llmcls.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/** Helpers over example streams and data files. */
public final class Datasets {
    private Datasets() {}

    /** The first {@code limit} examples of {@code source} (all of them when limit is null). */
    public static Iterator<Example> limit(Iterator<Example> source, Long limit) {
        if (limit == null) {
            return source;
        }
        return new Iterator<>() {
            private long taken;

            @Override
            public boolean hasNext() {
                return taken < limit && source.hasNext();
            }

            @Override
            public Example next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return source.next();
            }
        };
    }

    /** The examples of {@code source} that {@code keep} accepts, lazily. */
    public static Iterator<Example> filter(Iterator<Example> source, Predicate<Example> keep) {
        return new LookAhead<>() {
            @Override
            protected Example computeNext() {
                while (source.hasNext()) {
                    Example next = source.next();
                    if (keep.test(next)) {
                        return next;
                    }
                }
                return null;
            }
        };
    }

    /**
     * Whether the dataset is multi-label, judged by its first example (the reader makes every later
     * one alike); false when the file is missing or holds none (the run's data check then says so).
     */
    public static boolean multiLabel(DatasetSpec spec, LabelSet labels) {
        if (!java.nio.file.Files.isRegularFile(spec.file())
                && !java.nio.file.Files.isDirectory(spec.file())) {
            return false;
        }
        try (ExampleSource source = DatasetReader.open(spec, labels)) {
            return source.hasNext() && source.next().multiLabel();
        }
    }
}
