package dev.llmcls.cli;

import dev.llmcls.core.InputException;
import dev.llmcls.core.Nearest;
import dev.llmcls.experiment.Cell;
import dev.llmcls.experiment.ExperimentFile;
import dev.llmcls.experiment.ExperimentFile.Setting;
import dev.llmcls.experiment.Grid;
import dev.llmcls.run.ClassifyConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns an experiment file's settings into {@code classify} runs through classify's own option
 * model: a key is an option's long name without the dashes, a value is what the option takes on the
 * command line (a list: the option repeated, or its items joined where the option splits on commas;
 * {@code true}/{@code false} for a flag), relative paths are relative to the file. So an option is
 * usable in files the day it lands. Each setting is checked on its own first (an unknown key names
 * the nearest option; a refused value gets the option's own message, at the setting's place); then
 * each cell is parsed and built exactly as {@code classify} builds a run, before anything is sent.
 */
final class CellOptions {
    /** Options the experiment sets itself, or that make no sense per cell. */
    private static final Map<String, String> RESERVED =
            Map.of(
                    "output", "the experiment writes each cell to OUTPUT-DIR/EXPERIMENT/CELL.jsonl",
                    "overwrite",
                            "a changed cell gets a new id and a new output; old outputs are kept",
                    "quiet", "give --quiet to experiment run",
                    "progress-interval", "give --progress-interval to experiment run",
                    "shard",
                            "cells are not sharded; a Slurm array runs one cell per task"
                                    + " (scripts/slurm/submit-experiment.sh)",
                    "shards",
                            "cells are not sharded; a Slurm array runs one cell per task"
                                    + " (scripts/slurm/submit-experiment.sh)",
                    "help", "not an option of a run",
                    "version", "not an option of a run");

    /**
     * Options that change how a cell is run but not its answers: where answers are stored and
     * whether they are read or refreshed, retries, timeouts, requests in flight, caches, where the
     * API key comes from. They stay out of a cell's id, so setting or changing one neither re-runs
     * nor orphans a finished cell. Every other option (data, labels, prompt, mode and method,
     * model, sampling, the server's URL, which is all that names the server before anything is
     * sent) decides the answers and is part of the id; a new option is too until it is listed here.
     */
    static final Set<String> EXECUTION_ONLY =
            Set.of(
                    "store",
                    "no-store",
                    "refresh",
                    "reuse",
                    "concurrency",
                    "timeout",
                    "connect-timeout",
                    "max-attempts",
                    "retry-delay",
                    "max-consecutive-failures",
                    "grace",
                    "api-key-env",
                    "api-key-file",
                    "dataset-cache",
                    "embedding-cache");

    /**
     * A value that names where data comes from rather than a file: {@code hf:OWNER/NAME}, {@code
     * suite:NAME}, a URL; a scheme of one letter is a Windows drive ({@code C:data.csv}), a path.
     */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

    /** classify as a builder of runs: it parses and checks like classify, and never runs. */
    static final class CellCommand extends ClassifyCommand {
        @Override
        int run(ClassifyConfig config) {
            throw new IllegalStateException("a cell is built, not run, here");
        }
    }

    /**
     * The last cell parsed and built in full, with what its replicates are built from: they differ
     * from it in the seed alone (the replicates of a combination come one after another), so they
     * take its parsed options and prepared data with their own seed and output. picocli's parse and
     * classify's checks are most of a plan's time.
     */
    private record Bundle(
            Grid.CellPlan plan, RunCommand.Prepared prepared, SortedMap<String, String> resolved) {}

    private Bundle last;

    private final ExperimentFile file;
    private final Path outputDir;
    private final CellCommand command = new CellCommand();
    private final CommandLine commandLine;
    private final Map<String, OptionSpec> options = new LinkedHashMap<>();
    private final Map<String, String> defaults = new HashMap<>();
    private final Set<Setting> checked = new HashSet<>();

    CellOptions(ExperimentFile file, Path outputDir) {
        this.file = file;
        this.outputDir = outputDir;
        commandLine = new CommandLine(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        StringWriter sink = new StringWriter();
        commandLine.setErr(new PrintWriter(sink));
        commandLine.setOut(new PrintWriter(sink));
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            String name = option.longestName();
            if (name.startsWith("--")) {
                options.put(name.substring(2), option);
            }
        }
        commandLine.parseArgs("--data", "-");
        for (Map.Entry<String, OptionSpec> entry : options.entrySet()) {
            defaults.put(entry.getKey(), canonical(entry.getValue().getValue()));
        }
    }

    /** Every option a file may set, by key. */
    Collection<String> keys() {
        return options.keySet().stream().filter(key -> !RESERVED.containsKey(key)).toList();
    }

    /**
     * The cell's run, its resolved settings and id; a setting or a combination that classify
     * refuses stops here.
     */
    Cell resolve(Grid.CellPlan plan) {
        if (last != null && sameBundle(last.plan(), plan)) {
            return replicate(plan);
        }
        last = null;
        List<String> args = new ArrayList<>();
        for (Setting setting : plan.settings()) {
            List<String> own = args(setting);
            if (checked.add(setting)) {
                check(setting, own);
            }
            args.addAll(own);
        }
        if (plan.settings().stream().noneMatch(s -> s.key().equals("data"))) {
            throw new InputException(
                    file.file()
                            + ": cell "
                            + describe(plan)
                            + " has no 'data' (set it under "
                            + "defaults or in a factor)");
        }
        Map<String, String> levels = plan.levels();
        // The id needs the settings; the output path needs the id. One parse (picocli's parse is
        // most of a plan's
        // time: it renders each option group's synopsis for a debug line), with the output set once
        // the id is known.
        List<String> full = new ArrayList<>(args);
        full.addAll(
                List.of(
                        "--output",
                        outputDir.resolve("pending.jsonl").toString(),
                        "--shard",
                        "none"));
        parse(full, plan);
        var resolved = new TreeMap<String, String>();
        for (Map.Entry<String, OptionSpec> entry : options.entrySet()) {
            String key = entry.getKey();
            if (RESERVED.containsKey(key)) {
                continue;
            }
            String value = canonical(entry.getValue().getValue());
            if (key.equals("data") || !Objects.equals(value, defaults.get(key))) {
                resolved.put(key, value);
            }
        }
        String id = Cell.id(plan, answerSettings(resolved));
        options.get("output").setValue(outputDir.resolve(id + ".jsonl"));
        if (levels.isEmpty()) {
            throw new IllegalStateException("a cell without levels");
        }
        RunCommand.Prepared prepared;
        ClassifyConfig config;
        try {
            prepared = command.prepare();
            config = command.build(prepared);
        } catch (CommandLine.ParameterException | InputException e) {
            throw new InputException(
                    file.file() + ": cell " + describe(plan) + ": " + e.getMessage(), e);
        }
        if (plan.replicate() > 0) {
            last = new Bundle(plan, prepared, resolved);
        }
        return new Cell(plan, id, config, resolved);
    }

    /**
     * Whether {@code plan} is a later replicate of {@code bundle}: the same levels and settings but
     * the seed, which replicates set.
     */
    /** The settings that decide a cell's answers, which its id is made of. */
    static SortedMap<String, String> answerSettings(SortedMap<String, String> resolved) {
        var answer = new TreeMap<>(resolved);
        answer.keySet().removeAll(EXECUTION_ONLY);
        return answer;
    }

    private static boolean sameBundle(Grid.CellPlan bundle, Grid.CellPlan plan) {
        return plan.replicate() > 1
                && plan.levels().equals(bundle.levels())
                && withoutSeed(plan.settings()).equals(withoutSeed(bundle.settings()))
                && seedOf(plan) == plan.replicate();
    }

    private static List<Setting> withoutSeed(List<Setting> settings) {
        return settings.stream().filter(s -> !s.key().equals(Grid.SEED)).toList();
    }

    private static int seedOf(Grid.CellPlan plan) {
        for (Setting setting : plan.settings()) {
            if (setting.key().equals(Grid.SEED) && setting.values().size() == 1) {
                try {
                    return Integer.parseInt(setting.values().get(0));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * A later replicate of the last bundle: its options as parsed (and checked) for the bundle's
     * first replicate, with this replicate's seed and output, built into a run of its own.
     */
    private Cell replicate(Grid.CellPlan plan) {
        OptionSpec seed = options.get(Grid.SEED);
        seed.setValue(plan.replicate());
        var resolved = new TreeMap<>(last.resolved());
        resolved.put(Grid.SEED, canonical(seed.getValue()));
        String id = Cell.id(plan, answerSettings(resolved));
        options.get("output").setValue(outputDir.resolve(id + ".jsonl"));
        try {
            return new Cell(plan, id, command.build(last.prepared()), resolved);
        } catch (CommandLine.ParameterException | InputException e) {
            throw new InputException(
                    file.file() + ": cell " + describe(plan) + ": " + e.getMessage(), e);
        }
    }

    private void parse(List<String> args, Grid.CellPlan plan) {
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new InputException(
                    file.file() + ": cell " + describe(plan) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The setting alone (with a stand-in --data when it is not the data) must parse: its own value,
     * its own place.
     */
    private void check(Setting setting, List<String> own) {
        List<String> args = new ArrayList<>(own);
        if (!setting.key().equals("data")) {
            args.addAll(List.of("--data", "-"));
        }
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new InputException(
                    setting.place() + ": " + setting.key() + ": " + e.getMessage(), e);
        }
    }

    /** The command-line words of one setting. */
    private List<String> args(Setting setting) {
        String key = setting.key();
        if (RESERVED.containsKey(key)) {
            throw new InputException(
                    setting.place()
                            + ": '"
                            + key
                            + "' cannot be set in an experiment file: "
                            + RESERVED.get(key));
        }
        OptionSpec option = options.get(key);
        if (option == null) {
            throw new InputException(
                    setting.place()
                            + ": "
                            + Nearest.unknown("option", key, keys())
                            + " (keys are classify's long option names without the dashes)");
        }
        String name = "--" + key;
        List<String> values = setting.values().stream().map(value -> path(option, value)).toList();
        if (option.arity().max() == 0) {
            String value = values.size() == 1 ? values.get(0) : "";
            if (value.equalsIgnoreCase("true")) {
                return List.of(name);
            }
            if (value.equalsIgnoreCase("false")) {
                return List.of();
            }
            throw new InputException(
                    setting.place()
                            + ": "
                            + key
                            + " is a switch: true or false, got '"
                            + setting.text()
                            + "'");
        }
        if (values.isEmpty()) {
            throw new InputException(setting.place() + ": " + key + " needs a value");
        }
        if (setting.list() && !option.isMultiValue()) {
            throw new InputException(
                    setting.place()
                            + ": "
                            + key
                            + " takes one value, got a list of "
                            + values.size());
        }
        List<String> args = new ArrayList<>();
        if (setting.list() && option.splitRegex() != null && !option.splitRegex().isEmpty()) {
            return List.of(name, String.join(",", values));
        }
        for (String value : values) {
            args.add(name);
            args.add(value);
        }
        return args;
    }

    /**
     * A relative path in the file is relative to the file (its folder); a value with a scheme
     * ({@code hf:OWNER/NAME}) is not a path.
     */
    private String path(OptionSpec option, String value) {
        boolean isPath =
                option.type() == Path.class
                        || (option.isMultiValue()
                                && option.auxiliaryTypes().length > 0
                                && option.auxiliaryTypes()[0] == Path.class)
                        || "DIR".equals(option.paramLabel())
                        || "FILE".equals(option.paramLabel());
        return isPath ? relativeToFile(file.directory(), value) : value;
    }

    /**
     * A path value of the file resolved against its folder; {@code none}, {@code -} (stdin), an
     * absolute path and a value with a scheme ({@code hf:OWNER/NAME}, {@code suite:NAME}) as
     * written.
     */
    static String relativeToFile(Path directory, String value) {
        if (value.equalsIgnoreCase("none")
                || value.equals("-")
                || SCHEME.matcher(value).matches()) {
            return value;
        }
        Path path = Path.of(value);
        return path.isAbsolute() ? value : directory.resolve(path).normalize().toString();
    }

    /**
     * An option's value as text for the id: paths relative to the file's folder, lists joined by
     * commas.
     */
    private String canonical(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Path path) {
            if (SCHEME.matcher(path.toString()).matches()) {
                return path.toString();
            }
            Path absolute = path.toAbsolutePath().normalize();
            String relative =
                    absolute.startsWith(file.directory())
                            ? file.directory().relativize(absolute).toString()
                            : absolute.toString();
            return relative.replace('\\', '/');
        }
        if (value instanceof Collection<?> items) {
            List<String> parts = new ArrayList<>();
            items.forEach(item -> parts.add(canonical(item)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    static String describe(Grid.CellPlan plan) {
        var parts = new ArrayList<String>();
        plan.levels().forEach((factor, level) -> parts.add(factor + "=" + level));
        if (plan.replicate() > 0) {
            parts.add(Grid.REPLICATE + "=" + plan.replicate());
        }
        return "#" + (plan.index() + 1) + " (" + String.join(", ", parts) + ")";
    }
}
