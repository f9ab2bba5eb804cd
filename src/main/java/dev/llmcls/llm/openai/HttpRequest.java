package dev.llmcls.llm.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request for {@link Http11Transport}: method, URL, headers in the order added, and a body
 * (null for none). A value, so a request can be built once and sent again.
 */
public record HttpRequest(
        HttpMethod method, String url, Map<String, List<String>> headers, String body) {
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        var copy = new LinkedHashMap<String, List<String>>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a request a step at a time; {@link #addHeader} may repeat a name. */
    public static final class Builder {
        private HttpMethod method;
        private String url;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private String body;

        private Builder() {}

        public Builder method(HttpMethod method) {
            this.method = method;
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder addHeader(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder body(String body) {
            this.body = body;
            return this;
        }

        public HttpRequest build() {
            return new HttpRequest(method, url, headers, body);
        }
    }
}
