package dev.llmcls.multilabel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.core.TextFiles;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.Shard;
import dev.llmcls.label.StrictRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads the records of a multi-label run: {@code gold} is the list of gold label names; the
 * answer's set is the record's {@code labels} (what classify read from the answer, or likelihood
 * scoring's labels above the threshold) or, in a record without it, {@link StrictRule#predictAll}
 * of its {@code output} with the evaluation's labels and aliases. A record with an {@code error}
 * (or neither {@code output} nor {@code labels}) failed. As in the single-label evaluation, the
 * newest record of an id counts, and a half-written last line is skipped.
 */
public final class MultiLabelRecords {
    /** Answers longer than this are cut in the report's example list. */
    static final int MAX_OUTPUT = 4000;

    private MultiLabelRecords() {}

    /** One file of a run; with a {@code shard}, every record's id must belong to that shard. */
    public record Part(Path file, Shard shard) {}

    /**
     * Whether the file's first record lists its gold labels (a multi-label run); false for an empty
     * file.
     */
    public static boolean isMultiLabel(Path file) {
        try (BufferedReader reader = TextFiles.newReader(file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    try {
                        JsonNode gold = Json.MAPPER.readTree(line).get("gold");
                        return gold != null && gold.isArray();
                    } catch (JsonProcessingException e) {
                        return false; // the scoring reports the malformed line, naming it
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** What one record says, in label indices; {@code answer} null when it failed. */
    private record Entry(
            SortedSet<Integer> gold,
            SortedSet<Integer> answer,
            double[] probabilities,
            String text,
            String output,
            String error) {}

    /**
     * Scores one run (its files in order, the newest record of an id counting); {@code vocabulary}:
     * the run's labels with the aliases answers are read with; {@code wrongLimit}: how many wrong
     * examples to keep for the report.
     */
    public static MultiLabelRun evaluate(
            String name, List<Part> parts, LabelSet vocabulary, int wrongLimit) {
        var scorer = new StrictRule(vocabulary);
        Map<String, Entry> newest = new LinkedHashMap<>();
        int truncated = 0;
        for (Part part : parts) {
            truncated += read(part, vocabulary, scorer, wrongLimit > 0, newest);
        }
        var tally = new MultiLabelTally(vocabulary.names());
        var wrong = new ArrayList<MultiLabelRun.Wrong>();
        long wrongTotal = 0;
        for (var entry : newest.entrySet()) {
            Entry e = entry.getValue();
            tally.add(e.gold(), e.answer(), e.probabilities());
            if (e.answer() == null || !e.answer().equals(e.gold())) {
                wrongTotal++;
                if (wrong.size() < wrongLimit) {
                    wrong.add(
                            new MultiLabelRun.Wrong(
                                    entry.getKey(),
                                    e.text(),
                                    names(vocabulary, e.gold()),
                                    e.answer() == null ? null : names(vocabulary, e.answer()),
                                    e.output(),
                                    e.error()));
                }
            }
        }
        return new MultiLabelRun(
                name, vocabulary.names(), tally.metrics(), wrong, wrongTotal, truncated);
    }

    private static int read(
            Part part,
            LabelSet vocabulary,
            StrictRule scorer,
            boolean keepTexts,
            Map<String, Entry> newest) {
        Path file = part.file();
        try (BufferedReader reader = TextFiles.newReader(file)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    if (reader.readLine() == null && !endsWithNewline(file)) {
                        return 1; // what a run killed mid-write leaves
                    }
                    throw InputException.at(
                            file, number, "not a JSON record: " + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) {
                    throw InputException.at(file, number, "expected a JSON object");
                }
                String id = text(node, "id");
                if (id == null) {
                    throw InputException.at(file, number, "record has no \"id\"");
                }
                if (part.shard() != null && !part.shard().contains(id)) {
                    throw InputException.at(
                            file,
                            number,
                            "example '"
                                    + id
                                    + "' does not belong to shard "
                                    + part.shard()
                                    + " ("
                                    + Shard.RULE
                                    + "), so this file is not that shard's output");
                }
                newest.remove(
                        id); // re-inserted last: the report lists examples in the order of their
                // newest record
                newest.put(id, entry(node, file, number, vocabulary, scorer, keepTexts));
            }
            return 0;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(
            JsonNode node,
            Path file,
            long line,
            LabelSet vocabulary,
            StrictRule scorer,
            boolean keepTexts) {
        JsonNode gold = node.get("gold");
        if (gold == null || !gold.isArray()) {
            throw InputException.at(
                    file,
                    line,
                    "\"gold\" is "
                            + (gold == null || gold.isNull() ? "missing" : "a single label")
                            + ", but this is a multi-label run (its first record lists its gold"
                            + " labels)");
        }
        SortedSet<Integer> goldSet = indices(gold, "gold", file, line, vocabulary);
        String output = text(node, "output");
        String error = text(node, "error");
        JsonNode labels = node.get("labels");
        boolean hasLabels = labels != null && !labels.isNull();
        SortedSet<Integer> answer = null;
        if (error == null && hasLabels) {
            if (!labels.isArray()) {
                throw InputException.at(file, line, "\"labels\" must be a list of label names");
            }
            answer = indices(labels, "labels", file, line, vocabulary);
        } else if (error == null && output != null) {
            answer = scorer.predictAll(output);
        }
        double[] probabilities = null;
        JsonNode probs = node.get("label_probs");
        if (error == null && probs != null && probs.isObject()) {
            probabilities = new double[vocabulary.size()];
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) probs::fields) {
                int index =
                        vocabulary
                                .indexOf(field.getKey())
                                .orElseThrow(
                                        () ->
                                                InputException.at(
                                                        file,
                                                        line,
                                                        "label_probs names '"
                                                                + field.getKey()
                                                                + "', which is not in the label"
                                                                + " list "
                                                                + vocabulary.names()));
                probabilities[index] = field.getValue().asDouble();
            }
        }
        return new Entry(
                goldSet,
                answer,
                probabilities,
                keepTexts ? text(node, "text") : null,
                keepTexts ? abbreviate(output) : null,
                error);
    }

    private static SortedSet<Integer> indices(
            JsonNode list, String field, Path file, long line, LabelSet vocabulary) {
        var set = new TreeSet<Integer>();
        for (JsonNode element : list) {
            String name = element.isTextual() ? element.asText() : null;
            Integer index = name == null ? null : vocabulary.indexOf(name).orElse(null);
            if (index == null) {
                throw InputException.at(
                        file,
                        line,
                        field
                                + " label "
                                + element
                                + " is not in the label list "
                                + vocabulary.names()
                                + " (give the run's labels with --labels)");
            }
            set.add(index);
        }
        return set;
    }

    private static List<String> names(LabelSet vocabulary, Set<Integer> indices) {
        return indices.stream().sorted().map(vocabulary::name).toList();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String abbreviate(String output) {
        return output == null || output.length() <= MAX_OUTPUT
                ? output
                : output.substring(0, MAX_OUTPUT) + "…";
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            var last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }
}
