package dev.llmcls.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmcls.core.Json;
import dev.llmcls.llm.AnswerMemory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One run's use of the answer store: it looks answers up as {@link #forModel} tells the backend,
 * and keeps the new ones through one writer thread, in transactions of up to {@value #BATCH}
 * answers, so that a worker never waits for the disk or for another process's transaction. {@link
 * #close} writes what is still waiting. A process killed before that loses the answers not yet
 * written (never a half-written one).
 *
 * <p>A failing store never fails the run: a read that fails counts as not found, a write that fails
 * is dropped, and each says so once on the log.
 */
public final class StoreSession implements AutoCloseable {
    /** The most answers one write transaction holds. */
    static final int BATCH = 500;

    /** Put on the queue by {@link #close}: the writer stops when it reaches it. */
    private static final AnswerStore.Entry STOP =
            new AnswerStore.Entry("", "", "", false, "", Instant.EPOCH);

    private final StoreSettings settings;
    private final String runId;
    private final Consumer<String> log;
    private final AnswerStore store;
    private final BlockingQueue<AnswerStore.Entry> pending = new LinkedBlockingQueue<>(100_000);
    private final Thread writer;
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
        this.store = settings.enabled() ? AnswerStore.open(settings.dir()) : null;
        if (store != null) {
            writer = new Thread(this::writeLoop, "llmcls-answer-store");
            writer.setDaemon(true);
            writer.start();
        } else {
            writer = null;
        }
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
        return store == null ? null : settings.dir();
    }

    /**
     * The lookups and keeping of answers of model {@code identity} (the server's id, and its real
     * model if told).
     */
    public AnswerMemory forModel(String identity) {
        if (store == null) {
            return AnswerMemory.NONE;
        }
        return new AnswerMemory() {
            @Override
            public Recalled recall(String requestBody) {
                return StoreSession.this.recall(identity, requestBody);
            }

            @Override
            public void keep(String requestBody, String answerBody) {
                StoreSession.this.keep(identity, requestBody, answerBody);
            }
        };
    }

    private AnswerMemory.Recalled recall(String identity, String body) {
        if (settings.use() != StoreSettings.Use.READ_WRITE) {
            return null;
        }
        AnswerStore.Found found;
        try {
            found = store.find(identity, body);
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

    private void keep(String identity, String body, String answer) {
        if (closed) {
            return;
        }
        var entry =
                new AnswerStore.Entry(identity, body, answer, sampled(body), runId, Instant.now());
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
        var batch = new ArrayList<AnswerStore.Entry>(BATCH);
        boolean stop = false;
        while (!stop) {
            try {
                AnswerStore.Entry first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
            } catch (InterruptedException e) {
                stop = true;
            }
            List<AnswerStore.Entry> answers = new ArrayList<>(batch.size());
            for (AnswerStore.Entry entry : batch) {
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

    private void write(List<AnswerStore.Entry> answers) {
        if (answers.isEmpty()) {
            return;
        }
        try {
            kept.addAndGet(store.put(answers, settings.use() == StoreSettings.Use.REFRESH));
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

    /**
     * Whether an answer to this body is sampled: a temperature above 0 (or none, which servers take
     * as 1) without a seed. Reusing such an answer would make replicates identical, so it is reused
     * only when asked.
     */
    static boolean sampled(String body) {
        double temperature = 1.0;
        boolean seeded = false;
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("temperature".equals(name) && value.isNumeric()) {
                    temperature = parser.getDoubleValue();
                } else if ("seed".equals(name) && value != JsonToken.VALUE_NULL) {
                    seeded = true;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return true;
        }
        return temperature > 0 && !seeded;
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
        if (closed || store == null) {
            closed = true;
            return;
        }
        closed = true;
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    pending.put(STOP);
                    writer.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            store.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
