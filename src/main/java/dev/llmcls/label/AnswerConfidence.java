package dev.llmcls.label;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How sure the model was of a generated answer's label, from the answer's token log-probabilities
 * ({@code logprobs} with {@code top_logprobs}). Two readings:
 *
 * <ul>
 *   <li>the distribution over the labels' first tokens at the token where the label starts: the alternatives the
 *       server listed there that begin exactly one label, their probabilities summed per label and renormalised over
 *       the labels (a {@code choice}-constrained answer starts with the label, at its first token; vLLM reports the
 *       model's raw log-probabilities, before the constraint masks the other tokens);
 *   <li>the probability of the tokens that spell the chosen label, the product over the answer's tokens that
 *       overlap the label's name after the last {@code label} marker (for a free answer).
 * </ul>
 */
public final class AnswerConfidence {
    private static final String MARKER = "label";

    /** A generated token as the confidence needs it: text, log-probability, the listed alternatives. */
    public record Token(String text, double logprob, List<Alternative> alternatives) {
    }

    /** An alternative at a position. */
    public record Alternative(String text, double logprob) {
    }

    /**
     * {@code confidence}: the probability of the chosen label; {@code distribution}: the renormalised first-token
     * distribution over the labels when the alternatives allow one (else null).
     */
    public record Result(double confidence, double[] distribution) {
    }

    private AnswerConfidence() {
    }

    /**
     * The distribution over the labels at one position: each alternative whose text (leading whitespace aside)
     * begins exactly one label adds its probability to that label; null when none does, or when the token the answer
     * actually has there begins several labels (then the first token cannot tell them apart).
     */
    public static double[] firstTokenDistribution(String generated, List<Alternative> alternatives, List<String> labels) {
        if (matches(generated, labels) > 1) {
            return null;
        }
        double[] mass = new double[labels.size()];
        Set<String> seen = new HashSet<>();
        for (Alternative alternative : alternatives) {
            if (!seen.add(alternative.text())) {
                continue; // the same text listed twice (the generated token first, then among the top ones)
            }
            int label = matching(alternative.text(), labels);
            if (label >= 0) {
                mass[label] += Math.exp(alternative.logprob());
            }
        }
        return LabelDistribution.normalise(mass);
    }

    /** For an answer constrained to be exactly one label: the distribution at its first token. */
    public static Result forChoice(List<Token> tokens, String chosen, List<String> labels) {
        int label = labels.indexOf(chosen);
        if (tokens.isEmpty() || label < 0) {
            return null;
        }
        Token first = tokens.get(0);
        double[] distribution = firstTokenDistribution(first.text(), first.alternatives(), labels);
        if (distribution != null) {
            return new Result(distribution[label], distribution);
        }
        return new Result(Math.exp(sumOf(tokens)), null);
    }

    /**
     * For a free answer: the probability of the tokens spelling {@code chosen} where it occurs after the last
     * {@code label} marker, and the first-token distribution at its first token when that token starts the name.
     * Null when the tokens do not spell the answer or the name is not found there.
     */
    public static Result forFreeAnswer(List<Token> tokens, String answer, String chosen, List<String> labels) {
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
        double[] distribution = null;
        if (firstToken >= 0) {
            Token first = tokens.get(firstToken);
            int firstStart = startOf(tokens, firstToken);
            // The token must begin the name (a leading space may come with it), not cut into it.
            if (answer.substring(firstStart, start).isBlank()) {
                distribution = firstTokenDistribution(first.text(), first.alternatives(), labels);
            }
        }
        int label = labels.indexOf(chosen);
        if (distribution != null && label >= 0) {
            return new Result(distribution[label], distribution);
        }
        return new Result(Math.exp(sum), null);
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

    /** The one label that {@code token} (leading whitespace aside) begins; -1 for none or several. */
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
