package dev.llmcls.run.prompting;

import static dev.llmcls.testing.TwoLabelPool.LABELS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmcls.data.Example;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingCache;
import dev.llmcls.embed.EmbeddingModels;
import dev.llmcls.embed.LabelledPool;
import dev.llmcls.embed.Vectors;
import dev.llmcls.prompt.Demonstrations;
import dev.llmcls.testing.TwoLabelPool;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnnDemonstrationsTest {
    @Test
    void knnPutsTheMostSimilarDemonstrationLast() throws InterruptedException {
        int dims = EmbeddingModels.dimension(EmbeddingModels.DEFAULT);
        var cache = EmbeddingCache.inMemory(dims);
        var examples = TwoLabelPool.of(3);
        // Similarity to the query (1, 0): pool text 0 = 1, pool text 1 ≈ 0.93, pool text 2 = 0.
        var vectors = List.of(vector(dims, 1, 0), vector(dims, 0.5f, 0.2f), vector(dims, 0, 1));
        cache.putAll(List.of("query"), List.of(vector(dims, 1, 0)));
        var demos =
                KnnDemonstrations.of(
                        new LabelledPool(examples, vectors),
                        new Embedder(EmbeddingModels.DEFAULT, cache),
                        LABELS,
                        2);
        List<Example> chosen = demos.select(new Example("q", "query", 0));
        assertEquals(
                List.of("pool text 1", "pool text 0"), chosen.stream().map(Example::text).toList());
        assertEquals(
                "text: pool text 1\nlabel: B\n\ntext: pool text 0\nlabel: A\n\n",
                Demonstrations.render(chosen, LABELS));
    }

    /** A unit vector with the given first two components and zeros after. */
    private static float[] vector(int dims, float x, float y) {
        float[] v = new float[dims];
        v[0] = x;
        v[1] = y;
        return Vectors.normalised(v);
    }
}
