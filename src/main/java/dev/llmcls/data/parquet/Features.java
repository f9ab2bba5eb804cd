package dev.llmcls.data.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The class names a Hugging Face dataset gives a label column: its {@code ClassLabel} feature,
 * found in the {@code huggingface} key of a Parquet file's key-value metadata (written by {@code
 * datasets}, shaped {@code {"info": {"features": {"label": {"names": [...], "_type":
 * "ClassLabel"}}}}}) or in a Hub {@code dataset_info}'s {@code features}. A list of class labels
 * ({@code Sequence}/{@code List} of {@code ClassLabel}, a multi-label column) gives its inner
 * names.
 */
public final class Features {
    /** The key-value metadata key under which {@code datasets} stores a table's features. */
    public static final String PARQUET_KEY = "huggingface";

    private Features() {}

    /**
     * The class names of {@code column} from a Parquet file's key-value metadata, when it has them.
     */
    public static Optional<List<String>> classLabelNames(
            Map<String, String> keyValueMetadata, String column) {
        String json = keyValueMetadata == null ? null : keyValueMetadata.get(PARQUET_KEY);
        if (json == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return Optional
                    .empty(); // metadata llmcls cannot read names nothing; the labels then come
            // from --labels
        }
        JsonNode features = root.path("info").path("features");
        return classLabelNames(features.isMissingNode() ? root.path("features") : features, column);
    }

    /**
     * The class names of {@code column} in a {@code features} object (a map of column name to
     * feature).
     */
    public static Optional<List<String>> classLabelNames(JsonNode features, String column) {
        JsonNode feature = features.path(column);
        // a multi-label column: Sequence (datasets < 4) or List (datasets >= 4) of ClassLabel
        String type = feature.path("_type").asText("");
        if (type.equals("Sequence") || type.equals("List") || type.equals("LargeList")) {
            feature = feature.path("feature");
        }
        if (feature.isArray() && feature.size() == 1) {
            feature = feature.get(0); // the older list form: [ {ClassLabel} ]
        }
        if (!"ClassLabel".equals(feature.path("_type").asText())
                || !feature.path("names").isArray()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        feature.path("names").forEach(name -> names.add(name.asText()));
        return names.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(names));
    }
}
