package dev.llmcls.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one Jackson configuration for the files llmcls writes and reads, and for the request bodies
 * and answers it sends and parses.
 *
 * <p>Every parser and generator borrows its working buffers from one shared, bounded pool ({@link
 * #BUFFERS}). Jackson's default keeps a buffer set per thread (a {@code ThreadLocal}, about 20 KB
 * once a thread has parsed an answer and written a record). When {@code classify} ran one worker
 * thread per request in flight (1,024 against vLLM) that was 20 MB of heap live for the whole run
 * (BENCHMARKS.md, issue 13 item 3). Prompting runs now parse answers on a few threads (asynchronous
 * sends, issue 18 item 4), but {@code --scoring likelihood} still runs a thread per example in
 * flight, and a shared pool is no dearer where threads are few, so it stays. A buffer set is held
 * only while one body is written or read, so a few sets serve every thread; the pool keeps at most
 * {@link #POOLED} and lets any beyond that be collected.
 */
public final class Json {
    /**
     * The most buffer sets the pool keeps between uses: more than the threads that parse at the
     * same moment.
     */
    public static final int POOLED = 64;

    /**
     * The pool every {@link JsonFactory} of llmcls's request path and files takes its buffers from.
     */
    public static final RecyclerPool<BufferRecycler> BUFFERS =
            JsonRecyclerPools.newBoundedPool(POOLED);

    /** Creates parsers and generators with buffers from {@link #BUFFERS}. */
    public static final JsonFactory FACTORY = JsonFactory.builder().recyclerPool(BUFFERS).build();

    public static final ObjectMapper MAPPER =
            new ObjectMapper(FACTORY)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .configure(SerializationFeature.INDENT_OUTPUT, false);

    private Json() {}
}
