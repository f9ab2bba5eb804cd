package dev.llmcls.cli;

import dev.llmcls.core.InputException;
import dev.llmcls.core.TextFiles;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.llm.concurrency.AdaptiveLimit;
import dev.llmcls.llm.concurrency.AutoConcurrency;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The "Server" section of {@code classify}: where requests go, with which key, how many at once and
 * how long each may take. Batch files are answered by an offline engine, so {@code batch export}
 * and {@code batch import} do not take it.
 */
public final class ServerOptions {
    /**
     * {@code --base-url}'s default: the environment's {@value #BASE_URL_VARIABLE}, else the local
     * vLLM port.
     */
    static final String BASE_URL_VARIABLE = "LLMCLS_BASE_URL";

    @Option(
            names = "--base-url",
            paramLabel = "URL",
            defaultValue =
                    "${env:" + BASE_URL_VARIABLE + ":-" + ServerConfig.DEFAULT_BASE_URL + "}",
            description =
                    "OpenAI-compatible API base URL; repeat it for replicas of one model (default:"
                            + " $"
                            + BASE_URL_VARIABLE
                            + ", else "
                            + ServerConfig.DEFAULT_BASE_URL
                            + ").")
    List<String> baseUrls;

    @Option(
            names = "--api-key-env",
            paramLabel = "VAR",
            defaultValue = "OPENAI_API_KEY",
            description =
                    "Environment variable holding the API key (default: ${DEFAULT-VALUE}; no key if"
                            + " unset).")
    String apiKeyEnv;

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "File holding the API key (overrides --api-key-env).")
    Path apiKeyFile;

    @Option(
            names = "--concurrency",
            defaultValue = "auto",
            converter = ConcurrencyConverter.class,
            paramLabel = "N|auto",
            description =
                    "Requests in flight at once per server (--base-url), never more; N servers have"
                        + " N times as many. auto (the default) keeps a batching server full: the"
                        + " slot count a server reports (llama-server's /props total_slots), "
                            + AutoConcurrency.VLLM
                            + " for vLLM and SGLang (vLLM's largest default batch; the rest wait in"
                            + " its queue); "
                            + "for other servers it learns while running, from "
                            + AutoConcurrency.LEARN_FROM
                            + ", doubling while throughput grows, up to "
                            + AdaptiveLimit.CEILING
                            + ". auto halves on "
                            + "HTTP 429/503. A number N stays fixed. Default: ${DEFAULT-VALUE}.")
    Integer concurrency;

    @Option(
            names = "--timeout",
            defaultValue = "10m",
            converter = DurationConverter.Positive.class,
            paramLabel = "DURATION",
            description =
                    "Read timeout of one request; long enough for a request queued in vLLM."
                            + " Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(
            names = "--connect-timeout",
            defaultValue = "10s",
            converter = DurationConverter.Positive.class,
            paramLabel = "DURATION",
            description = "Connect timeout. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    /** One server per {@code --base-url}, all with the same key and timeouts. */
    List<ServerConfig> servers() {
        // picocli turns LLMCLS_BASE_URL set to nothing into no value at all: the default then, as
        // for an unset one.
        List<String> urls =
                baseUrls == null || baseUrls.isEmpty()
                        ? List.of(ServerConfig.DEFAULT_BASE_URL)
                        : baseUrls;
        String apiKey = apiKey();
        String keySource =
                apiKeyFile != null ? "file " + apiKeyFile : "environment variable " + apiKeyEnv;
        List<ServerConfig> servers = new ArrayList<>();
        for (String url : urls) {
            servers.add(new ServerConfig(url, apiKey, connectTimeout, timeout, keySource));
        }
        return servers;
    }

    private String apiKey() {
        if (apiKeyFile != null) {
            try {
                return TextFiles.readString(apiKeyFile).strip();
            } catch (IOException e) {
                throw new InputException(
                        "cannot read API key file " + apiKeyFile + ": " + e.getMessage(), e);
            }
        }
        return System.getenv(apiKeyEnv);
    }
}
