package dev.llmcls.experiment;

import dev.llmcls.experiment.ExperimentFile.Exclusion;
import dev.llmcls.experiment.ExperimentFile.Factor;
import dev.llmcls.experiment.ExperimentFile.Level;
import dev.llmcls.experiment.ExperimentFile.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of an experiment: every combination of the factors' levels (the first factor varies
 * slowest), each {@code replicates} times with {@code seed} 1..N, less the excluded combinations.
 * Refuses two factors that set the same option (which level would win is not for the file to leave
 * open) and a grid with no cell.
 */
public final class Grid {
    /** The factor name replicates appear under in reports. */
    public static final String REPLICATE = "replicate";

    /** The option replicates set: replicate N has {@code seed: N}. */
    public static final String SEED = "seed";

    private Grid() {}

    /**
     * A cell before its options are resolved: its position, its level of each factor (in factor
     * order), its replicate (1-based; 0 when the file has none) and its settings (the defaults,
     * overridden by its levels').
     */
    public record CellPlan(
            int index, Map<String, String> levels, int replicate, List<Setting> settings) {
        public CellPlan {
            levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
            settings = List.copyOf(settings);
        }
    }

    public static List<CellPlan> cells(ExperimentFile file) {
        checkConflicts(file);
        List<CellPlan> cells = new ArrayList<>();
        expand(file, 0, new ArrayList<>(), cells);
        if (cells.isEmpty()) {
            throw ExperimentFile.error(
                    file.exclusions().get(0).place(),
                    "the grid is empty: every combination " + "is excluded");
        }
        return cells;
    }

    private static void expand(
            ExperimentFile file, int factor, List<Level> chosen, List<CellPlan> cells) {
        if (factor == file.factors().size()) {
            Map<String, String> levels = new LinkedHashMap<>();
            for (int i = 0; i < chosen.size(); i++) {
                levels.put(file.factors().get(i).name(), chosen.get(i).name());
            }
            if (excluded(levels, file.exclusions())) {
                return;
            }
            int replicates = file.replicates();
            for (int replicate = 1; replicate <= replicates; replicate++) {
                Map<String, Setting> settings = new LinkedHashMap<>();
                file.defaults().forEach(setting -> settings.put(setting.key(), setting));
                chosen.forEach(
                        level ->
                                level.settings()
                                        .forEach(setting -> settings.put(setting.key(), setting)));
                if (replicates > 1) {
                    settings.put(
                            SEED,
                            new Setting(
                                    SEED,
                                    List.of(Integer.toString(replicate)),
                                    false,
                                    file.replicatesPlace()));
                }
                cells.add(
                        new CellPlan(
                                cells.size(),
                                levels,
                                replicates > 1 ? replicate : 0,
                                List.copyOf(settings.values())));
            }
            return;
        }
        for (Level level : file.factors().get(factor).levels()) {
            chosen.add(level);
            expand(file, factor + 1, chosen, cells);
            chosen.remove(chosen.size() - 1);
        }
    }

    private static boolean excluded(Map<String, String> levels, List<Exclusion> exclusions) {
        for (Exclusion exclusion : exclusions) {
            if (exclusion.levels().entrySet().stream()
                    .allMatch(e -> e.getValue().equals(levels.get(e.getKey())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Two factors may not set one option; nor may a factor or the defaults set the seed that
     * replicates set.
     */
    private static void checkConflicts(ExperimentFile file) {
        Map<String, Factor> setBy = new LinkedHashMap<>();
        Map<String, Place> firstPlace = new LinkedHashMap<>();
        for (Factor factor : file.factors()) {
            Map<String, Place> keys = new LinkedHashMap<>();
            for (Level level : factor.levels()) {
                level.settings()
                        .forEach(setting -> keys.putIfAbsent(setting.key(), setting.place()));
            }
            for (Map.Entry<String, Place> key : keys.entrySet()) {
                Factor other = setBy.putIfAbsent(key.getKey(), factor);
                if (other != null) {
                    throw ExperimentFile.error(
                            key.getValue(),
                            "factors '"
                                    + other.name()
                                    + "' and '"
                                    + factor.name()
                                    + "' both set the option '"
                                    + key.getKey()
                                    + "' (also at "
                                    + firstPlace.get(key.getKey())
                                    + "); a cell would have two values for it");
                }
                firstPlace.put(key.getKey(), key.getValue());
            }
        }
        if (file.replicates() > 1) {
            Place seed = firstPlace.get(SEED);
            for (Setting setting : file.defaults()) {
                if (setting.key().equals(SEED)) {
                    seed = setting.place();
                }
            }
            if (seed != null) {
                throw ExperimentFile.error(
                        seed,
                        "'seed' is set here and by 'replicates: "
                                + file.replicates()
                                + "' (which gives the cells seeds 1.."
                                + file.replicates()
                                + "); keep one of them");
            }
        }
    }
}
