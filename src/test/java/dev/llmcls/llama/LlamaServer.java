package dev.llmcls.llama;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real llama.cpp {@code llama-server} child process on 127.0.0.1, built by {@code
 * scripts/ci/llama-server.sh} (whose cache directory {@code LLMCLS_LLAMA_SERVER_DIR} names),
 * serving a tiny GGUF that {@code tiny_gguf.py} writes with llama.cpp's own gguf-py. It can be
 * killed and started again on the same port.
 */
final class LlamaServer implements AutoCloseable {
    static final String DIR_VARIABLE = "LLMCLS_LLAMA_SERVER_DIR";

    private final Path binary;
    private final List<String> args;
    private final Path log;
    private final int port;
    private Process process;

    private LlamaServer(Path binary, List<String> args, Path log, int port) {
        this.binary = binary;
        this.args = List.copyOf(args);
        this.log = log;
        this.port = port;
    }

    /** The build's directory, or null when this machine has none (the test is then skipped). */
    static Path buildDir() {
        String dir = System.getenv(DIR_VARIABLE);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** Writes the tiny model (once per file name) with the build's gguf-py. */
    static Path model(Path dir, boolean reasoning) throws IOException, InterruptedException {
        Path model = dir.resolve(reasoning ? "tiny-reasoning.gguf" : "tiny.gguf");
        if (Files.exists(model)) {
            return model;
        }
        var command =
                new ArrayList<>(
                        List.of(
                                "python3",
                                "src/test/scripts/tiny_gguf.py",
                                model.toString(),
                                "--gguf-py",
                                buildDir().resolve("gguf-py").toString()));
        if (reasoning) {
            command.add("--reasoning");
        }
        Process python =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("tiny_gguf.log").toFile())
                        .start();
        if (!python.waitFor(120, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new IOException(
                    "tiny_gguf.py failed: " + Files.readString(dir.resolve("tiny_gguf.log")));
        }
        return model;
    }

    /**
     * Starts llama-server with {@code model} and the extra arguments, and waits until it is ready.
     */
    static LlamaServer start(Path model, Path logDir, String... extra)
            throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var args =
                new ArrayList<>(
                        List.of(
                                "-m",
                                model.toString(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                Integer.toString(port),
                                "-t",
                                "2",
                                "--no-webui",
                                "--no-warmup"));
        args.addAll(List.of(extra));
        var server =
                new LlamaServer(
                        buildDir().resolve("bin/llama-server"),
                        args,
                        logDir.resolve("llama-server-" + port + ".log"),
                        port);
        server.start();
        return server;
    }

    void start() throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(binary.toString());
        command.addAll(args);
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "llama-server exited with "
                                + process.exitValue()
                                + ":\n"
                                + Files.readString(log));
            }
            if (healthy()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException(
                "llama-server did not become ready in 120 s:\n" + Files.readString(log));
    }

    private boolean healthy() {
        try {
            var connection =
                    (HttpURLConnection)
                            URI.create("http://127.0.0.1:" + port + "/health")
                                    .toURL()
                                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL, as a crash or an OOM kill would end it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
