package dev.llmcls.llm;

import java.time.Duration;
import java.util.Objects;

/** How to reach one OpenAI-compatible server. The API key is held here only, never printed. */
public final class ServerConfig {
    public static final String DEFAULT_BASE_URL = "http://localhost:8000/v1";

    private final String baseUrl;
    private final String apiKey;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String keySource;

    public ServerConfig(
            String baseUrl, String apiKey, Duration connectTimeout, Duration readTimeout) {
        this(baseUrl, apiKey, connectTimeout, readTimeout, null);
    }

    /**
     * @param keySource where the key came from, or where it would have come from when there is none
     *     (e.g. "environment variable OPENAI_API_KEY", "file key.txt"), for messages; never the key
     *     itself
     */
    public ServerConfig(
            String baseUrl,
            String apiKey,
            Duration connectTimeout,
            Duration readTimeout,
            String keySource) {
        this.keySource = keySource;
        this.baseUrl = stripTrailingSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String apiKey() {
        return apiKey;
    }

    /** Where the API key came from (or was looked for), for messages; null when not known. */
    public String keySource() {
        return keySource;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public String toString() {
        return "ServerConfig[" + baseUrl + ", api key " + (apiKey == null ? "none" : "set") + "]";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
