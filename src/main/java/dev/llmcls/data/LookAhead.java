package dev.llmcls.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that finds its next element ahead of {@link #next}: subclasses say what comes next,
 * or null at the end. The one look-ahead implementation behind filtered example streams and the
 * JSONL reader.
 */
public abstract class LookAhead<T> implements Iterator<T> {
    private T pending;
    private boolean done;

    /** The next element, or null when there is none. */
    protected abstract T computeNext();

    @Override
    public final boolean hasNext() {
        if (pending == null && !done) {
            pending = computeNext();
            done = pending == null;
        }
        return pending != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T next = pending;
        pending = null;
        return next;
    }
}
