package dev.llmcls.store;

import dev.llmcls.llm.AnswerMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One run's use of the answer store: it looks answers up as {@link #forModel} tells the backend,
 * and keeps the new ones through one writer thread, in transactions of up to {@value #BATCH}
 * answers (gathered for up to {@value #LINGER_MS} ms), so that a worker never waits for the disk or
 * for another process's transaction. {@link #close} writes what is still waiting. A process killed
 * before that loses the answers not yet written (never a half-written one).
 *
 * <p>The store is opened on the writer thread as the session starts, so that loading SQLite and
 * opening the database (about a quarter of a second of CPU, BENCHMARKS.md issue 20) overlap the
 * rest of the run's start (reading the data, asking the server about itself); {@link #forModel}
 * waits for it, and a store that cannot be opened fails there, before any request is sent.
 *
 * <p>A failing store never fails the run: a read that fails counts as not found, a write that fails
 * is dropped, and each says so once on the log.
 */
public final class StoreSession implements AutoCloseable {
    /** The most answers one write transaction holds. */
    static final int BATCH = 500;

    /**
     * How long the writer waits for more answers before it writes a batch that is not full: a
     * process killed meanwhile loses them (as it loses any answer not yet written), never half of
     * one. Longer group commits (300 ms, 2,000 answers) cost the writer thread a fifth less CPU,
     * since each commit rewrites the index pages its answers landed on, but the answers waiting
     * (three times as many, bodies and all) outlive young collections: a run against an instant
     * server had a collection more and 100 ms more of pauses, the same wall time (5 alternating
     * runs each).
     */
    static final long LINGER_MS = 100;

    /** Put on the queue by {@link #close}: the writer stops when it reaches it. */
    private static final AnswerStore.Keyed STOP =
            new AnswerStore.Keyed(0, "", new byte[0], "", false, "", 0);

    private final StoreSettings settings;
    private final String runId;
    private final Consumer<String> log;
    private final CompletableFuture<AnswerStore> opening; // null when off
    private volatile AnswerStore store; // once opening has completed: see store()
    private final BlockingQueue<AnswerStore.Keyed> pending = new LinkedBlockingQueue<>(100_000);
    private final Thread writer;
    private final KnownKeys known = new KnownKeys();
    private long lastRowLearnt; // the writer thread's: the last row whose key known has
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong sampledNotReused = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean readFailed = new AtomicBoolean();
    private final AtomicBoolean writeFailed = new AtomicBoolean();
    private volatile boolean closed;

    private StoreSession(StoreSettings settings, String runId, Consumer<String> log) {
        this.settings = settings;
        this.runId = runId;
        this.log = log;
        if (settings.enabled()) {
            opening = new CompletableFuture<>();
            writer = new Thread(this::openThenWrite, "llmcls-answer-store");
            writer.setDaemon(true);
            writer.start();
        } else {
            opening = null;
            writer = null;
        }
    }

    private void openThenWrite() {
        try {
            opening.complete(AnswerStore.open(settings.dir()));
        } catch (RuntimeException | Error e) {
            opening.completeExceptionally(e);
            return;
        }
        // meanwhile every request is looked up (a store of a million answers takes a second)
        learnKeys(opening.join());
        writeLoop();
    }

    /**
     * Mirrors the keys the store holds into {@link #known}, the first time all of them and then
     * those written since (by this run or another process) after each write and while idle; a store
     * too big to mirror is asked for every request.
     */
    private void learnKeys(AnswerStore store) {
        if (!mirroring()) {
            return;
        }
        if (lastRowLearnt == 0 && tooBigToMirror(store)) {
            known.sayYesToAll();
        } else if (learnRows(store, Long.MAX_VALUE)) {
            known.learnt();
        }
    }

    /**
     * Tells {@link #known} the keys just written, and those other processes wrote since it last
     * learnt (read from the store: this run's own rows are not read back).
     */
    private void learnWritten(
            AnswerStore store, List<AnswerStore.Keyed> answers, AnswerStore.Written written) {
        if (!mirroring()
                || (written.before() > lastRowLearnt && !learnRows(store, written.before()))) {
            return;
        }
        for (AnswerStore.Keyed answer : answers) {
            known.add(answer.key());
        }
        known.publish();
        lastRowLearnt = Math.max(lastRowLearnt, written.last());
    }

    /** Whether {@link #known} is kept: only reading runs need it, and only until it gave up. */
    private boolean mirroring() {
        return settings.use() == StoreSettings.Use.READ_WRITE && !known.saysYesToAll();
    }

    private static boolean tooBigToMirror(AnswerStore store) {
        try {
            return store.lastRow() > KnownKeys.MOST;
        } catch (RuntimeException e) {
            return true; // the store's own reads say what fails
        }
    }

    /**
     * Adds the keys of the rows after {@link #lastRowLearnt} up to {@code upTo}. Keys that cannot
     * be read are asked for: the mirror says yes to every key from then on (and the store's own
     * reads say what fails).
     */
    private boolean learnRows(AnswerStore store, long upTo) {
        try {
            lastRowLearnt = store.keysBetween(lastRowLearnt, upTo, known::add);
            return true;
        } catch (RuntimeException e) {
            known.sayYesToAll();
            return false;
        }
    }

    /** Whether the store's keys are mirrored in memory yet (a miss then costs no query). */
    boolean keysMirrored() {
        return known.isLearnt() && !known.saysYesToAll();
    }

    /** The open store, waiting for it to be opened; rethrows what opening it threw. */
    private AnswerStore store() {
        if (store == null) {
            boolean interrupted = false;
            while (true) {
                try {
                    store = opening.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // opening takes a fraction of a second: wait it out
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw (Error) e.getCause();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return store;
    }

    /** Opens the store {@code settings} name (nothing when it is off) for run {@code runId}. */
    public static StoreSession open(StoreSettings settings, String runId, Consumer<String> log) {
        return new StoreSession(settings, runId, log);
    }

    /** A session that neither reads nor writes. */
    public static StoreSession off() {
        return new StoreSession(
                new StoreSettings(null, StoreSettings.Use.OFF, false), "none", message -> {});
    }

    public StoreSettings settings() {
        return settings;
    }

    public String runId() {
        return runId;
    }

    /** Where the store is; null when it is off. */
    public Path dir() {
        return opening == null ? null : settings.dir();
    }

    /**
     * The lookups and keeping of answers of model {@code identity} (the server's id, and its real
     * model if told).
     */
    public AnswerMemory forModel(String identity) {
        if (opening == null) {
            return AnswerMemory.NONE;
        }
        AnswerStore store = store();
        return (body, sampled) -> {
            // the key (a hash of the whole body) is computed once: for the lookup and the write
            long key = AnswerStore.key(identity, body);
            AnswerMemory.Recalled recalled = recall(store, key, identity, body);
            return new AnswerMemory.Lookup() {
                @Override
                public AnswerMemory.Recalled recalled() {
                    return recalled;
                }

                @Override
                public void keep(String answer) {
                    StoreSession.this.keep(key, identity, body, answer, sampled);
                }
            };
        };
    }

    private AnswerMemory.Recalled recall(
            AnswerStore store, long key, String identity, byte[] body) {
        // no query for what the store cannot hold (every request of a new model or prompt)
        if (settings.use() != StoreSettings.Use.READ_WRITE || !known.mightHold(key)) {
            return null;
        }
        AnswerStore.Found found;
        try {
            found = store.find(key, identity, body);
        } catch (RuntimeException e) {
            if (readFailed.compareAndSet(false, true)) {
                log.accept(
                        "warning: the answer store cannot be read ("
                                + e.getMessage()
                                + "); sending every request");
            }
            return null;
        }
        if (found == null) {
            return null;
        }
        if (found.sampled() && !settings.reuseSampled()) {
            sampledNotReused.incrementAndGet();
            return null;
        }
        reused.incrementAndGet();
        return new AnswerMemory.Recalled(found.answer(), found.runId());
    }

    private void keep(long key, String identity, byte[] body, String answer, boolean sampled) {
        if (closed) {
            return;
        }
        var entry =
                new AnswerStore.Keyed(
                        key, identity, body, answer, sampled, runId, System.currentTimeMillis());
        try {
            pending.put(entry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: this answer is not kept
        }
    }

    // STOP is a poison pill: only that one object ends the loop, so identity is the test meant here
    // (an Entry equal to it by value, all fields empty, is an answer to keep, not a stop).
    @SuppressWarnings("ReferenceEquality")
    private void writeLoop() {
        var batch = new ArrayList<AnswerStore.Keyed>(BATCH);
        boolean stop = false;
        while (!stop) {
            try {
                AnswerStore.Keyed first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    learnKeys(opening.join()); // what other processes wrote meanwhile
                    continue;
                }
                batch.add(first);
                // A group commit: the writer sleeps LINGER_MS (close wakes it) and then takes what
                // came meanwhile, since each commit writes every page it touched (an index page per
                // answer, at random) to the WAL. It sleeps rather than waiting on the queue: a
                // waiting writer is woken by every answer put, a thread switch per answer.
                if (first != STOP && pending.size() < BATCH - 1 && !closed) {
                    LockSupport.parkNanos(this, LINGER_MS * 1_000_000L);
                }
                pending.drainTo(batch, BATCH - batch.size());
            } catch (InterruptedException e) {
                stop = true;
            }
            List<AnswerStore.Keyed> answers = new ArrayList<>(batch.size());
            for (AnswerStore.Keyed entry : batch) {
                if (entry == STOP) {
                    stop = true;
                } else {
                    answers.add(entry);
                }
            }
            batch.clear();
            write(answers);
        }
    }

    private void write(List<AnswerStore.Keyed> answers) {
        if (answers.isEmpty()) {
            return;
        }
        AnswerStore store = opening.join(); // the writer opened it before it took an answer
        try {
            AnswerStore.Written written =
                    store.putKeyed(answers, settings.use() == StoreSettings.Use.REFRESH);
            kept.addAndGet(written.changed());
            learnWritten(store, answers, written);
        } catch (RuntimeException e) {
            dropped.addAndGet(answers.size());
            if (writeFailed.compareAndSet(false, true)) {
                log.accept(
                        "warning: the answer store cannot be written ("
                                + e.getMessage()
                                + "); this run's "
                                + "answers are not kept there");
            }
        }
    }

    /** Answers found in the store and used instead of a request. */
    public long reused() {
        return reused.get();
    }

    /** Sampled answers found but not reused (no {@code --reuse sampled}). */
    public long sampledNotReused() {
        return sampledNotReused.get();
    }

    /** New answers written to the store (so far; all of them after {@link #close}). */
    public long kept() {
        return kept.get();
    }

    /** Answers that could not be written. */
    public long dropped() {
        return dropped.get();
    }

    /** Writes the answers still waiting, then closes the store. */
    @Override
    public void close() {
        if (closed || opening == null) {
            closed = true;
            return;
        }
        closed = true;
        AnswerStore open;
        try {
            open = store();
        } catch (RuntimeException e) {
            return; // never opened (said where the run asked for it): nothing to write or close
        }
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    pending.put(STOP);
                    LockSupport.unpark(writer); // no lingering for more answers: there are none
                    writer.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            open.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
