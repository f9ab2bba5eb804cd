package dev.llmcls.llm.openai;

/**
 * The HTTP methods llmcls sends: {@code GET} for a server's listings, {@code POST} for a chat
 * request.
 */
public enum HttpMethod {
    GET,
    POST
}
