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

    @Test
    void aReportedSlotCountWinsOverTheKindOfServer() {
        assertEquals(2, AutoConcurrency.pick(new AutoConcurrency.Facts(List.of("llamacpp"), 2)).perServer());
        assertEquals(8, AutoConcurrency.pick(new AutoConcurrency.Facts(List.of("vllm"), 8)).perServer());
        assertEquals(64, AutoConcurrency.pick(new AutoConcurrency.Facts(List.of("llamacpp"), null)).perServer());
    }
}
