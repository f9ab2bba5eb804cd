package dev.llmcls.cli;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Datasets;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.suite.SuiteEntry;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;

/**
 * What {@code classify}, {@code batch export} and {@code batch import} share: the sections that
 * describe a run (data, method, model and sampling, the shard, output) and turning them into a
 * {@link ClassifyConfig}. Each command adds the sections of its own: classify its server and
 * execution, batch export its batch files.
 *
 * <p>The sections are picocli argument groups that are not validated ({@code validate = false}):
 * they only give the help its headings; {@link OptionRules} checks the values, the same way for
 * every command.
 */
abstract class RunCommand implements Callable<Integer> {
    /** The order of the help's sections. */
    static final int DATA = 1;

    static final int METHOD = 2;
    static final int SAMPLING = 3;
    static final int SERVER = 4;
    static final int EXECUTION = 5;
    static final int STORE = 6;
    static final int OUTPUT = 7;
    static final int BATCH_FILES = 8;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = "Data:%n", order = DATA)
    DataOptions data = new DataOptions();

    @ArgGroup(validate = false, heading = "Method:%n", order = METHOD)
    MethodOptions method = new MethodOptions();

    @ArgGroup(validate = false, heading = "Model and sampling:%n", order = SAMPLING)
    SamplingOptions sampling = new SamplingOptions();

    @ArgGroup(validate = false, heading = "Answer store:%n", order = STORE)
    StoreOptions store = new StoreOptions();

    @ArgGroup(validate = false, heading = "Output:%n", order = OUTPUT)
    OutputOptions output = new OutputOptions();

    /**
     * The command's shard options: classify's whole execution section, or batch files' shard alone.
     */
    abstract ShardOptions shard();

    /** Where requests go; batch files send none. */
    abstract ClassifyConfig.Servers servers();

    abstract ClassifyConfig.Execution execution();

    /** Runs the configured job. */
    abstract int run(ClassifyConfig config);

    @Override
    public Integer call() {
        return run(build(prepare()));
    }

    /**
     * What a run is built from besides the seed: the options checked by {@link OptionRules}, the
     * Hub dataset fetched, the prompt read and the data's labels; whether the data is multi-label
     * and the shard are found by the first {@link #build} (in the order classify always checked
     * them) and kept. {@code experiment plan} prepares a bundle of settings once and builds its
     * replicates (which differ in {@code --seed} alone) from it.
     */
    static final class Prepared {
        private final PromptTemplate template;
        private final List<String> fields;
        private final DatasetSpec dataSpec;
        private final LabelSet labels;
        private final dev.llmcls.runfile.Manifest.Hub hub;

        /** Whether the prompt is a suite entry's (as a --prompt, the user's choice of prompt). */
        private final boolean entryPrompt;

        private Boolean multiLabel;
        private ShardOptions.Resolved shard;

        Prepared(
                PromptTemplate template,
                List<String> fields,
                DatasetSpec dataSpec,
                LabelSet labels,
                dev.llmcls.runfile.Manifest.Hub hub,
                boolean entryPrompt) {
            this.template = template;
            this.fields = fields;
            this.dataSpec = dataSpec;
            this.labels = labels;
            this.hub = hub;
            this.entryPrompt = entryPrompt;
        }

        private boolean multiLabel() {
            if (multiLabel == null) {
                multiLabel = Datasets.multiLabel(dataSpec, labels);
            }
            return multiLabel;
        }
    }

    Prepared prepare() {
        OptionRules.check(spec.commandLine());
        SuiteEntry suite = data.useSuite(spec.commandLine().getParseResult());
        data.fetchHubData(
                line -> {
                    if (!output.quiet) {
                        spec.commandLine().getErr().println(line);
                        spec.commandLine().getErr().flush();
                    }
                });
        // a suite entry's prompt for the mode, unless --prompt names another
        String entryPrompt =
                suite == null || method.prompt != null || method.mode.embedded()
                        ? null
                        : suite.template(method.mode.toString());
        PromptTemplate template =
                entryPrompt != null
                        ? PromptTemplate.parse(
                                entryPrompt, suite.templateOrigin(method.mode.toString()), null)
                        : method.template();
        List<String> fields = template == null ? List.of() : template.dataFields(data.textField);
        DatasetSpec dataSpec = data.datasetSpec(fields);
        LabelSet labels = data.labelSet(dataSpec, spec.commandLine().getParseResult());
        return new Prepared(template, fields, dataSpec, labels, data.hub(), entryPrompt != null);
    }

    /**
     * The run from {@code prepared} and the options as they are now (the seed, the output); each
     * call builds new method objects, so no two runs share one.
     */
    ClassifyConfig build(Prepared prepared) {
        PromptTemplate template = prepared.template;
        Method built =
                method.method(
                        spec.commandLine(),
                        template == null ? null : template.renderingAsText(data.textField),
                        sampling.seed,
                        data.textField,
                        data.labelField,
                        prepared.fields,
                        prepared.labels);
        built =
                method.forData(
                        spec.commandLine(),
                        built,
                        method.mode,
                        method.prompt != null || prepared.entryPrompt,
                        prepared.multiLabel(),
                        prepared.labels,
                        data.labelSeparator);
        if (prepared.shard == null) {
            prepared.shard = shard().resolve(spec.commandLine(), System.getenv());
        }
        ShardOptions.Resolved shard = prepared.shard;
        Path runOutput =
                output.output != null ? output.output : Path.of("output", method.mode + ".jsonl");
        if (shard.shard() != null) {
            runOutput = shard.shard().outputFor(runOutput);
            if (!output.quiet) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "shard "
                                        + shard.shard()
                                        + " (from "
                                        + shard.origin()
                                        + "): "
                                        + "writing "
                                        + runOutput);
                spec.commandLine().getErr().flush();
            }
        }
        return new ClassifyConfig(
                method.mode,
                new ClassifyConfig.Input(
                        prepared.dataSpec,
                        prepared.labels,
                        data.limit,
                        shard.shard(),
                        data.truncation(),
                        prepared.hub),
                built,
                servers(),
                execution(),
                new ClassifyConfig.Output(
                        runOutput,
                        output.overwrite,
                        new ClassifyConfig.Progress(
                                output.quiet,
                                Terminal.stderrIsTerminal(),
                                output.progressInterval)),
                store.settings(System.getenv(), System.getProperty("user.home")));
    }

    /** The sampling asked for, sent to {@code servers}. */
    ClassifyConfig.Servers servers(
            java.util.List<dev.llmcls.llm.ServerConfig> servers, Integer concurrency) {
        return new ClassifyConfig.Servers(
                servers,
                sampling.model,
                sampling.temperature,
                sampling.maxTokens,
                sampling.seed,
                sampling.stopTokens(spec.commandLine()),
                concurrency);
    }
}
