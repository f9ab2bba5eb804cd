package dev.llmcls.cli;

import dev.llmcls.core.InputException;
import dev.llmcls.data.Truncation;
import dev.llmcls.label.Constraint;
import dev.llmcls.run.Mode;
import dev.llmcls.run.likelihood.Scoring;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which values an option takes and which options go together, in one table that every command is
 * checked against before it reads or sends anything. A rule applies to a command that has every
 * option it names, so a rule on the method options holds for {@code classify} and {@code batch
 * export} alike, and evaluate's {@code --calibrate} (which is another option of the same name) is
 * not mistaken for classify's: the classify rule also names {@code --scoring}. The first broken
 * rule is a usage error (exit 2) with its message.
 */
final class OptionRules {
    /**
     * One rule: {@code options} are the options it reads (a command lacking one of them is not
     * subject to it); {@code broken} tells whether the values break it, and {@code message} says
     * how.
     */
    record Rule(List<String> options, Predicate<Values> broken, Function<Values, String> message) {
        Rule {
            options = List.copyOf(options);
        }
    }

    /** In the order they are checked; the first broken one is reported. */
    static final List<Rule> RULES =
            List.of(
                    new Rule(
                            List.of("--data"),
                            v -> v.value("--data") == null,
                            v -> "Missing required option: '--data=FILE'"),
                    new Rule(
                            List.of("--label-separator"),
                            v ->
                                    v.value("--label-separator") != null
                                            && v.value("--label-separator").toString().isEmpty(),
                            v -> "--label-separator must not be empty"),
                    new Rule(
                            List.of("--data", "--split"),
                            v ->
                                    v.value("--split") != null
                                            && v.value("--data") != null
                                            && !v.value("--data").toString().startsWith("hf:")
                                            && !v.value("--data").toString().startsWith("suite:"),
                            v ->
                                    "--split chooses a split of a Hub dataset (--data"
                                            + " hf:OWNER/NAME or suite:NAME); "
                                            + v.value("--data")
                                            + " is a file"),
                    new Rule(
                            List.of("--truncate"),
                            v -> v.value("--truncate") != null && truncateError(v) != null,
                            OptionRules::truncateError),
                    atLeast("--max-attempts", 1),
                    atLeast("--max-tokens", 1),
                    atLeast("--limit", 1),
                    new Rule(
                            List.of("--mode", "--prompt"),
                            v -> v.mode().embedded() && v.value("--prompt") != null,
                            v ->
                                    "--mode "
                                            + v.mode()
                                            + " sends no prompt; --prompt does not apply"),
                    atLeast("--k", 1),
                    new Rule(
                            List.of("--shots"),
                            v -> v.integer("--shots") < 0,
                            v -> "--shots must be 0 or more, got " + v.integer("--shots")),
                    atLeast("--votes", 1),
                    atLeast("--top-logprobs", 1),
                    new Rule(
                            List.of("--scoring", "--votes", "--constrain", "--confidence"),
                            v ->
                                    v.likelihood()
                                            && (v.integer("--votes") > 1
                                                    || v.constrained()
                                                    || v.flag("--confidence")),
                            v ->
                                    "--scoring likelihood scores every label itself; --votes,"
                                            + " --constrain and --confidence are for generated"
                                            + " answers"),
                    new Rule(
                            List.of("--scoring", "--calibrate"),
                            v ->
                                    !v.likelihood()
                                            && v.value("--calibrate") != Scoring.Calibrate.NONE,
                            v ->
                                    "--calibrate corrects the label distributions of --scoring"
                                            + " likelihood; evaluate --calibrate applies it to a"
                                            + " likelihood run afterwards"),
                    new Rule(
                            List.of("--mode", "--scoring", "--confidence"),
                            v -> v.mode().embedded() && (v.likelihood() || v.flag("--confidence")),
                            v ->
                                    "--scoring likelihood, --confidence and --calibrate are for"
                                            + " prompting modes, not --mode "
                                            + v.mode()),
                    new Rule(
                            List.of("--mode", "--shots", "--votes", "--constrain"),
                            v ->
                                    v.mode().embedded()
                                            && (v.integer("--shots") > 0
                                                    || v.integer("--votes") > 1
                                                    || v.constrained()),
                            v ->
                                    "--shots, --votes and --constrain are for prompting modes, not"
                                            + " --mode "
                                            + v.mode()),
                    new Rule(
                            List.of("--mode", "--train"),
                            v ->
                                    (v.mode() == Mode.KNN
                                                    || v.mode() == Mode.LINEAR
                                                    || v.mode() == Mode.KNN_TFIDF)
                                            && v.value("--train") == null,
                            v -> "--mode " + v.mode() + " needs a labelled pool: --train FILE"),
                    new Rule(
                            List.of("--mode", "--votes", "--temperature"),
                            v ->
                                    !v.mode().embedded()
                                            && v.integer("--votes") > 1
                                            && ((Number) v.value("--temperature")).doubleValue()
                                                    <= 0,
                            v ->
                                    "--votes "
                                            + v.integer("--votes")
                                            + " samples several answers and needs --temperature"
                                            + " above 0"),
                    new Rule(
                            List.of("--shots", "--train"),
                            v -> v.integer("--shots") > 0 && v.value("--train") == null,
                            v ->
                                    "--shots needs a labelled pool to draw demonstrations from:"
                                            + " --train FILE"),
                    new Rule(
                            List.of("--no-store", "--refresh"),
                            v -> v.flag("--no-store") && v.flag("--refresh"),
                            v ->
                                    "--no-store and --refresh contradict each other: --refresh"
                                            + " writes the store"),
                    new Rule(
                            List.of("--no-store", "--store", "--refresh"),
                            v -> v.flag("--no-store") && v.value("--store") != null,
                            v -> "--no-store and --store contradict each other"),
                    new Rule(
                            List.of("--reuse"),
                            v ->
                                    v.value("--reuse") != null
                                            && !"sampled".equals(v.value("--reuse")),
                            v -> "--reuse takes 'sampled', got '" + v.value("--reuse") + "'"),
                    new Rule(
                            List.of("--max-lines"),
                            v ->
                                    v.value("--max-lines") != null
                                            && ((Long) v.value("--max-lines")) < 1,
                            v -> "--max-lines and --max-bytes must be at least 1"),
                    new Rule(
                            List.of("--baseline"),
                            v -> v.integer("--baseline") < 1 || v.integer("--baseline") > v.files(),
                            v ->
                                    "--baseline must be between 1 and "
                                            + v.files()
                                            + ", the number of files"),
                    new Rule(
                            List.of("--resamples"),
                            v -> v.integer("--resamples") < 2000,
                            v -> "--resamples must be at least 2000"),
                    new Rule(
                            List.of("--html-examples"),
                            v -> v.integer("--html-examples") < 0,
                            v -> "--html-examples must not be negative"));

    private OptionRules() {}

    /** Throws the usage error of the first rule that the parsed command breaks. */
    static void check(CommandLine commandLine) {
        Values values = new Values(commandLine.getCommandSpec());
        for (Rule rule : RULES) {
            if (values.hasAll(rule.options()) && rule.broken().test(values)) {
                throw new CommandLine.ParameterException(commandLine, rule.message().apply(values));
            }
        }
    }

    /** What is wrong with the value of {@code --truncate}, or null when it parses. */
    private static String truncateError(Values values) {
        try {
            Truncation.parse(values.value("--truncate").toString());
            return null;
        } catch (InputException e) {
            return e.getMessage();
        }
    }

    /**
     * {@code option} (a number, null when not given and without a default) is at least {@code
     * least}.
     */
    private static Rule atLeast(String option, int least) {
        return new Rule(
                List.of(option),
                v -> v.value(option) != null && ((Number) v.value(option)).longValue() < least,
                v -> option + " must be at least " + least + ", got " + v.value(option));
    }

    /** The parsed values of a command's options, by name. */
    static final class Values {
        private final CommandSpec spec;

        Values(CommandSpec spec) {
            this.spec = spec;
        }

        boolean hasAll(Collection<String> options) {
            return options.stream().allMatch(name -> spec.findOption(name) != null);
        }

        Object value(String option) {
            OptionSpec found = spec.findOption(option);
            if (found == null) {
                throw new IllegalArgumentException(
                        "no option " + option + " in " + spec.qualifiedName());
            }
            return found.getValue();
        }

        int integer(String option) {
            return ((Number) value(option)).intValue();
        }

        boolean flag(String option) {
            return Boolean.TRUE.equals(value(option));
        }

        Mode mode() {
            return (Mode) value("--mode");
        }

        boolean likelihood() {
            return value("--scoring") == Scoring.Kind.LIKELIHOOD;
        }

        boolean constrained() {
            return value("--constrain") != Constraint.NONE;
        }

        /** How many values the command's first positional parameters have (evaluate's FILEs). */
        int files() {
            Object files = spec.positionalParameters().get(0).getValue();
            return files instanceof Collection<?> list ? list.size() : 0;
        }
    }
}
