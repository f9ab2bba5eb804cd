package dev.llmcls.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplingBackendTest {
    private static final ChatOptions FIVE =
            new ChatOptions("m", new Sampling(0.7, 10, null, List.of()), 5, Map.of());

    @Test
    void oneRequestWhenTheServerHonoursN() {
        var asked = new ArrayList<Integer>();
        ChatBackend server =
                (prompt, options) -> {
                    asked.add(options.n());
                    var choices = new ArrayList<Completion.Choice>();
                    for (int i = 0; i < options.n(); i++) {
                        choices.add(new Completion.Choice("answer " + i, "stop"));
                    }
                    return new Completion(choices, 10, 5 * options.n());
                };
        Completion answer = new SamplingBackend(server).complete("p", FIVE);
        assertEquals(List.of(5), asked);
        assertEquals(5, answer.choices().size());
        assertEquals(25, answer.completionTokens());
    }

    @Test
    void asksAgainForTheRestWhenTheServerIgnoresN() {
        var asked = new ArrayList<Integer>();
        ChatBackend server =
                (prompt, options) -> {
                    asked.add(options.n());
                    return Completion.single("answer " + asked.size(), "stop", 10, 3);
                };
        Completion answer = new SamplingBackend(server).complete("p", FIVE);
        assertEquals(List.of(5, 4, 3, 2, 1), asked);
        assertEquals(
                List.of("answer 1", "answer 2", "answer 3", "answer 4", "answer 5"),
                answer.choices().stream().map(Completion.Choice::text).toList());
        assertEquals(50, answer.promptTokens());
        assertEquals(15, answer.completionTokens());
    }
}
