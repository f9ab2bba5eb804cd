package dev.llmcls.llm.openai;

import dev.llmcls.llm.Async;
import dev.llmcls.llm.RetryAfter;
import dev.llmcls.llm.ServerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The HTTP transport under the OpenAI client, pinned to HTTP/1.1. The JDK client's default is to
 * offer an h2c upgrade on plain-text connections, and vLLM's uvicorn then drops the request body
 * and answers 400 "Field required" (langchain4j #3682, uvicorn #2722). An error answer becomes a
 * {@link ServerException} with its status and {@code Retry-After}.
 */
public final class Http11Transport {
    private final java.net.http.HttpClient client;
    private final Duration readTimeout;
    private final boolean tls;

    /** A transport for any URL, {@code https} included. */
    public Http11Transport(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, true);
    }

    /**
     * A transport for the URLs under {@code baseUrl}: one that speaks plain text only where it is
     * an {@code http} URL (a local vLLM, llama-server or Ollama), so that the start of a run does
     * not build the JDK's default TLS context, which reads and parses every certificate of the
     * JDK's trust store (about a tenth of a second of CPU; BENCHMARKS.md, issue 22).
     */
    public static Http11Transport forBaseUrl(
            String baseUrl, Duration connectTimeout, Duration readTimeout) {
        return new Http11Transport(connectTimeout, readTimeout, !isPlainText(baseUrl));
    }

    private Http11Transport(Duration connectTimeout, Duration readTimeout, boolean tls) {
        // The client's follow-up steps (parse the status line, gather the body, complete the future
        // the caller waits on) run on the thread that has the data, not on a pool: a pool hop per
        // step costs context switches, and BENCHMARKS.md measured a third less CPU per example
        // without it. Nothing in those steps blocks: every body is read whole into a String.
        var builder =
                java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .connectTimeout(connectTimeout)
                        .executor(Runnable::run);
        if (!tls) {
            // A context with no keys and no trust: never used, as every URL is http (requirePlain)
            builder.sslContext(untrustingContext()).sslParameters(new SSLParameters());
        }
        this.client = builder.build();
        this.readTimeout = readTimeout;
        this.tls = tls;
    }

    private static boolean isPlainText(String url) {
        return url.regionMatches(true, 0, "http:", 0, 5);
    }

    private static SSLContext untrustingContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has TLS", e);
        }
    }

    /** A plain-text transport sends nothing over TLS: it has no trust to check a server with. */
    private void requirePlain(URI uri) {
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "a plain-text (http) transport cannot send to " + uri);
        }
    }

    /** Sends {@code request} and waits for the whole answer, at most the read timeout. */
    public HttpAnswer execute(HttpRequest request) {
        return execute(request, readTimeout);
    }

    /**
     * As {@link #execute(HttpRequest)}, with a timeout of its own (e.g. for a quick look at a
     * server's listing).
     */
    public HttpAnswer execute(HttpRequest request, Duration timeout) {
        HttpResponse<String> response = send(request, timeout);
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new ServerException(
                    status, "HTTP " + status + ": " + response.body(), retryAfter(response));
        }
        return new HttpAnswer(status, response.headers().map(), response.body());
    }

    /**
     * Posts {@code body} to {@code uri} and returns the answer's body; fails as {@link
     * #execute(HttpRequest)} does ({@link ServerException} for an error answer, an {@link
     * UncheckedIOException} naming a refused connection or a timeout). {@code headers} are name,
     * value pairs, made once by the caller: the request path builds no header map, copies no
     * response headers and parses no URL per request.
     */
    public String post(URI uri, String[] headers, byte[] body) {
        return Async.await(postAsync(uri, headers, body));
    }

    /**
     * As {@link #post}, without a thread waiting for the answer ({@code HttpClient.sendAsync}): the
     * future completes on the client's own thread, with the body or with exactly the failure {@link
     * #post} throws (the JDK's synchronous {@code send} rewraps the asynchronous failure; this does
     * the same, so that the messages and kinds of failures stay what they were). Cancelling the
     * future aborts the exchange.
     */
    public CompletableFuture<String> postAsync(URI uri, String[] headers, byte[] body) {
        requirePlain(uri);
        var request =
                java.net.http.HttpRequest.newBuilder(uri)
                        .timeout(readTimeout)
                        .headers(headers)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        CompletableFuture<HttpResponse<String>> sent =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        return Async.compose(
                sent,
                (response, failure) -> {
                    if (failure != null) {
                        return CompletableFuture.failedFuture(
                                failure instanceof IOException io
                                        ? unchecked(asSendThrows(io), uri)
                                        : failure);
                    }
                    int status = response.statusCode();
                    if (status < 200 || status >= 300) {
                        return CompletableFuture.failedFuture(
                                new ServerException(
                                        status,
                                        "HTTP " + status + ": " + response.body(),
                                        retryAfter(response)));
                    }
                    return CompletableFuture.completedFuture(response.body());
                },
                Runnable::run); // a few field reads: done where the answer arrived
    }

    /**
     * The exception the JDK's {@code HttpClient.send} throws for a failure that {@code sendAsync}
     * reports as is.
     */
    private static IOException asSendThrows(IOException raw) {
        String message = raw.getMessage();
        if (raw instanceof java.net.http.HttpConnectTimeoutException) {
            var e = new java.net.http.HttpConnectTimeoutException(message);
            e.initCause(raw);
            return e;
        }
        if (raw instanceof java.net.http.HttpTimeoutException) {
            return new java.net.http.HttpTimeoutException(message);
        }
        if (raw instanceof java.net.ConnectException) {
            var e = new java.net.ConnectException(message);
            e.initCause(raw);
            return e;
        }
        if (raw instanceof javax.net.ssl.SSLHandshakeException) {
            var e = new javax.net.ssl.SSLHandshakeException(message);
            e.initCause(raw);
            return e;
        }
        if (raw instanceof javax.net.ssl.SSLException) {
            return new javax.net.ssl.SSLException(message, raw);
        }
        return new IOException(message, raw);
    }

    private HttpResponse<String> send(HttpRequest request, Duration timeout) {
        URI uri = URI.create(request.url());
        requirePlain(uri);
        var builder = java.net.http.HttpRequest.newBuilder(uri).timeout(timeout);
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        var body =
                request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body());
        builder.method(request.method().name(), body);
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new InterruptedIOException("interrupted while waiting for " + request.url()));
        } catch (IOException e) {
            throw unchecked(e, URI.create(request.url()));
        }
    }

    /**
     * A failed exchange as the callers expect it: refused connections say where, timeouts stay
     * timeouts.
     */
    private static UncheckedIOException unchecked(IOException failure, URI uri) {
        if (failure instanceof java.net.ConnectException e
                && !(e.getCause() instanceof java.net.http.HttpTimeoutException)) {
            // The JDK's message is empty; say where the connection was refused.
            int port =
                    uri.getPort() != -1
                            ? uri.getPort()
                            : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            var named =
                    new java.net.ConnectException(
                            "connection refused by " + uri.getHost() + ":" + port);
            named.initCause(e);
            return new UncheckedIOException(named);
        }
        return new UncheckedIOException(failure); // e.g. "HTTP connect timed out": not refused
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(
                response.headers().firstValue("Retry-After").orElse(null), java.time.Instant.now());
    }
}
