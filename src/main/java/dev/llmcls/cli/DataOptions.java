package dev.llmcls.cli;

import dev.llmcls.data.DatasetFormat;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.Truncation;
import dev.llmcls.data.hub.HubClient;
import dev.llmcls.data.hub.HubDataset;
import dev.llmcls.data.suite.Suite;
import dev.llmcls.data.suite.SuiteEntry;
import dev.llmcls.runfile.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The "Data" section of the commands that read a dataset: the file, its layout, its labels and how
 * much of it.
 */
public final class DataOptions extends LabelOptions {
    /**
     * Required: picocli shows it so, but does not check required options inside a group that is not
     * validated ({@code validate = false}), so {@link OptionRules} does.
     */
    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            order = 10,
            description =
                    "The dataset file (a directory: its Parquet files as one dataset), or"
                            + " hf:OWNER/NAME[:CONFIG][@REVISION] for a dataset on the Hugging Face"
                            + " Hub (its --split is downloaded once into the cache; @ pins a"
                            + " branch, tag or commit; HF_TOKEN, HF_ENDPOINT, HF_HUB_OFFLINE=1 and"
                            + " HF_HUB_DOWNLOAD_TIMEOUT apply), or suite:NAME for a"
                            + " dataset of the ready suite (llmcls datasets lists them: its Hub"
                            + " dataset, split, fields, labels and --mode basic/reason prompt;"
                            + " options given here win).")
    Path data;

    /** The suite entry that {@code --data suite:NAME} named; null for other data. */
    SuiteEntry suite;

    @Option(
            names = "--split",
            paramLabel = "NAME",
            order = 17,
            description = "The split of a Hub dataset (--data hf:...) to classify. Default: test.")
    String split;

    @Option(
            names = "--dataset-cache",
            paramLabel = "DIR",
            order = 18,
            description =
                    "Where Hub datasets are kept (default: $LLMCLS_CACHE/datasets, else"
                            + " ~/.cache/llmcls/datasets).")
    Path datasetCache;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            order = 11,
            description =
                    "Dataset layout: ${COMPLETION-CANDIDATES} (default: detected from the file).")
    DatasetFormat format;

    @Option(
            names = "--text-field",
            paramLabel = "NAME",
            order = 12,
            defaultValue = DatasetSpec.DEFAULT_TEXT_FIELD,
            description =
                    "Column or field holding the text (csv, jsonl, parquet). Default:"
                            + " ${DEFAULT-VALUE}.")
    String textField;

    @Option(
            names = "--label-field",
            paramLabel = "NAME",
            order = 13,
            defaultValue = DatasetSpec.DEFAULT_LABEL_FIELD,
            description =
                    "Column or field holding the gold label: an index into the labels or a label"
                            + " name. Default: ${DEFAULT-VALUE}.")
    String labelField;

    @Option(
            names = "--id-field",
            paramLabel = "NAME",
            order = 14,
            description =
                    "Column or field holding a unique example id (default: the 0-based row index).")
    String idField;

    @Option(
            names = "--label-separator",
            paramLabel = "SEP",
            order = 15,
            description =
                    "A CSV label cell lists several labels split by SEP (e.g. ';'): multi-label"
                        + " data, as a JSONL label that is an array is. Use --mode multi-label for"
                        + " it.")
    String labelSeparator;

    @Option(
            names = "--truncate",
            paramLabel = "UNIT:N[:WHERE]",
            order = 16,
            description =
                    "Cut each text to at most N chars or tokens before it is sent (tokens counted"
                        + " by the server's /tokenize, else estimated at 4 chars each), from the"
                        + " end (default) or the middle: chars:2000, tokens:480:middle. Each cut is"
                        + " recorded with the original length. Default: none (a text too long for"
                        + " the model is that example's error).")
    String truncate;

    @Option(
            names = "--limit",
            paramLabel = "N",
            order = 30,
            description = "Classify only the first N examples.")
    Long limit;

    /** Set by {@link #fetchHubData} for {@code --data hf:...}. */
    private Manifest.Hub hub;

    /**
     * For {@code --data suite:NAME}: points {@code --data} at the entry's Hub dataset and takes its
     * split, text, label and id fields where the command line gives none (what the user gives
     * wins); the entry's labels and prompts are taken by {@link #labelSet} and the run. An unknown
     * name is an input error naming the nearest.
     */
    SuiteEntry useSuite(CommandLine.ParseResult parsed) {
        suite = null;
        if (data == null || !Suite.names(data.toString())) {
            return null;
        }
        suite = Suite.installed().entry(data.toString());
        data = Path.of(suite.hubData());
        if (split == null) {
            split = suite.split();
        }
        if (!parsed.hasMatchedOption("--text-field")) {
            textField = suite.textField();
        }
        if (!parsed.hasMatchedOption("--label-field")) {
            labelField = suite.labelField();
        }
        if (!parsed.hasMatchedOption("--id-field")) {
            idField = suite.idField();
        }
        return suite;
    }

    /**
     * For {@code --data hf:...}: fetches the split (once; the cache keeps it) and points {@code
     * --data} at its local Parquet file, whose path names the commit it came from, as the run's
     * manifest then records it.
     */
    void fetchHubData(Consumer<String> log) {
        if (data == null || !HubDataset.names(data.toString())) {
            return;
        }
        HubDataset dataset = HubDataset.parse(data.toString());
        String splitName = split == null ? "test" : split;
        var fetched =
                HubClient.fromEnvironment(
                                System.getenv(), datasetCache, System.getProperty("user.home"))
                        .fetch(dataset, splitName, log);
        data = fetched.file();
        hub = new Manifest.Hub(dataset.toString(), splitName, fetched.revision(), fetched.commit());
    }

    /** The Hub dataset {@code --data} was fetched from; null for a local file. */
    Manifest.Hub hub() {
        return hub;
    }

    /** The dataset, with the other fields the prompt uses ({@code {hypothesis}}, ...). */
    DatasetSpec datasetSpec(List<String> fields) {
        return new DatasetSpec(
                data, format, textField, labelField, idField, labelSeparator, fields);
    }

    /**
     * The labels given by --labels or --labels-file; without either, a suite entry's, else those a
     * Parquet file's {@code ClassLabel} metadata gives its label column, else the default list.
     */
    LabelSet labelSet(DatasetSpec dataSpec, CommandLine.ParseResult parsed) {
        if (given(parsed)) {
            return labelSet();
        }
        if (suite != null) {
            return suite.labelSet();
        }
        return DatasetReader.classLabelNames(dataSpec).map(LabelSet::new).orElseGet(this::labelSet);
    }

    /**
     * The {@code --truncate} setting, null for none (its syntax was checked by {@link
     * OptionRules}).
     */
    Truncation truncation() {
        return truncate == null ? null : Truncation.parse(truncate);
    }
}
