package dev.llmcls.run;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a clean stop of a run instead of an abrupt exit, and remembers
 * which arrived so the process can exit with the conventional 130 or 143. A second signal of either
 * kind ends the process at once.
 */
public final class StopSignals {
    private final AtomicInteger exitCode = new AtomicInteger();

    public static StopSignals install(ExampleRunner runner) {
        return install(runner::requestStop);
    }

    /**
     * As {@link #install(ExampleRunner)}, for whatever {@code stop} stops (a study: all its cells).
     */
    public static StopSignals install(java.util.function.Consumer<String> stop) {
        var signals = new StopSignals();
        signals.handle("INT", 130, stop);
        signals.handle("TERM", 143, stop);
        return signals;
    }

    private void handle(String name, int code, java.util.function.Consumer<String> stop) {
        try {
            Signal.handle(
                    new Signal(name),
                    signal -> {
                        if (!exitCode.compareAndSet(0, code)) {
                            Runtime.getRuntime().halt(code);
                        }
                        stop.accept("SIG" + name + " received");
                    });
        } catch (IllegalArgumentException e) {
            // The signal is not available on this platform (or the JVM reserves it); the default
            // handling stays.
        }
    }

    /** 130 or 143 once a signal has stopped the run, otherwise 0. */
    public int exitCode() {
        return exitCode.get();
    }
}
