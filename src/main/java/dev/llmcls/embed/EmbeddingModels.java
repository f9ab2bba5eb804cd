package dev.llmcls.embed;

import dev.llmcls.core.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedding models bundled in the jar (langchain4j's quantized ONNX models: the weights and
 * tokenizers ship inside those dependencies, nothing is downloaded at run time; {@link OnnxEncoder}
 * runs them). The name is part of every cache key and of the run's manifest.
 */
public final class EmbeddingModels {
    public static final String DEFAULT = "bge-small-en-v1.5-q";

    /**
     * Dimension, the class-path resource name of the model and its tokenizer, and the pooling the
     * model needs.
     */
    private record Bundled(int dimension, String resource, OnnxEncoder.Pooling pooling) {}

    private static final Map<String, Bundled> BUNDLED = new LinkedHashMap<>();

    static {
        // DJL's tokenizer logs its native-library extraction and a max-length note at INFO/WARN on
        // every start.
        System.setProperty(
                "org.slf4j.simpleLogger.log.ai.djl",
                System.getProperty("org.slf4j.simpleLogger.log.ai.djl", "error"));
        BUNDLED.put(DEFAULT, new Bundled(384, "bge-small-en-v1.5-q", OnnxEncoder.Pooling.CLS));
        BUNDLED.put(
                "all-minilm-l6-v2-q",
                new Bundled(384, "all-minilm-l6-v2-q", OnnxEncoder.Pooling.MEAN));
    }

    private EmbeddingModels() {}

    public static List<String> names() {
        return List.copyOf(BUNDLED.keySet());
    }

    /** Checks a name without loading the model. */
    public static String require(String name) {
        if (!BUNDLED.containsKey(name)) {
            throw new InputException(
                    "unknown embedding model '" + name + "'; bundled ones are " + names());
        }
        return name;
    }

    /**
     * Loads a bundled model (a second or so: the ONNX session and tokenizer are built here), each
     * call running on {@code threads} threads (1: the caller's).
     */
    public static OnnxEncoder load(String name, int threads) {
        Bundled bundled = BUNDLED.get(require(name));
        return OnnxEncoder.load(bundled.resource(), bundled.pooling(), threads);
    }

    /** The length of the model's vectors, known without loading it. */
    public static int dimension(String name) {
        return BUNDLED.get(require(name)).dimension();
    }
}
