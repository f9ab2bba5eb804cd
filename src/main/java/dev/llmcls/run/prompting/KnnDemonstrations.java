package dev.llmcls.run.prompting;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.LabelledPool;
import dev.llmcls.prompt.Demonstrations;
import java.util.ArrayList;
import java.util.Collections;

/**
 * kNN demonstrations (the CARP paper's demonstration search): the {@code shots} pool texts most
 * similar to the text by embedding, the most similar last, nearest to the text being classified.
 * Built here because {@code prompt} knows no embedding models and {@code embed} no prompts.
 */
public final class KnnDemonstrations {
    private KnnDemonstrations() {}

    public static Demonstrations of(
            LabelledPool pool, Embedder embedder, LabelSet labels, int shots) {
        return Demonstrations.of(
                labels,
                example -> {
                    var nearest =
                            new ArrayList<Example>(
                                    pool.nearestExamples(
                                            embedder.embed(example.text()), example.text(), shots));
                    Collections.reverse(nearest);
                    return nearest;
                });
    }
}
