package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.AtomicFiles;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a run was, written beside its JSONL as {@code FILE.manifest.json}: enough to tell whether
 * two runs asked the same question, and to reproduce one. Never holds the API key.
 */
@JsonPropertyOrder({
    "tool_version",
    "run_id",
    "mode",
    "labels",
    "template",
    "model",
    "base_urls",
    "sampling",
    "data",
    "shard",
    "concurrency",
    "store",
    "counts",
    "status",
    "stop_reason",
    "started_at",
    "finished_at"
})
public record Manifest(
        @JsonProperty("tool_version") String toolVersion,
        String mode,
        List<String> labels,
        Template template,
        String model,
        @JsonProperty("base_urls") List<String> baseUrls,
        RunSettings sampling,
        Data data,
        Counts counts,
        String status,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) ShardInfo shard,
        @JsonInclude(JsonInclude.Include.NON_NULL) Concurrency concurrency,
        @JsonProperty("run_id") @JsonInclude(JsonInclude.Include.NON_NULL) String runId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Store store) {

    /** A manifest with no run id and no answer store. */
    public Manifest(
            String toolVersion,
            String mode,
            List<String> labels,
            Template template,
            String model,
            List<String> baseUrls,
            RunSettings sampling,
            Data data,
            Counts counts,
            String status,
            String stopReason,
            String startedAt,
            String finishedAt,
            ShardInfo shard,
            Concurrency concurrency) {
        this(
                toolVersion,
                mode,
                labels,
                template,
                model,
                baseUrls,
                sampling,
                data,
                counts,
                status,
                stopReason,
                startedAt,
                finishedAt,
                shard,
                concurrency,
                null,
                null);
    }

    /** A manifest of an unsharded run. */
    public Manifest(
            String toolVersion,
            String mode,
            List<String> labels,
            Template template,
            String model,
            List<String> baseUrls,
            RunSettings sampling,
            Data data,
            Counts counts,
            String status,
            String stopReason,
            String startedAt,
            String finishedAt) {
        this(
                toolVersion,
                mode,
                labels,
                template,
                model,
                baseUrls,
                sampling,
                data,
                counts,
                status,
                stopReason,
                startedAt,
                finishedAt,
                null,
                null,
                null,
                null);
    }

    public record Template(String file, String sha256, String text) {}

    /**
     * The data a run read; {@code hub} says which Hub dataset, split and commit it was fetched from
     * ({@code --data hf:...}), absent for a local file.
     */
    @JsonPropertyOrder({"file", "format", "sha256", "examples", "hub"})
    public record Data(
            String file,
            String format,
            String sha256,
            long examples,
            @JsonInclude(JsonInclude.Include.NON_NULL) Hub hub) {
        public Data(String file, String format, String sha256, long examples) {
            this(file, format, sha256, examples, null);
        }
    }

    /**
     * A Hub dataset as a run read it: {@code dataset} as {@code --data} named it ({@code
     * hf:OWNER/NAME[:CONFIG][@REVISION]}), the split, the revision resolved ({@code main}, a tag,
     * or {@code refs/convert/parquet} when the Hub's Parquet conversion was read) and its commit.
     */
    @JsonPropertyOrder({"dataset", "split", "revision", "commit"})
    public record Hub(String dataset, String split, String revision, String commit) {}

    /**
     * The shard a run classified: {@code index} of {@code count} by {@code rule}, out of {@code
     * dataExamples} examples in the whole data set (after {@code --limit}); the run's {@code
     * data.examples} are the shard's.
     */
    public record ShardInfo(
            int index, int count, String rule, @JsonProperty("data_examples") long dataExamples) {}

    /**
     * How many requests were in flight: {@code setting} is {@code --concurrency} as given ("auto"
     * or a number), and under auto {@code servers} holds, per server, where its limit started,
     * where it ended ({@code settled}), the highest it reached, its ceiling, how often it backed
     * off on overload and the values it went through. Not compared on resume: it changes how fast a
     * run goes, never its answers.
     */
    public record Concurrency(
            String setting,
            @JsonInclude(JsonInclude.Include.NON_EMPTY)
                    List<dev.llmcls.llm.concurrency.LimitAlgorithm.Report> servers) {
        public Concurrency {
            servers = servers == null ? List.of() : List.copyOf(servers);
        }
    }

    /**
     * How the run used the answer store: where it is, {@code use} ({@code read_write}, {@code
     * refresh}), whether sampled answers were reused, {@code reused} the requests answered from it
     * (none sent), {@code examples} the records wholly answered from it (marked {@code
     * cached_from}), {@code kept} the new answers written to it.
     */
    @JsonPropertyOrder({"dir", "use", "reuse_sampled", "reused", "examples", "kept"})
    public record Store(
            String dir,
            String use,
            @JsonProperty("reuse_sampled") boolean reuseSampled,
            long reused,
            long examples,
            long kept) {}

    public record Counts(
            long examples,
            long succeeded,
            long failed,
            long skipped,
            long retries,
            @JsonProperty("prompt_tokens") long promptTokens,
            @JsonProperty("completion_tokens") long completionTokens,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long requests) {
        public Counts(
                long examples,
                long succeeded,
                long failed,
                long skipped,
                long retries,
                long promptTokens,
                long completionTokens) {
            this(examples, succeeded, failed, skipped, retries, promptTokens, completionTokens, 0);
        }
    }

    public static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".manifest.json");
    }

    /** Writes atomically (temporary file, then rename), so a crash never leaves half a manifest. */
    public void write(Path file) {
        byte[] json;
        try {
            json = Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest " + file, e);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(
                        parent); // written before the output, so it may be the first file in its
                // dir
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of manifest " + file, e);
        }
        AtomicFiles.write(file, json, "manifest");
    }

    /**
     * The top-level keys of the manifest at {@code file} that this version does not know, in the
     * file's order (a manifest written by a newer llmcls); empty when there is none or no file.
     */
    public static List<String> unknownKeys(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Set<String> known = Set.of(Manifest.class.getAnnotation(JsonPropertyOrder.class).value());
        try {
            var unknown = new ArrayList<String>();
            Json.MAPPER
                    .readTree(file.toFile())
                    .fieldNames()
                    .forEachRemaining(
                            name -> {
                                if (!known.contains(name)) {
                                    unknown.add(name);
                                }
                            });
            return unknown;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + file, e);
        }
    }

    public static Optional<Manifest> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), Manifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + file, e);
        }
    }
}
