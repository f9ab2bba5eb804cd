package dev.llmcls.prompt;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Few-shot demonstrations for the {@code {examples}} placeholder: for each test text, {@code shots}
 * labelled texts from a training pool, rendered as {@code text: ...} / {@code label: ...} pairs
 * (with a {@code name: ...} line for each other field the prompt uses, e.g. {@code hypothesis:},
 * between them), each followed by a blank line. {@code random} draws them per example from a seed
 * and the example's id (so a resumed run renders the same prompt); {@code knn} takes the most
 * similar pool texts by embedding (the paper's kNN demonstration search), most similar last,
 * nearest to the text being classified. A pool text identical to the test text is never shown.
 */
public final class Demonstrations {
    /** How demonstrations are chosen. */
    public enum Selection {
        RANDOM,
        KNN;

        /** The name users write and manifests record: {@code random}, {@code knn}. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Chooses the demonstrations for one test example, in the order they are shown. */
    public interface Selector {
        List<Example> select(Example example) throws InterruptedException;
    }

    private final LabelSet labels;
    private final Selector selector;

    private Demonstrations(LabelSet labels, Selector selector) {
        this.labels = labels;
        this.selector = selector;
    }

    public static Demonstrations random(List<Example> pool, LabelSet labels, int shots, long seed) {
        List<Example> candidates = List.copyOf(pool);
        return new Demonstrations(
                labels,
                example -> {
                    var random =
                            new SplittableRandom(
                                    seed ^ (example.id().hashCode() * 0x9E3779B97F4A7C15L));
                    int[] order = new int[candidates.size()];
                    for (int i = 0; i < order.length; i++) {
                        order[i] = i;
                    }
                    var chosen = new ArrayList<Example>(shots);
                    for (int i = 0; i < order.length && chosen.size() < shots; i++) {
                        int j = i + random.nextInt(order.length - i);
                        int swap = order[i];
                        order[i] = order[j];
                        order[j] = swap;
                        Example candidate = candidates.get(order[i]);
                        if (!candidate.text().equals(example.text())) {
                            chosen.add(candidate);
                        }
                    }
                    return chosen;
                });
    }

    /**
     * Demonstrations chosen by {@code selector}, e.g. the most similar pool texts by embedding
     * (built in {@code run}, which knows the embedding models; this package does not).
     */
    public static Demonstrations of(LabelSet labels, Selector selector) {
        return new Demonstrations(labels, selector);
    }

    public List<Example> select(Example example) throws InterruptedException {
        return selector.select(example);
    }

    /** The {@code {examples}} text for one test example. */
    public String render(Example example) throws InterruptedException {
        return render(select(example), labels);
    }

    public static String render(List<Example> demonstrations, LabelSet labels) {
        var out = new StringBuilder();
        for (Example demo : demonstrations) {
            out.append("text: ").append(demo.text()).append('\n');
            demo.fields()
                    .forEach(
                            (name, value) ->
                                    out.append(name).append(": ").append(value).append('\n'));
            out.append("label: ").append(labels.name(demo.gold())).append("\n\n");
        }
        return out.toString();
    }
}
