package dev.llmcls.run;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a clean stop of a run instead of an abrupt exit, and remembers which arrived so the
 * process can exit with the conventional 130 or 143. A second signal of either kind ends the process at once.
 */
public final class StopSignals {
    private final AtomicInteger exitCode = new AtomicInteger();

    public static StopSignals install(ExampleRunner runner) {
        var signals = new StopSignals();
        signals.handle("INT", 130, runner);
        signals.handle("TERM", 143, runner);
        return signals;
    }

    private void handle(String name, int code, ExampleRunner runner) {
        try {
            Signal.handle(new Signal(name), signal -> {
                if (!exitCode.compareAndSet(0, code)) {
                    Runtime.getRuntime().halt(code);
                }
                runner.requestStop("SIG" + name + " received");
            });
        } catch (IllegalArgumentException e) {
            // The signal is not available on this platform (or the JVM reserves it); the default handling stays.
        }
    }

    /** 130 or 143 once a signal has stopped the run, otherwise 0. */
    public int exitCode() {
        return exitCode.get();
    }
}
