package dev.llmcls.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.eval.Comparison;
import dev.llmcls.eval.Evaluation;
import dev.llmcls.eval.Evaluator;
import dev.llmcls.eval.Interval;
import dev.llmcls.eval.RunEvaluation;
import dev.llmcls.eval.ScorerResult;
import dev.llmcls.eval.Scorers;
import dev.llmcls.runfile.Manifest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One study, scored: per data set a leaderboard of its cells (accuracy with its Wilson interval,
 * macro-F1, the seed's rule, errors, tokens, wall time), the replicates' mean and spread, and the
 * effect of each factor: every cell at the factor's first level paired with the cell that differs
 * from it in that factor only (same other levels, same replicate), compared over the examples both
 * answered (exact McNemar, paired bootstrap interval of the difference), with the p-values of the
 * whole study corrected together by {@link Holm}.
 */
@JsonPropertyOrder({
    "experiment",
    "scorer",
    "correction",
    "datasets",
    "effects",
    "factor_summaries"
})
public record StudyReport(
        String experiment,
        String scorer,
        String correction,
        List<Dataset> datasets,
        List<Effect> effects,
        @JsonProperty("factor_summaries") List<FactorSummary> factorSummaries,
        @com.fasterxml.jackson.annotation.JsonIgnore List<String> factors,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, List<String>> levels,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, RunEvaluation> runs) {

    public static final double ALPHA = 0.05;

    public StudyReport {
        runs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    }

    /**
     * A cell's row; the figures are null when the cell has no output yet ({@code status} says so).
     */
    @JsonPropertyOrder({
        "cell",
        "levels",
        "replicate",
        "status",
        "records",
        "accuracy",
        "accuracy_ci95",
        "macro_f1",
        "seed_accuracy",
        "errors",
        "prompt_tokens",
        "completion_tokens",
        "wall_seconds"
    })
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(
            String cell,
            Map<String, String> levels,
            Integer replicate,
            String status,
            Long records,
            Double accuracy,
            @JsonProperty("accuracy_ci95") Interval accuracyCi95,
            @JsonProperty("macro_f1") Double macroF1,
            @JsonProperty("seed_accuracy") Double seedAccuracy,
            Long errors,
            @JsonProperty("prompt_tokens") Long promptTokens,
            @JsonProperty("completion_tokens") Long completionTokens,
            @JsonProperty("wall_seconds") Double wallSeconds) {}

    /**
     * The replicates of one combination of levels: the mean, the sample standard deviation, each
     * replicate's.
     */
    @JsonPropertyOrder({"levels", "replicates", "mean", "sd", "accuracies"})
    public record Replicates(
            Map<String, String> levels,
            int replicates,
            double mean,
            double sd,
            List<Double> accuracies) {}

    @JsonPropertyOrder({"data", "cells"})
    public record Dataset(
            String data,
            List<Row> cells,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Replicates> replicates) {}

    /**
     * One paired comparison: {@code factor} at {@code level} against its {@code baseline} level,
     * the other factors at {@code fixed}; {@code holm_p} is the study-wide corrected p-value and
     * {@code significant} whether it is below {@link #ALPHA}.
     */
    @JsonPropertyOrder({
        "factor",
        "baseline",
        "level",
        "fixed",
        "data",
        "baseline_cell",
        "cell",
        "pairs",
        "baseline_accuracy",
        "accuracy",
        "difference",
        "difference_ci95",
        "only_baseline_right",
        "only_level_right",
        "mcnemar_p",
        "holm_p",
        "significant"
    })
    public record Effect(
            String factor,
            String baseline,
            String level,
            Map<String, String> fixed,
            String data,
            @JsonProperty("baseline_cell") String baselineCell,
            String cell,
            long pairs,
            @JsonProperty("baseline_accuracy") double baselineAccuracy,
            double accuracy,
            double difference,
            @JsonProperty("difference_ci95") Interval differenceCi95,
            @JsonProperty("only_baseline_right") long onlyBaselineRight,
            @JsonProperty("only_level_right") long onlyLevelRight,
            @JsonProperty("mcnemar_p") double mcnemarP,
            @JsonProperty("holm_p") double holmP,
            boolean significant) {}

    /**
     * Per factor and level: the comparisons made, their mean difference, how many were significant
     * after Holm.
     */
    @JsonPropertyOrder({
        "factor",
        "baseline",
        "level",
        "comparisons",
        "mean_difference",
        "significant_better",
        "significant_worse"
    })
    public record FactorSummary(
            String factor,
            String baseline,
            String level,
            int comparisons,
            @JsonProperty("mean_difference") double meanDifference,
            @JsonProperty("significant_better") int significantBetter,
            @JsonProperty("significant_worse") int significantWorse) {}

    /**
     * Scores every cell that has an output and compares them; {@code options} are the bootstrap's.
     */
    public static StudyReport of(ExperimentFile file, List<Cell> cells, Evaluator.Options options) {
        List<String> factors = file.factors().stream().map(ExperimentFile.Factor::name).toList();
        Map<String, List<String>> levels = new LinkedHashMap<>();
        file.factors().forEach(f -> levels.put(f.name(), f.levelNames()));
        Map<String, List<Cell>> byData = new LinkedHashMap<>();
        cells.forEach(
                cell -> byData.computeIfAbsent(cell.dataset(), d -> new ArrayList<>()).add(cell));
        List<Dataset> datasets = new ArrayList<>();
        List<Effect> raw = new ArrayList<>();
        Map<String, RunEvaluation> allRuns = new LinkedHashMap<>();
        for (Map.Entry<String, List<Cell>> group : byData.entrySet()) {
            List<Cell> present =
                    group.getValue().stream().filter(c -> Files.exists(c.output())).toList();
            List<Evaluator.Input> inputs =
                    present.stream()
                            .map(
                                    c ->
                                            new Evaluator.Input(
                                                    c.id(),
                                                    List.of(new Evaluator.Part(c.output(), null)),
                                                    c.config().input().labels()))
                            .toList();
            List<Pairing> pairings = pairings(file, present, factors);
            Evaluation evaluation =
                    inputs.isEmpty()
                            ? null
                            : Evaluator.evaluate(
                                    inputs, pairings.stream().map(Pairing::pair).toList(), options);
            Map<String, RunEvaluation> runs = new LinkedHashMap<>();
            for (int i = 0; i < present.size(); i++) {
                runs.put(present.get(i).id(), evaluation.runs().get(i));
            }
            allRuns.putAll(runs);
            List<Row> rows = new ArrayList<>();
            for (Cell cell : group.getValue()) {
                rows.add(row(cell, runs.get(cell.id())));
            }
            rows.sort(
                    (a, b) ->
                            Double.compare(
                                    b.accuracy() == null ? -1 : b.accuracy(),
                                    a.accuracy() == null ? -1 : a.accuracy()));
            datasets.add(new Dataset(group.getKey(), rows, replicates(group.getValue(), runs)));
            int perPair = Scorers.ALL.size();
            int primary = Scorers.indexOf(Scorers.PRIMARY);
            for (int i = 0; i < pairings.size(); i++) {
                Pairing p = pairings.get(i);
                Comparison c = evaluation.comparisons().get(i * perPair + primary);
                raw.add(
                        new Effect(
                                p.factor,
                                p.baseline,
                                p.level,
                                p.fixed,
                                group.getKey(),
                                c.baseline(),
                                c.run(),
                                c.pairs(),
                                c.baselineAccuracy(),
                                c.runAccuracy(),
                                c.difference(),
                                c.differenceCi95(),
                                c.onlyBaselineRight(),
                                c.onlyRunRight(),
                                c.mcnemarP(),
                                Double.NaN,
                                false));
            }
        }
        double[] adjusted = Holm.adjust(raw.stream().mapToDouble(Effect::mcnemarP).toArray());
        List<Effect> effects = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Effect e = raw.get(i);
            effects.add(
                    new Effect(
                            e.factor(),
                            e.baseline(),
                            e.level(),
                            e.fixed(),
                            e.data(),
                            e.baselineCell(),
                            e.cell(),
                            e.pairs(),
                            e.baselineAccuracy(),
                            e.accuracy(),
                            e.difference(),
                            e.differenceCi95(),
                            e.onlyBaselineRight(),
                            e.onlyLevelRight(),
                            e.mcnemarP(),
                            adjusted[i],
                            adjusted[i] < ALPHA));
        }
        return new StudyReport(
                file.name(),
                Scorers.PRIMARY.key(),
                Holm.NAME + " over all " + effects.size() + " comparisons of the study",
                datasets,
                effects,
                summaries(file, effects),
                factors,
                levels,
                allRuns);
    }

    private record Pairing(
            Evaluator.Pair pair,
            String factor,
            String baseline,
            String level,
            Map<String, String> fixed) {}

    /**
     * For each factor with two or more levels (and not setting the data: data sets are compared per
     * leaderboard), each cell at its first level with each cell that differs only in that factor.
     */
    private static List<Pairing> pairings(
            ExperimentFile file, List<Cell> present, List<String> factors) {
        List<Pairing> pairings = new ArrayList<>();
        for (ExperimentFile.Factor factor : file.factors()) {
            if (factor.levels().size() < 2
                    || factor.levels().stream()
                            .anyMatch(
                                    l ->
                                            l.settings().stream()
                                                    .anyMatch(s -> s.key().equals("data")))) {
                continue;
            }
            String baseline = factor.levels().get(0).name();
            for (int a = 0; a < present.size(); a++) {
                Cell base = present.get(a);
                if (!baseline.equals(base.levels().get(factor.name()))) {
                    continue;
                }
                for (int b = 0; b < present.size(); b++) {
                    Cell other = present.get(b);
                    if (b == a
                            || other.replicate() != base.replicate()
                            || other.levels().get(factor.name()).equals(baseline)
                            || !sameExcept(base, other, factor.name(), factors)) {
                        continue;
                    }
                    Map<String, String> fixed = new LinkedHashMap<>(base.levels());
                    fixed.remove(factor.name());
                    if (base.replicate() > 0) {
                        fixed.put(Grid.REPLICATE, Integer.toString(base.replicate()));
                    }
                    pairings.add(
                            new Pairing(
                                    new Evaluator.Pair(a, b),
                                    factor.name(),
                                    baseline,
                                    other.levels().get(factor.name()),
                                    fixed));
                }
            }
        }
        return pairings;
    }

    private static boolean sameExcept(Cell a, Cell b, String factor, List<String> factors) {
        for (String f : factors) {
            if (!f.equals(factor) && !Objects.equals(a.levels().get(f), b.levels().get(f))) {
                return false;
            }
        }
        return true;
    }

    private static Row row(Cell cell, RunEvaluation run) {
        Integer replicate = cell.replicate() > 0 ? cell.replicate() : null;
        Manifest manifest =
                Files.exists(cell.output())
                        ? Manifest.read(Manifest.pathFor(cell.output())).orElse(null)
                        : null;
        if (run == null) {
            return new Row(
                    cell.id(),
                    cell.levels(),
                    replicate,
                    "not run",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        ScorerResult strict = run.score(Scorers.PRIMARY);
        ScorerResult seed = run.scores().get("seed");
        Long prompt =
                run.tokens() == null
                        ? null
                        : Math.round(run.tokens().promptPerExample() * run.tokens().examples());
        Long completion =
                run.tokens() == null
                        ? null
                        : Math.round(run.tokens().completionPerExample() * run.tokens().examples());
        return new Row(
                cell.id(),
                cell.levels(),
                replicate,
                manifest == null ? "unknown" : manifest.status(),
                run.records(),
                strict.accuracy(),
                strict.accuracyCi95(),
                strict.macroF1(),
                seed == null ? null : seed.accuracy(),
                run.errors(),
                prompt,
                completion,
                wallSeconds(manifest));
    }

    private static Double wallSeconds(Manifest manifest) {
        if (manifest == null || manifest.startedAt() == null || manifest.finishedAt() == null) {
            return null;
        }
        return Duration.between(
                                Instant.parse(manifest.startedAt()),
                                Instant.parse(manifest.finishedAt()))
                        .toMillis()
                / 1000.0;
    }

    private static List<Replicates> replicates(List<Cell> cells, Map<String, RunEvaluation> runs) {
        Map<Map<String, String>, List<Double>> groups = new LinkedHashMap<>();
        for (Cell cell : cells) {
            if (cell.replicate() == 0) {
                continue;
            }
            RunEvaluation run = runs.get(cell.id());
            List<Double> list = groups.computeIfAbsent(cell.levels(), l -> new ArrayList<>());
            if (run != null) {
                list.add(run.score(Scorers.PRIMARY).accuracy());
            }
        }
        List<Replicates> result = new ArrayList<>();
        groups.forEach(
                (levels, accuracies) -> {
                    if (accuracies.isEmpty()) {
                        return;
                    }
                    double mean =
                            accuracies.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .average()
                                    .orElse(0);
                    double sd =
                            accuracies.size() < 2
                                    ? 0
                                    : Math.sqrt(
                                            accuracies.stream()
                                                            .mapToDouble(
                                                                    a -> (a - mean) * (a - mean))
                                                            .sum()
                                                    / (accuracies.size() - 1));
                    result.add(new Replicates(levels, accuracies.size(), mean, sd, accuracies));
                });
        return result;
    }

    private static List<FactorSummary> summaries(ExperimentFile file, List<Effect> effects) {
        List<FactorSummary> summaries = new ArrayList<>();
        for (ExperimentFile.Factor factor : file.factors()) {
            for (String level : factor.levelNames().subList(1, factor.levels().size())) {
                List<Effect> these =
                        effects.stream()
                                .filter(
                                        e ->
                                                e.factor().equals(factor.name())
                                                        && e.level().equals(level))
                                .toList();
                if (these.isEmpty()) {
                    continue;
                }
                summaries.add(
                        new FactorSummary(
                                factor.name(),
                                factor.levelNames().get(0),
                                level,
                                these.size(),
                                these.stream().mapToDouble(Effect::difference).average().orElse(0),
                                (int)
                                        these.stream()
                                                .filter(e -> e.significant() && e.difference() > 0)
                                                .count(),
                                (int)
                                        these.stream()
                                                .filter(e -> e.significant() && e.difference() < 0)
                                                .count()));
            }
        }
        return summaries;
    }

    /**
     * The mean accuracy of the cells at each pair of levels of two factors (over the other factors
     * and replicates), for the heat map; null where no cell has been scored.
     */
    public Double[][] heat(Dataset dataset, String rowFactor, String columnFactor) {
        List<String> rowsLevels = levels.get(rowFactor);
        List<String> columnLevels = levels.get(columnFactor);
        Double[][] heat = new Double[rowsLevels.size()][columnLevels.size()];
        for (int r = 0; r < rowsLevels.size(); r++) {
            for (int c = 0; c < columnLevels.size(); c++) {
                double sum = 0;
                int n = 0;
                for (Row row : dataset.cells()) {
                    if (row.accuracy() != null
                            && rowsLevels.get(r).equals(row.levels().get(rowFactor))
                            && columnLevels.get(c).equals(row.levels().get(columnFactor))) {
                        sum += row.accuracy();
                        n++;
                    }
                }
                heat[r][c] = n == 0 ? null : sum / n;
            }
        }
        return heat;
    }
}
