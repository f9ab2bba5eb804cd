package dev.llmcls.prompt;

import static dev.llmcls.testing.TwoLabelPool.LABELS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.llmcls.data.Example;
import dev.llmcls.testing.TwoLabelPool;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemonstrationsTest {
    @Test
    void randomDrawsDistinctPoolTextsReproduciblyPerExample() throws InterruptedException {
        var demos = Demonstrations.random(TwoLabelPool.of(50), LABELS, 5, 42);
        var example = new Example("17", "a test text", 0);
        List<Example> first = demos.select(example);
        assertEquals(5, new HashSet<>(first).size());
        assertEquals(
                first,
                Demonstrations.random(TwoLabelPool.of(50), LABELS, 5, 42).select(example),
                "same seed, same draw");
        assertNotEquals(
                first,
                demos.select(new Example("18", "another", 0)),
                "each example gets its own draw");
    }

    @Test
    void theTextBeingClassifiedIsNeverItsOwnDemonstration() throws InterruptedException {
        var demos = Demonstrations.random(TwoLabelPool.of(3), LABELS, 3, 1);
        List<Example> chosen = demos.select(new Example("x", "pool text 1", 1));
        assertEquals(2, chosen.size());
        assertFalse(chosen.stream().anyMatch(e -> e.text().equals("pool text 1")));
    }
}
