package dev.llmcls.label;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How sure the model was of a generated answer's label, from the answer's token log-probabilities
 * ({@code logprobs} with {@code top_logprobs}). Two readings:
 *
 * <ul>
 *   <li>the distribution over the labels' first tokens at the token where the label starts: the
 *       alternatives the server listed there that begin exactly one label, their probabilities
 *       summed per label and renormalised over the labels (a {@code choice}-constrained answer
 *       starts with the label, at its first token, or is the standard {@code response_format}'s
 *       {@code {"label": ...}} object; vLLM reports the model's raw log-probabilities, before the
 *       constraint masks the other tokens);
 *   <li>the probability of the tokens that spell the chosen label, the product over the answer's
 *       tokens that overlap the label's name after the last {@code label} marker (for a free
 *       answer).
 * </ul>
 *
 * <p>A label none of whose first tokens the server listed (it lists only the top {@code k}) is not
 * taken as impossible: every token it did not list is at most as likely as the least likely one it
 * did, so such a label counts at the smallest listed probability (the generated token aside, which
 * vLLM lists first even when it is not among the top {@code k}); when the server listed nothing but
 * the generated token, at what the listed tokens leave of 1. The count of such labels comes with
 * the distribution ({@link Result#unlisted()}): an answer whose label alone was listed no longer
 * reads as certain, and a run can say how often the top {@code k} was too short.
 */
public final class AnswerConfidence {
    private static final String MARKER = "label";

    /**
     * A generated token as the confidence needs it: text, log-probability, the listed alternatives.
     */
    public record Token(String text, double logprob, List<Alternative> alternatives) {}

    /** An alternative at a position. */
    public record Alternative(String text, double logprob) {}

    /**
     * {@code confidence}: the probability of the chosen label; {@code distribution}: the
     * renormalised first-token distribution over the labels when the alternatives allow one (else
     * null); {@code unlisted}: how many labels had no first token among the alternatives at the
     * label's first token (their probability is bounded, see the class comment), null when the
     * answer was not read there.
     */
    public record Result(double confidence, double[] distribution, Integer unlisted) {
        public Result(double confidence, double[] distribution) {
            this(confidence, distribution, null);
        }
    }

    /**
     * The labels at one position: {@code distribution} over the labels (null when no listed token
     * begins a label), {@code unlisted} how many labels had no listed first token.
     */
    public record FirstToken(double[] distribution, int unlisted) {}

    private AnswerConfidence() {}

    /**
     * The distribution over the labels at one position: each listed alternative whose text (leading
     * whitespace aside) begins exactly one label adds its probability to that label, and so does
     * the generated token itself when the server did not list it (llama.cpp lists the top {@code k}
     * only); a label with no listed first token counts at the bound of the class comment. Null when
     * the server listed no alternatives there, or when the token the answer actually has there
     * begins several labels (then the first token cannot tell them apart); a null distribution when
     * no listed token begins a label.
     */
    public static FirstToken firstToken(Token token, List<String> labels) {
        if (token.alternatives().isEmpty() || matches(token.text(), labels) > 1) {
            return null;
        }
        double[] mass = new double[labels.size()];
        boolean[] listed = new boolean[labels.size()];
        Set<String> seen = new HashSet<>();
        double total = 0;
        double smallest = Double.POSITIVE_INFINITY;
        for (Alternative alternative : token.alternatives()) {
            if (!seen.add(alternative.text())) {
                continue; // the same text listed twice (the generated token first, then among the
                // top ones)
            }
            double p = Math.exp(alternative.logprob());
            total += p;
            if (!alternative.text().equals(token.text())) {
                smallest = Math.min(smallest, p);
            }
            add(alternative.text(), p, labels, mass, listed);
        }
        if (seen.add(token.text())) {
            double p = Math.exp(token.logprob());
            total += p;
            add(token.text(), p, labels, mass, listed);
        }
        int unlisted = 0;
        for (boolean l : listed) {
            unlisted += l ? 0 : 1;
        }
        if (unlisted == labels.size()) {
            return new FirstToken(null, unlisted);
        }
        double bound = smallest < Double.POSITIVE_INFINITY ? smallest : Math.max(0, 1 - total);
        for (int i = 0; i < mass.length; i++) {
            if (!listed[i]) {
                mass[i] = bound;
            }
        }
        return new FirstToken(LabelDistribution.normalise(mass), unlisted);
    }

    private static void add(
            String text, double p, List<String> labels, double[] mass, boolean[] listed) {
        int label = matching(text, labels);
        if (label >= 0) {
            mass[label] += p;
            listed[label] = true;
        }
    }

    /**
     * For an answer constrained to be exactly one label: the distribution at its first token; for
     * the standard {@code response_format} form of the constraint, {@code {"label": "..."}}, at the
     * label's first token after the key (as for a free answer).
     */
    public static Result forChoice(List<Token> tokens, String chosen, List<String> labels) {
        int label = labels.indexOf(chosen);
        if (tokens.isEmpty() || label < 0) {
            return null;
        }
        String answer = joined(tokens);
        if (!answer.strip().equals(chosen)) {
            return forFreeAnswer(tokens, answer, chosen, labels);
        }
        Token first =
                tokens.stream().filter(t -> !t.text().isBlank()).findFirst().orElse(tokens.get(0));
        FirstToken read = firstToken(first, labels);
        if (read != null && read.distribution() != null) {
            return new Result(read.distribution()[label], read.distribution(), read.unlisted());
        }
        return new Result(Math.exp(sumOf(tokens)), null, read == null ? null : read.unlisted());
    }

    /**
     * For a free answer: the probability of the tokens spelling {@code chosen} where it occurs
     * after the last {@code "label"} marker, and the first-token distribution at its first token
     * when that token starts the name. Null when the tokens do not spell the answer or the name is
     * not found there.
     */
    public static Result forFreeAnswer(
            List<Token> tokens, String answer, String chosen, List<String> labels) {
        if (tokens.isEmpty() || chosen == null || !joined(tokens).equals(answer)) {
            return null;
        }
        int marker = answer.lastIndexOf(MARKER);
        int start = answer.indexOf(chosen, marker < 0 ? 0 : marker + MARKER.length());
        if (start < 0) {
            return null;
        }
        int end = start + chosen.length();
        int offset = 0;
        int firstToken = -1;
        double sum = 0;
        for (int i = 0; i < tokens.size(); i++) {
            int tokenStart = offset;
            int tokenEnd = offset + tokens.get(i).text().length();
            offset = tokenEnd;
            if (tokenStart < end && tokenEnd > start) {
                if (firstToken < 0) {
                    firstToken = i;
                }
                sum += tokens.get(i).logprob();
            }
        }
        FirstToken read = null;
        if (firstToken >= 0) {
            int firstStart = startOf(tokens, firstToken);
            // The token must begin the name (a leading space may come with it), not cut into it.
            if (answer.substring(firstStart, start).isBlank()) {
                read = firstToken(tokens.get(firstToken), labels);
            }
        }
        int label = labels.indexOf(chosen);
        Integer unlisted = read == null ? null : read.unlisted();
        if (read != null && read.distribution() != null && label >= 0) {
            return new Result(read.distribution()[label], read.distribution(), unlisted);
        }
        return new Result(Math.exp(sum), null, unlisted);
    }

    private static double sumOf(List<Token> tokens) {
        double sum = 0;
        for (Token token : tokens) {
            sum += token.logprob();
        }
        return sum;
    }

    private static int startOf(List<Token> tokens, int index) {
        int offset = 0;
        for (int i = 0; i < index; i++) {
            offset += tokens.get(i).text().length();
        }
        return offset;
    }

    private static String joined(List<Token> tokens) {
        var text = new StringBuilder();
        tokens.forEach(token -> text.append(token.text()));
        return text.toString();
    }

    /**
     * The one label that {@code token} (leading whitespace aside) begins; -1 for none or several.
     */
    static int matching(String token, List<String> labels) {
        String stripped = token.stripLeading();
        if (stripped.isEmpty()) {
            return -1;
        }
        int found = -1;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).startsWith(stripped)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private static int matches(String token, List<String> labels) {
        String stripped = token.stripLeading();
        if (stripped.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (String label : labels) {
            count += label.startsWith(stripped) ? 1 : 0;
        }
        return count;
    }
}
