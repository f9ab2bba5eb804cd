package dev.llmcls.llm;

/** Sends one prompt, as a single user message, and returns the server's answer. Safe to call from many threads. */
public interface ChatBackend {
    Completion complete(String prompt, ChatOptions options);
}
