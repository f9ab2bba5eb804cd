package dev.llmcls.llm.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoConcurrencyTest {
    private static AutoConcurrency.Choice pick(List<String> owners, Integer slots) {
        return AutoConcurrency.pick(new AutoConcurrency.Facts(owners, slots));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "vLLM", "sglang", "SGLang"})
    void aContinuousBatchingServerNamingItselfGetsVllmsLargestDefaultBatch(String owner) {
        AutoConcurrency.Choice choice = pick(List.of(owner), null);
        assertEquals(1024, choice.perServer());
        assertEquals(1024, choice.ceiling());
        assertFalse(choice.learn());
    }

    @Test
    void otherOrUnknownServersAreLearntFromASmallStart() {
        for (List<String> owners :
                List.of(
                        List.of("library"),
                        List.of("vllm", "sglang", "library"),
                        List.of("openai", "system"),
                        List.of("vllm", "someone-else"),
                        List.<String>of(),
                        List.of("llamacpp"))) {
            AutoConcurrency.Choice choice = pick(owners, null);
            assertEquals(AutoConcurrency.LEARN_FROM, choice.perServer(), owners.toString());
            assertEquals(AdaptiveLimit.CEILING, choice.ceiling(), owners.toString());
            assertTrue(choice.learn(), owners.toString());
        }
    }

    @Test
    void aReportedSlotCountWinsOverTheKindOfServerAndIsAHardCap() {
        assertEquals(
                new AutoConcurrency.Choice(2, 2, false, pick(List.of("llamacpp"), 2).reason()),
                pick(List.of("llamacpp"), 2));
        assertEquals(8, pick(List.of("vllm"), 8).perServer());
        assertEquals(8, pick(List.of("vllm"), 8).ceiling());
    }
}
