package dev.llmcls.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/serve-vllm.sh with a stand-in {@code vllm} first on the PATH that records the arguments
 * and the API key it was started with: local only by default, an API key required (and kept off the
 * command line) when it listens on another address, and llmcls reads the key from the same
 * variable.
 */
class ServeVllmScriptTest {
    @TempDir Path dir;

    private Path args;
    private Path key;

    @BeforeEach
    void fakeVllm() throws IOException {
        args = dir.resolve("args.txt");
        key = dir.resolve("key.txt");
        Path vllm = dir.resolve("bin").resolve("vllm");
        Files.createDirectories(vllm.getParent());
        Files.writeString(
                vllm,
                "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > '"
                        + args
                        + "'\n"
                        + "printf '%s' \"${VLLM_API_KEY-<unset>}\" > '"
                        + key
                        + "'\n");
        Files.setPosixFilePermissions(vllm, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exitCode, String err) {}

    private Result serve(Map<String, String> env) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("bash", "scripts/serve-vllm.sh").redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeAll(
                        List.of(
                                "HOST",
                                "PORT",
                                "MODEL",
                                "API_KEY_ENV",
                                "OPENAI_API_KEY",
                                "VLLM_API_KEY",
                                "EXTRA_ARGS"));
        environment.put("PATH", dir.resolve("bin") + ":" + environment.get("PATH"));
        environment.putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out);
    }

    private List<String> vllmArgs() throws IOException {
        return Files.readAllLines(args);
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        Result result = serve(Map.of());
        assertEquals(0, result.exitCode(), result.err());
        List<String> argv = vllmArgs();
        assertEquals("127.0.0.1", argv.get(argv.indexOf("--host") + 1), argv.toString());
        assertEquals("<unset>", Files.readString(key), "no key needed on loopback");
        assertTrue(
                argv.contains("--trust-remote-code"),
                "the seed's model needs its own code: " + argv);
    }

    @Test
    void anotherAddressWithoutAKeyIsRefusedBeforeVllmStarts() throws Exception {
        Result result = serve(Map.of("HOST", "0.0.0.0"));
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("OPENAI_API_KEY"), result.err());
        assertFalse(Files.exists(args), "vLLM was not started");
    }

    @Test
    void anotherAddressWithAKeyPassesItToVllmOffTheCommandLine() throws Exception {
        Result result = serve(Map.of("HOST", "0.0.0.0", "OPENAI_API_KEY", "sk-serve-1234"));
        assertEquals(0, result.exitCode(), result.err());
        List<String> argv = vllmArgs();
        assertEquals("0.0.0.0", argv.get(argv.indexOf("--host") + 1));
        assertEquals("sk-serve-1234", Files.readString(key), "VLLM_API_KEY is vLLM's --api-key");
        assertFalse(
                String.join(" ", argv).contains("sk-serve-1234"),
                "the key is not in the process list: " + argv);
        assertFalse(result.err().contains("sk-serve-1234"), result.err());
    }

    @Test
    void theKeyVariableCanBeRenamedAndTheHfModelRunsNoRemoteCode() throws Exception {
        Result result =
                serve(
                        Map.of(
                                "HOST",
                                "10.0.0.5",
                                "API_KEY_ENV",
                                "MY_KEY",
                                "MY_KEY",
                                "k-42",
                                "MODEL",
                                "zai-org/glm-4-9b-chat-hf"));
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("k-42", Files.readString(key));
        List<String> argv = vllmArgs();
        assertEquals("zai-org/glm-4-9b-chat-hf", argv.get(1));
        assertFalse(argv.contains("--trust-remote-code"), argv.toString());
        assertEquals("glm-4-9b-chat", argv.get(argv.indexOf("--served-model-name") + 1));
    }

    @Test
    void llmclsSendsTheKeyFromTheSameVariable() throws Exception {
        try (var server = FakeOpenAiServer.start(request -> "label: World")) {
            server.recordRequests(true);
            Path data = Files.writeString(dir.resolve("d.csv"), "text,label\nhello,World\n");
            var command =
                    ChildLlmcls.command(
                            "classify",
                            "--data",
                            data.toString(),
                            "--base-url",
                            server.baseUrl(),
                            "--output",
                            dir.resolve("o.jsonl").toString(),
                            "--quiet");
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("OPENAI_API_KEY", "sk-serve-1234");
            Process process = builder.start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), out);
            assertEquals("Bearer sk-serve-1234", server.received().get(0).header("Authorization"));
        }
    }
}
