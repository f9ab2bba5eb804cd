package dev.llmcls.run.batchfile;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.AtomicFiles;
import dev.llmcls.core.Json;
import dev.llmcls.runfile.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code batch export} wrote, beside its first request file as {@code FILE.manifest.json}: the
 * files, how many requests for how many examples, how a {@code custom_id} names its example, the
 * output the results will be imported into, and the run's manifest as {@code classify} would write
 * it (status {@code exported}).
 */
@JsonPropertyOrder({
    "format",
    "url",
    "custom_id",
    "requests_per_example",
    "examples",
    "requests",
    "skipped",
    "files",
    "output",
    "run"
})
public record BatchManifest(
        String format,
        String url,
        @JsonProperty("custom_id") String customId,
        @JsonProperty("requests_per_example") int requestsPerExample,
        long examples,
        long requests,
        long skipped,
        List<String> files,
        String output,
        Manifest run) {

    /** The OpenAI batch input format, which vLLM's run-batch reads too. */
    public static final String FORMAT = "openai-batch";

    public static final String URL = "/v1/chat/completions";

    /** The custom_id of an example's {@code index}-th request of {@code perExample}. */
    static String customId(String exampleId, int index, int perExample) {
        return perExample == 1 ? exampleId : exampleId + "#" + index;
    }

    /** How custom ids are formed, in words, for the manifest. */
    static String customIdRule(int perExample) {
        return perExample == 1
                ? "the example id"
                : "the example id, '#', the request's index (0.." + (perExample - 1) + ")";
    }

    public void write(Path file) {
        try {
            AtomicFiles.write(
                    file,
                    Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(this),
                    "batch manifest");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write batch manifest " + file, e);
        }
    }
}
