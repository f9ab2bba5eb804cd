package dev.llmcls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Main#configureRuntime} turns off the JDK's per-thread cache of native socket buffers before anything reads
 * the setting: with one worker thread per request in flight, that cache held 1,024 arrays and native buffers
 * (BENCHMARKS.md, issue 13 item 3).
 */
class MainTest {
    /** Started as a fresh JVM: what the JDK's NIO buffer cache limit is once llmcls's main has begun. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Main.configureRuntime();
            // What classify does next: open a socket channel, which loads the JDK's NIO classes.
            try (var channel = java.nio.channels.SocketChannel.open()) {
                Class<?> util = Class.forName("sun.nio.ch.Util");
                Field limit = util.getDeclaredField("MAX_CACHED_BUFFER_SIZE");
                limit.setAccessible(true);
                System.out.println(limit.get(null));
            }
        }
    }

    @Test
    void theNioBufferCacheIsOffInARunningLlmcls() throws Exception {
        assertEquals("0", probe());
    }

    @Test
    void aLimitGivenOnTheCommandLineIsKept() throws Exception {
        assertEquals("65536", probe("-D" + Main.NIO_BUFFER_CACHE + "=65536"));
    }

    private static String probe(String... options) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("probe failed: " + out);
        }
        return out;
    }
}
