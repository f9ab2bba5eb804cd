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
 * {@link Main#configureRuntime} turns off the JDK's per-thread cache of native socket buffers and
 * shrinks the HTTP client's read buffers before anything reads those settings: with one worker
 * thread and one connection per request in flight, they held 1,024 arrays, 1,024 native buffers and
 * 1,024 mostly empty 16 KB buffers (BENCHMARKS.md, issue 13 item 3).
 */
class MainTest {
    /**
     * Started as a fresh JVM: what the JDK's NIO buffer cache limit is once llmcls's main has
     * begun.
     */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Main.configureRuntime();
            // What classify does next: build an HTTP client, which loads the JDK's NIO and HTTP
            // classes.
            java.net.http.HttpClient.newBuilder().build();
            System.out.println(
                    staticField("sun.nio.ch.Util", "MAX_CACHED_BUFFER_SIZE")
                            + " "
                            + staticField("jdk.internal.net.http.common.Utils", "BUFSIZE"));
        }

        private static Object staticField(String className, String name)
                throws ReflectiveOperationException {
            Field field = Class.forName(className).getDeclaredField(name);
            field.setAccessible(true);
            return field.get(null);
        }
    }

    @Test
    void theNioBufferCacheIsOffAndHttpReadBuffersAreSmallInARunningLlmcls() throws Exception {
        assertEquals("0 " + Main.HTTP_READ_BUFFER_BYTES, probe());
    }

    @Test
    void valuesGivenOnTheCommandLineAreKept() throws Exception {
        assertEquals(
                "65536 8192",
                probe(
                        "-D" + Main.NIO_BUFFER_CACHE + "=65536",
                        "-D" + Main.HTTP_READ_BUFFER + "=8192"));
    }

    private static String probe(String... options) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command =
                new java.util.ArrayList<>(
                        List.of(
                                java,
                                "--add-opens",
                                "java.base/sun.nio.ch=ALL-UNNAMED",
                                "--add-opens",
                                "java.net.http/jdk.internal.net.http.common=ALL-UNNAMED"));
        command.addAll(List.of(options));
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out =
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("probe failed: " + out);
        }
        return out;
    }
}
