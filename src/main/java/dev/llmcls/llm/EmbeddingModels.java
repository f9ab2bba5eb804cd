package dev.llmcls.llm;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.llmcls.core.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The embedding models bundled in the jar (langchain4j's in-process ONNX models: the weights ship inside the
 * dependency, nothing is downloaded at run time). The name is part of every cache key and of the run's manifest.
 */
public final class EmbeddingModels {
    public static final String DEFAULT = "bge-small-en-v1.5-q";

    private record Bundled(int dimension, Supplier<EmbeddingModel> loader) {
    }

    private static final Map<String, Bundled> BUNDLED = new LinkedHashMap<>();

    static {
        // DJL's tokenizer logs its native-library extraction and a max-length note at INFO/WARN on every start.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl", System.getProperty("org.slf4j.simpleLogger.log.ai.djl",
                "error"));
        BUNDLED.put(DEFAULT, new Bundled(384, BgeSmallEnV15QuantizedEmbeddingModel::new));
        BUNDLED.put("all-minilm-l6-v2-q", new Bundled(384, AllMiniLmL6V2QuantizedEmbeddingModel::new));
    }

    private EmbeddingModels() {
    }

    public static List<String> names() {
        return List.copyOf(BUNDLED.keySet());
    }

    /** Checks a name without loading the model. */
    public static String require(String name) {
        if (!BUNDLED.containsKey(name)) {
            throw new InputException("unknown embedding model '" + name + "'; bundled ones are " + names());
        }
        return name;
    }

    /** Loads a bundled model (a second or so: the ONNX session and tokenizer are built on first use). */
    public static TextEmbeddingModel load(String name) {
        EmbeddingModel model = BUNDLED.get(require(name)).loader().get();
        return new TextEmbeddingModel() {
            @Override
            public float[] embed(String text) {
                return model.embed(text).content().vector();
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
                return model.embedAll(segments).content().stream().map(Embedding::vector).toList();
            }
        };
    }

    /** The length of the model's vectors, known without loading it. */
    public static int dimension(String name) {
        return BUNDLED.get(require(name)).dimension();
    }
}
