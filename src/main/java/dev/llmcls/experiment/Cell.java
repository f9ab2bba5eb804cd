package dev.llmcls.experiment;

import dev.llmcls.core.Sha256;
import dev.llmcls.run.ClassifyConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A cell of the study, resolved: its plan (position, levels, replicate), its id, the run it is, and
 * its {@code resolved} settings: every classify option whose value differs from the option's
 * default, as text (paths relative to the experiment file), sorted by option name. The id is
 * derived from those settings, so a cell whose settings change gets a new id (and a new output) and
 * a cell that did not change keeps its output.
 */
public record Cell(
        Grid.CellPlan plan, String id, ClassifyConfig config, SortedMap<String, String> resolved) {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9.-]+");
    private static final int LONGEST_LEVEL = 24;

    public Cell {
        resolved = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(resolved));
    }

    public int index() {
        return plan.index();
    }

    public Map<String, String> levels() {
        return plan.levels();
    }

    public int replicate() {
        return plan.replicate();
    }

    public Path output() {
        return config.output().file();
    }

    /**
     * The data set the cell classifies, as the file wrote it (the leaderboards are per data set).
     */
    public String dataset() {
        return resolved.getOrDefault("data", config.input().data().file().toString());
    }

    /**
     * The id: the cell's level names (and {@code rN} for a replicate) for a reader, then eight hex
     * digits of the SHA-256 of its resolved settings for the machine; e.g. {@code
     * basic_glm4_r1-3fa9c2d1}.
     */
    public static String id(Grid.CellPlan plan, SortedMap<String, String> resolved) {
        var readable = new StringBuilder();
        for (String level : plan.levels().values()) {
            String safe = UNSAFE.matcher(level).replaceAll("-");
            safe = safe.length() > LONGEST_LEVEL ? safe.substring(0, LONGEST_LEVEL) : safe;
            readable.append(readable.length() == 0 ? "" : "_").append(safe);
        }
        if (plan.replicate() > 0) {
            readable.append(readable.length() == 0 ? "" : "_").append('r').append(plan.replicate());
        }
        var canonical = new StringBuilder();
        resolved.forEach(
                (key, value) -> canonical.append(key).append('=').append(value).append('\n'));
        String hash = Sha256.hex(canonical.toString()).substring(0, 8);
        return readable.length() == 0 ? hash : readable + "-" + hash;
    }
}
