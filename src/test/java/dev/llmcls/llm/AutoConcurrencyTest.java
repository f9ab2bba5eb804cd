package dev.llmcls.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AutoConcurrencyTest {
    @Test
    void vllmGetsItsLargestDefaultBatch() {
        assertEquals(1024, AutoConcurrency.forServer(List.of("vllm")));
        assertEquals(1024, AutoConcurrency.forServer(List.of("vLLM")));
    }

    @Test
    void otherOrUnknownServersGetTheConservativeDefault() {
        assertEquals(64, AutoConcurrency.forServer(List.of("library")));      // Ollama
        assertEquals(64, AutoConcurrency.forServer(List.of("openai", "system")));
        assertEquals(64, AutoConcurrency.forServer(List.of("vllm", "someone-else")));
        assertEquals(64, AutoConcurrency.forServer(List.of()));
    }
}
