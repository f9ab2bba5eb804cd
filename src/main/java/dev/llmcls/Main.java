package dev.llmcls;

import dev.llmcls.cli.Cli;

public final class Main {
    /**
     * The JDK's per-thread cache of temporary direct buffers for socket I/O on heap buffers ({@code
     * sun.nio.ch.Util}), limited by this property, which the JDK reads once, when its NIO classes
     * first load.
     */
    static final String NIO_BUFFER_CACHE = "jdk.nio.maxCachedBufferSize";

    /**
     * The size of the JDK HTTP client's read buffers, read once, when the client's classes first
     * load.
     */
    static final String HTTP_READ_BUFFER = "jdk.httpclient.bufsize";

    /**
     * Holds a whole typical answer (status line, headers and body) in one read; a longer one takes
     * several.
     */
    static final int HTTP_READ_BUFFER_BYTES = 4096;

    /** The common fork-join pool's parallelism, read once, when the pool's class first loads. */
    static final String COMMON_POOL_PARALLELISM =
            "java.util.concurrent.ForkJoinPool.common.parallelism";

    private Main() {}

    public static void main(String[] args) {
        configureRuntime();
        System.exit(Cli.commandLine(args).execute(args));
    }

    /**
     * Settings of the JDK that must be made before anything loads the classes that read them, so
     * here, first.
     *
     * <p>{@value #NIO_BUFFER_CACHE} = 0 (unless given on the command line): every thread that
     * writes to a socket from a heap buffer keeps a 1,024-slot array and a native copy of its
     * largest write, for the life of the thread. When {@code classify} wrote each request on its
     * own worker thread, one per request in flight (1,024 against vLLM), that made 1,024 arrays and
     * 1,024 native buffers, 11 MB that served nothing (BENCHMARKS.md, issue 13 item 3). Prompting
     * runs now send asynchronously from a few threads (issue 18 item 4), but {@code --scoring
     * likelihood} still holds a thread per example in flight, and the setting costs nothing where
     * threads are few, so it stays. With 0 each write takes a native buffer and frees it at once.
     *
     * <p>{@value #HTTP_READ_BUFFER} = {@value #HTTP_READ_BUFFER_BYTES} (unless given; the JDK's
     * default is 16 KB): each HTTP connection reads into a buffer of this size and keeps it until
     * it is full, whatever thread reads it, so every one of the 1,024 connections held 16 KB for an
     * answer of a few hundred bytes, long enough to be copied by every young collection and
     * promoted to the old generation (16 MB of the data in flight).
     */
    static void configureRuntime() {
        setIfAbsent(NIO_BUFFER_CACHE, "0");
        setIfAbsent(HTTP_READ_BUFFER, Integer.toString(HTTP_READ_BUFFER_BYTES));
        // JDK 17's HttpClient.sendAsync completes its future through CompletableFuture's default
        // executor, which is the common pool only when that pool's parallelism is above 1 (cores -
        // 1
        // by default) and otherwise a new thread per task: on two cores, one thread started per
        // answer (BENCHMARKS.md, issue 18 item 4).
        setIfAbsent(
                COMMON_POOL_PARALLELISM,
                Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
