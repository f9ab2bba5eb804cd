package dev.llmcls.llm.openai;

import java.util.List;
import java.util.Map;

/**
 * A 2xx answer as {@link Http11Transport} returns it: the status, the headers and the whole body as
 * text.
 */
public record HttpAnswer(int statusCode, Map<String, List<String>> headers, String body) {
    public HttpAnswer {
        headers = Map.copyOf(headers);
    }
}
