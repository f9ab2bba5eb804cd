package dev.llmcls.label;

import java.util.List;

/**
 * A label's log-likelihood from the prompt log-probabilities of one request per label, each prompt
 * ending with the answer written up to and including that label. The prompts are identical up to
 * the label, so a label's own tokens are those after the longest common token prefix of all the
 * variants: no tokenizer is needed on this side. The sum of their log-probabilities is the label's
 * log-likelihood; the per-token mean is lm-evaluation-harness's length normalisation.
 */
public final class LabelLikelihood {
    /** How a label's token log-probabilities become its score. */
    public enum Normalisation {
        /** The sum: the log-probability of the whole label. */
        SUM,
        /** The per-token mean, which does not favour labels of fewer tokens. */
        MEAN;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Per label: the summed log-probability of its own tokens and how many tokens that is. */
    public record Scores(double[] sums, int[] tokens) {
        public double score(int label, Normalisation normalisation) {
            return normalisation == Normalisation.SUM ? sums[label] : sums[label] / tokens[label];
        }

        public double[] scores(Normalisation normalisation) {
            double[] scores = new double[sums.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = score(i, normalisation);
            }
            return scores;
        }
    }

    private LabelLikelihood() {}

    /**
     * The log-likelihood of each label's tokens, from the prompt log-probabilities the server
     * echoed.
     *
     * @param tokenIds per label, the prompt's token ids in order
     * @param logprobs per label, the log-probability of each prompt token (the first, which has
     *     none, is ignored)
     * @param labels the label names, for the error message
     * @throws IllegalArgumentException when a label has no token of its own (its tokens are a
     *     prefix of another label's), so likelihood cannot tell them apart
     */
    public static Scores of(List<long[]> tokenIds, List<double[]> logprobs, List<String> labels) {
        int variants = tokenIds.size();
        int common = commonPrefix(tokenIds);
        double[] sums = new double[variants];
        int[] tokens = new int[variants];
        for (int v = 0; v < variants; v++) {
            long[] ids = tokenIds.get(v);
            double[] lp = logprobs.get(v);
            tokens[v] = ids.length - common;
            if (tokens[v] <= 0) {
                throw new IllegalArgumentException(
                        "label '"
                                + labels.get(v)
                                + "' has no token of its own: its tokens are a prefix of another"
                                + " label's, so likelihood scoring cannot tell them apart");
            }
            for (int i = Math.max(common, 1); i < ids.length; i++) {
                sums[v] += lp[i];
            }
        }
        return new Scores(sums, tokens);
    }

    /** The length of the longest prefix that every sequence shares. */
    static int commonPrefix(List<long[]> sequences) {
        long[] first = sequences.get(0);
        int common = first.length;
        for (long[] other : sequences) {
            int i = 0;
            while (i < common && i < other.length && other[i] == first[i]) {
                i++;
            }
            common = i;
        }
        return common;
    }
}
