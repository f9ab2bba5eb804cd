package dev.llmcls.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multinomial naive Bayes over TF-IDF word features, the cheap lexical model of {@code --mode
 * knn-tfidf}. The features are scikit-learn's {@code TfidfVectorizer(sublinear_tf=True)}: the text
 * lower-cased, its words the runs of two or more letters, digits or underscores, each weighted
 * {@code (1 + ln count) * (ln((1 + n) / (1 + df)) + 1)} over the {@code n} training texts ({@code
 * df}: how many of them hold the word), the vector scaled to unit length; words unseen in training
 * are dropped. The model is {@code MultinomialNB(alpha)} on those features: each class's log prior
 * is the log of its share of the training texts, each word's log weight in a class {@code ln((F +
 * alpha) / (sum of F + alpha * V))} ({@code F}: the word's summed feature over the class's texts,
 * {@code V} the vocabulary's size). {@link #crossValidated} chooses {@code alpha} by k-fold
 * cross-validation on the training texts alone (features refitted on each fold's training part).
 * Fitting is one pass over the texts: no iterative solver.
 */
public final class TfidfNaiveBayes {
    /** The smoothing values tried by {@link #crossValidated}. */
    static final double[] ALPHAS = {0.01, 0.03, 0.1, 0.3, 1.0};

    /** The smallest probability a held-out log-loss counts (as scikit-learn's log_loss). */
    private static final double LEAST_PROBABILITY = 1e-15;

    private TfidfNaiveBayes() {}

    /**
     * A fitted model: the vocabulary (word to column), each column's idf, each class's log prior,
     * and each class's log weight per column ({@code classes} rows of {@code vocabulary.size()}).
     */
    public static final class Model {
        private final Map<String, Integer> vocabulary;
        private final double[] idf;
        private final double[] logPrior;
        private final double[][] logWeight;

        private Model(
                Map<String, Integer> vocabulary,
                double[] idf,
                double[] logPrior,
                double[][] logWeight) {
            this.vocabulary = vocabulary;
            this.idf = idf;
            this.logPrior = logPrior;
            this.logWeight = logWeight;
        }

        public int classes() {
            return logPrior.length;
        }

        public int vocabularySize() {
            return idf.length;
        }

        /** The class probabilities of a text (the prior alone for a text of no known word). */
        public double[] probabilities(String text) {
            return probabilities(Features.of(words(text), vocabulary, idf));
        }

        double[] probabilities(Features x) {
            int classes = logPrior.length;
            double[] z = new double[classes];
            for (int c = 0; c < classes; c++) {
                double sum = logPrior[c];
                double[] weight = logWeight[c];
                for (int t = 0; t < x.columns.length; t++) {
                    sum += x.values[t] * weight[x.columns[t]];
                }
                z[c] = sum;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = StrictMath.exp(z[c] - max);
                total += z[c];
            }
            for (int c = 0; c < classes; c++) {
                z[c] /= total;
            }
            return z;
        }
    }

    /**
     * One smoothing value's cross-validated accuracy and mean log-loss over every held-out text.
     */
    public record Score(double alpha, double accuracy, double logLoss) {}

    /**
     * The choice of {@link #crossValidated}: the model fitted on every text with the chosen {@code
     * alpha}, each value's figures, and the held-out class probabilities of every training text at
     * the chosen value (row {@code i}: text {@code i}, from the fold that left it out).
     */
    public record Fit(Model model, double alpha, List<Score> scores, double[][] heldOut) {}

    /** Fits the texts with one smoothing value. */
    public static Model fit(List<String> texts, int[] y, int classes, double alpha) {
        check(texts, y, classes);
        return fitWords(texts.stream().map(TfidfNaiveBayes::words).toList(), y, classes, alpha);
    }

    /**
     * Chooses {@code alpha} from {@link #ALPHAS} by the lowest held-out log-loss over {@code folds}
     * folds (text {@code i} is held out in fold {@code i % folds}; ties go to the smaller value),
     * then fits every text with it.
     */
    public static Fit crossValidated(List<String> texts, int[] y, int classes, int folds) {
        check(texts, y, classes);
        if (folds < 2 || folds > texts.size()) {
            throw new IllegalArgumentException(
                    "folds must be between 2 and " + texts.size() + ", got " + folds);
        }
        List<List<String>> words = texts.stream().map(TfidfNaiveBayes::words).toList();
        int n = texts.size();
        double[][][] heldOut = new double[ALPHAS.length][n][];
        for (int fold = 0; fold < folds; fold++) {
            var trainWords = new ArrayList<List<String>>();
            var trainY = new ArrayList<Integer>();
            for (int i = 0; i < n; i++) {
                if (i % folds != fold) {
                    trainWords.add(words.get(i));
                    trainY.add(y[i]);
                }
            }
            int[] labels = trainY.stream().mapToInt(Integer::intValue).toArray();
            Vocabulary vocabulary = Vocabulary.of(trainWords);
            double[][] sums = vocabulary.classSums(trainWords, labels, classes);
            for (int a = 0; a < ALPHAS.length; a++) {
                Model model = vocabulary.model(sums, labels, classes, ALPHAS[a]);
                for (int i = fold; i < n; i += folds) {
                    heldOut[a][i] =
                            model.probabilities(
                                    Features.of(words.get(i), vocabulary.columns, vocabulary.idf));
                }
            }
        }
        var scores = new ArrayList<Score>();
        int best = 0;
        for (int a = 0; a < ALPHAS.length; a++) {
            scores.add(score(ALPHAS[a], heldOut[a], y));
            if (scores.get(a).logLoss() < scores.get(best).logLoss()) {
                best = a;
            }
        }
        return new Fit(
                fitWords(words, y, classes, ALPHAS[best]),
                ALPHAS[best],
                List.copyOf(scores),
                heldOut[best]);
    }

    /**
     * The mean log-loss of class probabilities against the labels (probabilities below 1e-15 count
     * as 1e-15).
     */
    public static double logLoss(double[][] probabilities, int[] y) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum -= StrictMath.log(Math.max(LEAST_PROBABILITY, probabilities[i][y[i]]));
        }
        return sum / y.length;
    }

    private static Score score(double alpha, double[][] probabilities, int[] y) {
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            right += argmax(probabilities[i]) == y[i] ? 1 : 0;
        }
        return new Score(alpha, (double) right / y.length, logLoss(probabilities, y));
    }

    /** The index of the largest value (ties: the first). */
    public static int argmax(double[] values) {
        int best = 0;
        for (int c = 1; c < values.length; c++) {
            if (values[c] > values[best]) {
                best = c;
            }
        }
        return best;
    }

    private static Model fitWords(List<List<String>> words, int[] y, int classes, double alpha) {
        Vocabulary vocabulary = Vocabulary.of(words);
        return vocabulary.model(vocabulary.classSums(words, y, classes), y, classes, alpha);
    }

    /**
     * The words of a text as the features count them: lower-cased, runs of at least two letters,
     * digits or underscores (scikit-learn's default {@code (?u)\b\w\w+\b}).
     */
    static List<String> words(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        var out = new ArrayList<String>();
        int start = -1;
        int i = 0;
        while (i <= lower.length()) {
            int cp = i < lower.length() ? lower.codePointAt(i) : ' ';
            boolean word = Character.isLetterOrDigit(cp) || cp == '_';
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                if (lower.codePointCount(start, i) >= 2) {
                    out.add(lower.substring(start, i));
                }
                start = -1;
            }
            i += i < lower.length() ? Character.charCount(cp) : 1;
        }
        return out;
    }

    /** The words of some training texts: a column per word, and each column's idf. */
    private static final class Vocabulary {
        final Map<String, Integer> columns;
        final double[] idf;

        private Vocabulary(Map<String, Integer> columns, double[] idf) {
            this.columns = columns;
            this.idf = idf;
        }

        static Vocabulary of(List<List<String>> texts) {
            // Columns in sorted word order, as scikit-learn numbers them (sums then add in that
            // order).
            var seen = new HashMap<String, Integer>();
            for (List<String> text : texts) {
                for (String word : new java.util.HashSet<>(text)) {
                    seen.merge(word, 1, Integer::sum);
                }
            }
            String[] sorted = seen.keySet().toArray(new String[0]);
            Arrays.sort(sorted);
            var columns = new HashMap<String, Integer>(sorted.length * 2);
            double[] idf = new double[sorted.length];
            int n = texts.size();
            for (int c = 0; c < sorted.length; c++) {
                columns.put(sorted[c], c);
                idf[c] = StrictMath.log((1.0 + n) / (1.0 + seen.get(sorted[c]))) + 1;
            }
            return new Vocabulary(columns, idf);
        }

        /** Each class's summed features per column. */
        double[][] classSums(List<List<String>> texts, int[] y, int classes) {
            double[][] sums = new double[classes][idf.length];
            for (int i = 0; i < texts.size(); i++) {
                Features x = Features.of(texts.get(i), columns, idf);
                double[] row = sums[y[i]];
                for (int t = 0; t < x.columns.length; t++) {
                    row[x.columns[t]] += x.values[t];
                }
            }
            return sums;
        }

        Model model(double[][] sums, int[] y, int classes, double alpha) {
            int[] count = new int[classes];
            for (int label : y) {
                count[label]++;
            }
            double[] logPrior = new double[classes];
            double[][] logWeight = new double[classes][idf.length];
            for (int c = 0; c < classes; c++) {
                logPrior[c] = StrictMath.log((double) count[c] / y.length);
                double total = 0;
                for (double v : sums[c]) {
                    total += v + alpha;
                }
                double logTotal = StrictMath.log(total);
                for (int t = 0; t < idf.length; t++) {
                    logWeight[c][t] = StrictMath.log(sums[c][t] + alpha) - logTotal;
                }
            }
            return new Model(columns, idf, logPrior, logWeight);
        }
    }

    /**
     * A text's TF-IDF vector: its known columns in increasing order and their values (unit length).
     */
    static final class Features {
        final int[] columns;
        final double[] values;

        private Features(int[] columns, double[] values) {
            this.columns = columns;
            this.values = values;
        }

        static Features of(List<String> words, Map<String, Integer> vocabulary, double[] idf) {
            var counts = new HashMap<Integer, Integer>();
            for (String word : words) {
                Integer column = vocabulary.get(word);
                if (column != null) {
                    counts.merge(column, 1, Integer::sum);
                }
            }
            int[] columns = counts.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            double[] values = new double[columns.length];
            double squares = 0;
            for (int t = 0; t < columns.length; t++) {
                values[t] = (1 + StrictMath.log(counts.get(columns[t]))) * idf[columns[t]];
                squares += values[t] * values[t];
            }
            double norm = Math.sqrt(squares);
            if (norm > 0) {
                for (int t = 0; t < values.length; t++) {
                    values[t] /= norm;
                }
            }
            return new Features(columns, values);
        }
    }

    private static void check(List<String> texts, int[] y, int classes) {
        if (texts.isEmpty() || texts.size() != y.length) {
            throw new IllegalArgumentException(texts.size() + " texts and " + y.length + " labels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("at least two classes, got " + classes);
        }
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(
                        "label " + label + " outside 0.." + (classes - 1));
            }
        }
    }
}
