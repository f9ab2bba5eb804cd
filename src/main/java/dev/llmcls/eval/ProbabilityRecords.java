package dev.llmcls.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmcls.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what calibration needs from a run's records: gold, decided label, {@code label_probs},
 * {@code confidence}, {@code labels_unlisted} and {@code vote_share}, the newest record of each id.
 * Only runs whose records carry probabilities keep anything. A half-written last line (a killed
 * run) is ignored, as everywhere else in {@code evaluate}.
 */
public final class ProbabilityRecords {
    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * One example: gold and predicted label indexes (-1 for none), distribution, confidence, vote
     * share, and {@code labels_unlisted} (null in records that do not carry it).
     */
    public record Entry(
            int gold,
            int predicted,
            double[] distribution,
            Double confidence,
            Double voteShare,
            Integer unlisted) {}

    private ProbabilityRecords() {}

    /**
     * The newest record per id, in first-seen order; empty when no record carries probabilities.
     */
    public static Map<String, Entry> read(Path file, List<String> labels) {
        var entries = new LinkedHashMap<String, Entry>();
        boolean any = false;
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = FACTORY.createParser(in)) {
            while (true) {
                JsonToken first;
                try {
                    first = parser.nextToken();
                    if (first == null) {
                        break;
                    }
                    if (first != JsonToken.START_OBJECT) {
                        throw InputException.at(
                                file,
                                parser.currentLocation().getLineNr(),
                                "expected a JSON object");
                    }
                    String id = null;
                    String gold = null;
                    String label = null;
                    String error = null;
                    double[] distribution = null;
                    Double confidence = null;
                    Double voteShare = null;
                    Integer unlisted = null;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        switch (field) {
                            case "id" ->
                                    id = value == JsonToken.VALUE_NULL ? null : parser.getText();
                            case "gold" ->
                                    gold = value == JsonToken.VALUE_NULL ? null : parser.getText();
                            case "label" ->
                                    label = value == JsonToken.VALUE_NULL ? null : parser.getText();
                            case "error" ->
                                    error = value == JsonToken.VALUE_NULL ? null : parser.getText();
                            case "label_probs" ->
                                    distribution = distribution(parser, value, labels);
                            case "confidence" -> confidence = number(parser, value);
                            case "vote_share" -> voteShare = number(parser, value);
                            case "labels_unlisted" ->
                                    unlisted =
                                            value == JsonToken.VALUE_NUMBER_INT
                                                    ? parser.getIntValue()
                                                    : null;
                            default -> parser.skipChildren();
                        }
                    }
                    if (id == null) {
                        continue;
                    }
                    any |= distribution != null || confidence != null || voteShare != null;
                    entries.put(
                            id,
                            new Entry(
                                    labels.indexOf(gold),
                                    error != null || label == null ? -1 : labels.indexOf(label),
                                    error != null ? null : distribution,
                                    error != null ? null : confidence,
                                    error != null ? null : voteShare,
                                    error != null ? null : unlisted));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    if (endsWithNewline(file)) {
                        throw InputException.at(
                                file,
                                e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                                "not a JSON record: " + e.getOriginalMessage());
                    }
                    break; // the half-written last line of a killed run
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return any ? entries : Map.of();
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            if (channel.size() == 0) {
                return true;
            }
            var last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) == '\n';
        }
    }

    private static double[] distribution(JsonParser parser, JsonToken value, List<String> labels)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        double[] p = new double[labels.size()];
        java.util.Arrays.fill(p, Double.NaN);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            int index = labels.indexOf(name);
            if (index >= 0) {
                p[index] = parser.getDoubleValue();
            }
        }
        double total = 0;
        for (double v : p) {
            if (Double.isNaN(v) || v < 0) {
                return null; // written with other labels, or not a distribution
            }
            total += v;
        }
        return total > 0 ? p : null;
    }

    private static Double number(JsonParser parser, JsonToken value) throws IOException {
        return value.isNumeric() ? parser.getDoubleValue() : null;
    }
}
