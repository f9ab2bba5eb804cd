package dev.llmcls.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lexical model of {@code --mode knn-tfidf} against scikit-learn 1.2.1's {@code
 * MultinomialNB(alpha).fit(TfidfVectorizer(sublinear_tf=True).fit_transform(texts))}, an
 * independent implementation: the figures below were computed with it on the 400-row training slice
 * in src/test/resources/fixtures/ag_news (folds as here: text {@code i} held out in fold {@code i %
 * 5}).
 */
class TfidfNaiveBayesTest {
    private static final Path SLICES = Path.of("src/test/resources/fixtures/ag_news");

    private static List<String> texts;
    private static int[] labels;

    @BeforeAll
    static void readTheSlice() throws IOException {
        texts = new ArrayList<>();
        var y = new ArrayList<Integer>();
        try (Reader in =
                Files.newBufferedReader(
                        SLICES.resolve("train_sample_first400.csv"), StandardCharsets.UTF_8)) {
            for (CSVRecord row :
                    CSVFormat.RFC4180
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .build()
                            .parse(in)) {
                texts.add(row.get("text"));
                y.add(Integer.parseInt(row.get("label")));
            }
        }
        labels = y.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void wordsAreScikitLearnsDefaultTokens() {
        assertEquals(
                List.of("oil", "price", "mail", "a_b", "x2", "école", "café"),
                TfidfNaiveBayes.words("Oil's price: U.S. $5.5 e-mail a_b x2 ÉCOLE Café 1"));
    }

    @ParameterizedTest(name = "alpha {0}")
    @CsvSource({
        "0.01, 0.6857838970066814, 0.7775",
        "0.03, 0.6270638428553527, 0.785",
        "0.1, 0.6634121819561956, 0.7925",
        "0.3, 0.8261607935854031, 0.7775",
        "1.0, 1.076488281354135, 0.7125"
    })
    void heldOutFiguresOfEachSmoothingMatchScikitLearn(
            double alpha, double logLoss, double accuracy) {
        TfidfNaiveBayes.Fit fit = TfidfNaiveBayes.crossValidated(texts, labels, 4, 5);
        TfidfNaiveBayes.Score score =
                fit.scores().stream().filter(s -> s.alpha() == alpha).findFirst().orElseThrow();
        assertEquals(logLoss, score.logLoss(), 1e-9);
        assertEquals(accuracy, score.accuracy(), 1e-12);
    }

    @Test
    void crossValidationChoosesTheLowestLogLossAndKeepsItsHeldOutProbabilities() {
        TfidfNaiveBayes.Fit fit = TfidfNaiveBayes.crossValidated(texts, labels, 4, 5);
        assertEquals(0.03, fit.alpha());
        assertEquals(texts.size(), fit.heldOut().length);
        assertEquals(0.6270638428553527, TfidfNaiveBayes.logLoss(fit.heldOut(), labels), 1e-9);
        assertEquals(4464, fit.model().vocabularySize());
    }

    @ParameterizedTest(name = "test row {0}")
    @CsvSource({
        "0, 0.408263063094633, 0.034077796053374215, 0.42473793756050227, 0.13292120329149032",
        "1, 0.09536652915093101, 0.13886019438124292, 0.3385385661826792, 0.4272347102851478",
        "2, 0.08243696715608845, 0.13113403784807684, 0.16048584403024568, 0.6259431509655901",
        "3, 0.10313010569624219, 0.461796716441973, 0.22129295657387182, 0.21378022128791271"
    })
    void probabilitiesOfAFittedModelMatchScikitLearn(
            int row, double world, double sports, double business, double science)
            throws IOException {
        String text;
        try (Reader in =
                Files.newBufferedReader(
                        SLICES.resolve("test_first400.csv"), StandardCharsets.UTF_8)) {
            CSVRecord record = CSVFormat.RFC4180.parse(in).getRecords().get(row);
            text = record.get(1) + " " + record.get(2);
        }
        TfidfNaiveBayes.Model model = TfidfNaiveBayes.fit(texts, labels, 4, 0.1);
        assertEquals(4464, model.vocabularySize());
        assertArrayEquals(
                new double[] {world, sports, business, science}, model.probabilities(text), 1e-12);
    }

    @Test
    void aTextOfNoKnownWordGetsTheClassShares() {
        List<String> few = List.of("alpha beta", "beta gamma", "gamma delta", "delta alpha");
        TfidfNaiveBayes.Model model = TfidfNaiveBayes.fit(few, new int[] {0, 0, 0, 1}, 2, 1.0);
        assertArrayEquals(new double[] {0.75, 0.25}, model.probabilities("zzz ! a"), 1e-12);
    }

    @Test
    void aClassWithNoTrainingTextIsNeverChosen() {
        List<String> few = List.of("alpha beta", "beta gamma");
        double[] p = TfidfNaiveBayes.fit(few, new int[] {0, 2}, 3, 0.1).probabilities("alpha beta");
        assertEquals(0, p[1]);
        assertEquals(1, p[0] + p[2], 1e-12);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TfidfNaiveBayes.fit(List.of("a b"), new int[] {0, 1}, 2, 0.1));
        assertThrows(
                IllegalArgumentException.class,
                () -> TfidfNaiveBayes.fit(List.of("aa bb"), new int[] {2}, 2, 0.1));
        assertThrows(
                IllegalArgumentException.class,
                () -> TfidfNaiveBayes.crossValidated(List.of("aa", "bb"), new int[] {0, 1}, 2, 3));
    }
}
