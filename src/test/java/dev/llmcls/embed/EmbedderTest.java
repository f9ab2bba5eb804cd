package dev.llmcls.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The embedder's parallel path over the real default model. */
@Tag("slow")
class EmbedderTest {
    private static final List<String> TEXTS =
            List.of(
                    "Wall St. Bears Claw Back Into the Black (Reuters)",
                    "Fears for T N pension after talks with stricken parent firm Federal Mogul.",
                    "The Race is On: Second Private Team Sets Launch Date for Human Spaceflight",
                    "Ky. Company Wins Grant to Study Peptides (AP)",
                    "a",
                    "Oil prices soar to all-time record, posing new menace to US economy");

    @Test
    void embedAllOnSeveralThreadsGivesWhatEmbedGivesAndBatchesStayOffTheDiskCache()
            throws Exception {
        List<String> texts = TEXTS;
        var parallel = new Embedder(EmbeddingModels.DEFAULT, EmbeddingCache.inMemory(384), 1, 3);
        var single = new Embedder(EmbeddingModels.DEFAULT, EmbeddingCache.inMemory(384), 1, 1);
        var counts = new ArrayList<Long>();
        List<float[]> all = parallel.embedAll(texts, counts::add);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(single.embed(texts.get(i)), all.get(i), 0f);
        }
        assertEquals(texts.size(), counts.get(counts.size() - 1));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new Embedder(
                                EmbeddingModels.DEFAULT,
                                EmbeddingCache.open(Path.of("unused"), "m", 384),
                                8,
                                1));
    }
}
