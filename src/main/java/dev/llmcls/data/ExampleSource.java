package dev.llmcls.data;

import java.util.Iterator;

/** A stream of examples read lazily from a file, so that a dataset never has to fit in memory. */
public interface ExampleSource extends Iterator<Example>, AutoCloseable {
    @Override
    void close();
}
