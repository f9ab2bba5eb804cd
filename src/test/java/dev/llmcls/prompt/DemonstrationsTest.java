package dev.llmcls.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemonstrationsTest {
    private static final LabelSet LABELS = LabelSet.parse("A,B");

    private static List<Example> pool(int size) {
        var pool = new ArrayList<Example>();
        for (int i = 0; i < size; i++) {
            pool.add(new Example("p" + i, "pool text " + i, i % 2));
        }
        return pool;
    }

    @Test
    void randomDrawsDistinctPoolTextsReproduciblyPerExample() throws InterruptedException {
        var demos = Demonstrations.random(pool(50), LABELS, 5, 42);
        var example = new Example("17", "a test text", 0);
        List<Example> first = demos.select(example);
        assertEquals(5, new HashSet<>(first).size());
        assertEquals(first, Demonstrations.random(pool(50), LABELS, 5, 42).select(example), "same seed, same draw");
        assertNotEquals(first, demos.select(new Example("18", "another", 0)), "each example gets its own draw");
    }

    @Test
    void theTextBeingClassifiedIsNeverItsOwnDemonstration() throws InterruptedException {
        var demos = Demonstrations.random(pool(3), LABELS, 3, 1);
        List<Example> chosen = demos.select(new Example("x", "pool text 1", 1));
        assertEquals(2, chosen.size());
        assertFalse(chosen.stream().anyMatch(e -> e.text().equals("pool text 1")));
    }
}
