package dev.llmcls;

import dev.llmcls.cli.Cli;

public final class Main {
    /**
     * The JDK's per-thread cache of temporary direct buffers for socket I/O on heap buffers ({@code sun.nio.ch.Util}),
     * limited by this property, which the JDK reads once, when its NIO classes first load.
     */
    static final String NIO_BUFFER_CACHE = "jdk.nio.maxCachedBufferSize";

    private Main() {
    }

    public static void main(String[] args) {
        configureRuntime();
        System.exit(Cli.commandLine().execute(args));
    }

    /**
     * Settings of the JDK that must be made before anything loads the classes that read them, so here, first.
     *
     * <p>{@value #NIO_BUFFER_CACHE} = 0 (unless given on the command line): every thread that writes to a socket
     * from a heap buffer keeps a 1,024-slot array and a native copy of its largest write, for the life of the thread.
     * {@code classify} writes each request on its own worker thread, one per request in flight (1,024 against vLLM),
     * which made 1,024 arrays and 1,024 native buffers, 11 MB that served nothing (BENCHMARKS.md, issue 13 item 3).
     * With 0 each write takes a native buffer and frees it at once.
     */
    static void configureRuntime() {
        if (System.getProperty(NIO_BUFFER_CACHE) == null) {
            System.setProperty(NIO_BUFFER_CACHE, "0");
        }
    }
}
