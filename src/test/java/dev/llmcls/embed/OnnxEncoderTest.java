package dev.llmcls.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The direct ONNX Runtime encoder against langchain4j's, which wrote the vectors existing caches
 * hold: one text per call must give the same floats bit for bit, long texts split into parts
 * included; batches must keep each text's place.
 */
@Tag("slow")
class OnnxEncoderTest {
    private static final Map<String, Supplier<EmbeddingModel>> LANGCHAIN4J =
            Map.of(
                    "bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel::new,
                    "all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel::new);

    static List<String> texts() {
        var texts =
                new ArrayList<>(
                        List.of(
                                "Wall St. Bears Claw Back Into the Black (Reuters) Reuters -"
                                        + " Short-sellers, Wall Street's dwindling\\band of"
                                        + " ultra-cynics, are seeing green again.",
                                "Fears for T N pension after talks Unions representing workers at"
                                        + " Turner   Newall say they are 'disappointed' after talks"
                                        + " with stricken parent firm Federal Mogul.",
                                "The Race is On: Second Private Team Sets Launch Date for Human"
                                    + " Spaceflight (SPACE.com) SPACE.com - TORONTO, Canada -- A"
                                    + " second team of rocketeers competing for the  #36;10 million"
                                    + " Ansari X Prize",
                                "Ky. Company Wins Grant to Study Peptides (AP) AP - A company"
                                        + " founded by a chemistry researcher at the University of"
                                        + " Louisville won a grant to develop a method of producing"
                                        + " better peptides",
                                "Zürich: Café résumé naïve — 東京 über alles; emoji 🙂 and tabs\tand "
                                        + " spaces",
                                "a",
                                "unbelievably uncharacteristically antidisestablishmentarianism"));
        // Over 512 tokens.
        var longText = new StringBuilder();
        for (int i = 0; i < 140; i++) {
            longText.append("The committee postponed its deliberations indefinitely. ");
        }
        texts.add(longText.toString());
        return texts;
    }

    @Test
    void oneTextPerCallGivesLangchain4jsVectorsBitForBit() {
        for (String name : EmbeddingModels.names()) {
            EmbeddingModel reference = LANGCHAIN4J.get(name).get();
            try (OnnxEncoder encoder = EmbeddingModels.load(name, 1)) {
                for (String text : texts()) {
                    float[] expected = Vectors.normalised(reference.embed(text).content().vector());
                    float[] actual =
                            Vectors.normalised(encoder.embed(List.of(encoder.tokenize(text)))[0]);
                    assertArrayEquals(
                            expected,
                            actual,
                            0f,
                            name + ": " + text.substring(0, Math.min(40, text.length())));
                }
            }
        }
    }

    @Test
    void aTextBeyondTheModelsLengthIsCutAt512PositionsAsLangchain4jCutsIt() {
        // The tokenizer truncates to the model's 512 positions, so langchain4j's splitting of long
        // texts never
        // happens with these models; the bit-for-bit test above covers such a text.
        try (OnnxEncoder encoder = EmbeddingModels.load(EmbeddingModels.DEFAULT, 1)) {
            List<String> all = texts();
            OnnxEncoder.Tokens longOne = encoder.tokenize(all.get(all.size() - 1));
            assertEquals(1, longOne.parts().size());
            assertEquals(OnnxEncoder.MAX_PART_TOKENS + 2, longOne.length());
            assertEquals(1, encoder.tokenize(all.get(0)).parts().size());
        }
    }

    @Test
    void splitNeverEndsAPartBeforeAWordPieceContinuation() {
        var tokens = new ArrayList<String>();
        tokens.add("[CLS]");
        for (int i = 0; i < 509; i++) {
            tokens.add("w" + i);
        }
        tokens.addAll(List.of("un", "##believ", "##able", "end"));
        tokens.add("[SEP]");
        List<List<String>> parts = OnnxEncoder.split(tokens);
        assertEquals(2, parts.size());
        assertEquals("un", parts.get(1).get(0), "the word moves whole into the second part");
        assertEquals(
                509,
                parts.get(0).size(),
                "the first part ends before the word that would cross 510");
        assertEquals(List.of("un", "##believ", "##able", "end"), parts.get(1));
        assertEquals(List.of(), OnnxEncoder.split(List.of("[CLS]", "[SEP]")));
    }

    @Test
    void aPaddedBatchKeepsEachTextsPlaceAndStaysCloseToItsSingleVector() {
        try (OnnxEncoder encoder = EmbeddingModels.load(EmbeddingModels.DEFAULT, 1)) {
            List<String> texts = texts();
            var tokens = texts.stream().map(encoder::tokenize).toList();
            float[][] batch = encoder.embed(tokens);
            assertEquals(texts.size(), batch.length);
            for (int i = 0; i < texts.size(); i++) {
                float[] single = encoder.embed(List.of(tokens.get(i)))[0];
                assertTrue(
                        Vectors.dot(single, batch[i]) > 0.98,
                        "text " + i + ": " + Vectors.dot(single, batch[i]));
                for (int j = 0; j < texts.size(); j++) {
                    if (j != i) {
                        assertTrue(
                                Vectors.dot(single, batch[i]) > Vectors.dot(single, batch[j]),
                                i + " vs " + j);
                    }
                }
            }
        }
    }
}
