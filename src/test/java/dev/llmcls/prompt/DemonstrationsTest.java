package dev.llmcls.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingCache;
import dev.llmcls.embed.EmbeddingModels;
import dev.llmcls.embed.LabelledPool;
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

    @Test
    void knnPutsTheMostSimilarDemonstrationLast() throws InterruptedException {
        int dims = EmbeddingModels.dimension(EmbeddingModels.DEFAULT);
        var cache = EmbeddingCache.inMemory(dims);
        var examples = pool(3);
        var vectors = List.of(axis(dims, 0, 1f), axis(dims, 0, 0.5f), axis(dims, 1, 1f));
        for (int i = 0; i < 3; i++) {
            vectors.get(i)[1] += i == 2 ? 0 : 0.2f * i;
        }
        float[] query = axis(dims, 0, 1f);
        cache.putAll(List.of("query"), List.of(query));
        var demos = Demonstrations.nearest(new LabelledPool(examples, normalise(vectors)),
                new Embedder(EmbeddingModels.DEFAULT, cache), LABELS, 2);
        List<Example> chosen = demos.select(new Example("q", "query", 0));
        assertEquals(List.of("pool text 1", "pool text 0"), chosen.stream().map(Example::text).toList());
        assertEquals("text: pool text 1\nlabel: B\n\ntext: pool text 0\nlabel: A\n\n",
                Demonstrations.render(chosen, LABELS));
    }

    private static float[] axis(int dims, int index, float value) {
        float[] v = new float[dims];
        v[index] = value;
        return v;
    }

    private static List<float[]> normalise(List<float[]> vectors) {
        return vectors.stream().map(dev.llmcls.embed.Vectors::normalised).toList();
    }
}
