package dev.llmcls.runfile;

/**
 * What an embedded classifier's settings keys mean ({@link KnnSettings}, {@link LinearSettings},
 * {@link SimilaritySettings}).
 */
final class EmbeddedSettings {
    private EmbeddedSettings() {}

    static String meaning(String key) {
        return switch (key) {
            case "train_file", "train_sha256" -> PoolSettings.MEANING;
            case "k" -> "neighbours (--k)";
            case "label_texts" -> "label descriptions (--labels-file)";
            case "embedding_model" -> "embedding model (--embedding-model)";
            default -> "classifier (--mode)";
        };
    }
}
