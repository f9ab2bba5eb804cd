package dev.llmcls.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;

/** Hands langchain4j an {@link Http11Transport}; the timeouts it is given override the server's defaults. */
final class Http11TransportBuilder implements HttpClientBuilder {
    private Duration connectTimeout;
    private Duration readTimeout;

    Http11TransportBuilder(ServerConfig server) {
        this.connectTimeout = server.connectTimeout();
        this.readTimeout = server.readTimeout();
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        if (timeout != null) {
            this.connectTimeout = timeout;
        }
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        if (timeout != null) {
            this.readTimeout = timeout;
        }
        return this;
    }

    @Override
    public HttpClient build() {
        return new Http11Transport(connectTimeout, readTimeout);
    }
}
