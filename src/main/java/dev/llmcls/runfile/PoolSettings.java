package dev.llmcls.runfile;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labelled training pool a method draws on: {@code train_file} as given, and its contents' sha256. */
public record PoolSettings(String trainFile, String trainSha256) {
    static final String MEANING = "training pool (--train)";

    Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("train_file", trainFile);
        json.put("train_sha256", trainSha256);
        return json;
    }

    static boolean owns(String key) {
        return key.equals("train_file") || key.equals("train_sha256");
    }

    static PoolSettings read(Map<String, Object> json) {
        return new PoolSettings(RunSettings.text(json.remove("train_file")), RunSettings.text(json.remove("train_sha256")));
    }
}
