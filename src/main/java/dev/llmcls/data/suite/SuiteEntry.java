package dev.llmcls.data.suite;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.llmcls.core.InputException;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.hub.HubDataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One dataset of the suite, as its file {@code datasets/NAME.yaml} describes it.
 *
 * @param name the file's name without {@code .yaml}: what {@code --data suite:NAME} names
 * @param title how papers call the dataset ({@code SST-2})
 * @param hub the Hub dataset, {@code OWNER/NAME}
 * @param config its configuration, or null for a dataset with one
 * @param split the split the suite classifies (the one papers report, where its labels are public)
 * @param file the split's Parquet file as the Hub lists it (what the tests' fixture is served as)
 * @param card the dataset card or loading script its layout was checked against
 * @param task single-label, multi-label (the label field is a list) or pair (two texts)
 * @param labels the labels in class order: the name the prompt shows, what it means, and the
 *     dataset's own {@code ClassLabel} name where that differs ({@code Sci/Tech})
 * @param templates the entry's prompts by mode: {@code basic} and {@code reason}
 * @param published the published zero-shot figures the dataset is compared against, each read in
 *     its source (empty where none was found)
 * @param publishedNote what was searched where there is no figure, or what to keep in mind
 *     comparing with them
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "name",
    "title",
    "description",
    "hub",
    "config",
    "split",
    "file",
    "card",
    "task",
    "text_field",
    "label_field",
    "id_field",
    "labels",
    "templates",
    "published",
    "published_note"
})
public record SuiteEntry(
        String name,
        String title,
        String description,
        String hub,
        String config,
        String split,
        String file,
        String card,
        Task task,
        String textField,
        String labelField,
        String idField,
        List<Label> labels,
        Map<String, String> templates,
        List<Published> published,
        String publishedNote) {

    /** What is classified: one text into one label, one text into a set, or a pair of texts. */
    public enum Task {
        @JsonProperty("single-label")
        SINGLE_LABEL,
        @JsonProperty("multi-label")
        MULTI_LABEL,
        @JsonProperty("pair")
        PAIR;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A label: {@code name} as prompts and records show it, {@code description} in a few words,
     * {@code className} the dataset's {@code ClassLabel} name when it is another (null: the same).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Label(String name, String description, @JsonProperty("class") String className) {}

    /**
     * A published figure: {@code value} (percent) of {@code metric} by {@code model} in {@code
     * setting} (zero-shot, which prompt) on {@code split}, reported by {@code paper} in {@code
     * table}; {@code source} is where it was read (an {@code https} address pinned to a commit, or
     * a file of this repository), {@code url} the paper's own address, {@code note} what to keep in
     * mind comparing with it.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({
        "value", "metric", "model", "setting", "split", "paper", "table", "url", "source", "note"
    })
    public record Published(
            double value,
            String metric,
            String model,
            String setting,
            String split,
            String paper,
            String table,
            String url,
            String source,
            String note) {

        /** The fields a figure lacks (each is needed to compare with it and to check it). */
        List<String> missing() {
            var missing = new ArrayList<String>();
            if (!(value > 0 && value <= 100)) {
                missing.add("value (a percentage above 0, at most 100)");
            }
            String[][] required = {
                {"metric", metric},
                {"model", model},
                {"setting", setting},
                {"split", split},
                {"paper", paper},
                {"table", table},
                {"source", source}
            };
            for (String[] field : required) {
                if (field[1] == null || field[1].isBlank()) {
                    missing.add(field[0]);
                }
            }
            return missing;
        }
    }

    /** The modes an entry must have a template for. */
    public static final List<String> MODES = List.of("basic", "reason");

    public SuiteEntry {
        labels = labels == null ? List.of() : List.copyOf(labels);
        published = published == null ? List.of() : List.copyOf(published);
        templates =
                templates == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(templates));
        textField = textField == null ? DatasetSpec.DEFAULT_TEXT_FIELD : textField;
        labelField = labelField == null ? DatasetSpec.DEFAULT_LABEL_FIELD : labelField;
    }

    /** This entry named {@code name} (its file's name), checked: every field an entry needs. */
    SuiteEntry named(String name) {
        var entry =
                new SuiteEntry(
                        name,
                        title,
                        description,
                        hub,
                        config,
                        split,
                        file,
                        card,
                        task,
                        textField,
                        labelField,
                        idField,
                        labels,
                        templates,
                        published,
                        publishedNote);
        entry.check();
        return entry;
    }

    private void check() {
        var missing = new ArrayList<String>();
        if (title == null) {
            missing.add("title");
        }
        if (hub == null) {
            missing.add("hub");
        }
        if (split == null) {
            missing.add("split");
        }
        if (task == null) {
            missing.add("task");
        }
        if (labels.isEmpty()) {
            missing.add("labels");
        }
        for (String mode : MODES) {
            if (!templates.containsKey(mode)) {
                missing.add("templates." + mode);
            }
        }
        if (published.isEmpty() && publishedNote == null) {
            missing.add("published or published_note");
        }
        if (!missing.isEmpty()) {
            throw new InputException("suite entry " + name + " lacks " + missing);
        }
        HubDataset.parse(hubData());
        for (int i = 0; i < published.size(); i++) {
            List<String> lacks = published.get(i).missing();
            if (!lacks.isEmpty()) {
                throw new InputException(
                        "suite entry "
                                + name
                                + ": published figure "
                                + (i + 1)
                                + " lacks "
                                + lacks
                                + " (a figure names what it measures and where it was read)");
            }
        }
        labelSet();
    }

    /** The {@code --data} value the entry stands for: {@code hf:OWNER/NAME[:CONFIG]}. */
    @JsonIgnore
    public String hubData() {
        return HubDataset.PREFIX + hub + (config == null ? "" : ":" + config);
    }

    /** The label names, in class order. */
    @JsonIgnore
    public List<String> labelNames() {
        return labels.stream().map(Label::name).toList();
    }

    /**
     * The run's labels: the names with their descriptions, and each dataset's own {@code
     * ClassLabel} name that differs as an alias (so the data's labels map, and the strict scorer
     * accepts that name as an answer).
     */
    public LabelSet labelSet() {
        var descriptions = new LinkedHashMap<String, String>();
        for (Label label : labels) {
            if (label.description() != null) {
                descriptions.put(label.name(), label.description());
            }
        }
        LabelSet set = new LabelSet(labelNames(), Map.of(), descriptions);
        for (Label label : labels) {
            if (label.className() != null && !label.className().equals(label.name())) {
                set = set.withAlias(label.className(), label.name());
            }
        }
        return set;
    }

    /** The entry's template for {@code mode}, or null when it has none (carp, knn...). */
    public String template(String mode) {
        return templates.get(mode);
    }

    /** Where a template of the entry comes from, for errors and the manifest. */
    public String templateOrigin(String mode) {
        return "suite:" + name + " (datasets/" + name + ".yaml, templates." + mode + ")";
    }
}
