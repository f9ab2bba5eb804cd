package dev.llmcls.runfile;

/**
 * The labelled training pool a method draws on: {@code train_file} as given, and its contents'
 * sha256; the settings of kNN classification and of demonstrations record both.
 */
public record PoolSettings(String trainFile, String trainSha256) {
    static final String MEANING = "training pool (--train)";

    static boolean owns(String key) {
        return key.equals("train_file") || key.equals("train_sha256");
    }
}
