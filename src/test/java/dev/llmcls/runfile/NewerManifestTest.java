package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.llm.Sampling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A manifest written by a newer llmcls (keys this version does not know) refuses a resume, naming
 * the keys, and the typed method settings write and read back the manifest's keys as they always
 * were.
 */
class NewerManifestTest {
    private static Manifest manifest(RunSettings settings) {
        return new Manifest(
                "0.1.0",
                "basic",
                List.of("A", "B"),
                null,
                "m",
                List.of("http://127.0.0.1:1/v1"),
                settings,
                new Manifest.Data("d.csv", "csv", "abc", 2),
                null,
                "running",
                null,
                "t0",
                null);
    }

    private static Path withOutput(
            Path dir, Manifest manifest, Map<String, Object> topLevel, Map<String, Object> sampling)
            throws IOException {
        Path output = dir.resolve("out.jsonl");
        Files.writeString(output, "");
        Path manifestPath = Manifest.pathFor(output);
        manifest.write(manifestPath);
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(manifestPath.toFile());
        topLevel.forEach((key, value) -> tree.set(key, Json.MAPPER.valueToTree(value)));
        sampling.forEach(
                (key, value) ->
                        ((ObjectNode) tree.get("sampling"))
                                .set(key, Json.MAPPER.valueToTree(value)));
        Files.writeString(manifestPath, Json.MAPPER.writeValueAsString(tree));
        return output;
    }

    @Test
    void anUnknownTopLevelKeyRefusesTheResumeNamingIt(@TempDir Path dir) throws IOException {
        Manifest planned = manifest(RunSettings.of(new Sampling(0, 16, null, List.of())));
        Path output = withOutput(dir, planned, Map.of("retrieval_index", "bm25"), Map.of());
        var refusal =
                assertThrows(
                        InputException.class,
                        () -> OutputFiles.prepare(output, false, planned, message -> {}));
        assertTrue(
                refusal.getMessage().contains("does not know (retrieval_index)"),
                refusal.getMessage());
    }

    @Test
    void anUnknownSettingRefusesTheResumeNamingIt(@TempDir Path dir) throws IOException {
        Manifest planned = manifest(RunSettings.of(new Sampling(0, 16, null, List.of())));
        Path output = withOutput(dir, planned, Map.of(), Map.of("reranker", "x"));
        var refusal =
                assertThrows(
                        InputException.class,
                        () -> OutputFiles.prepare(output, false, planned, message -> {}));
        assertTrue(refusal.getMessage().contains("setting 'reranker'"), refusal.getMessage());
    }

    @Test
    void theSameManifestResumes(@TempDir Path dir) throws IOException {
        Manifest planned =
                manifest(
                        RunSettings.of(
                                new Sampling(0, 16, null, List.of()), new ConfidenceSettings(5)));
        Path output = withOutput(dir, planned, Map.of(), Map.of());
        assertEquals(
                ResumeState.EMPTY.succeededIds(),
                OutputFiles.prepare(output, false, planned, m -> {}).succeededIds());
    }

    @Test
    void likelihoodAndConfidenceSettingsKeepTheirManifestKeys() {
        assertEquals(
                List.of("scoring", "likelihood_normalisation", "answer_prefix", "prompt_logprobs"),
                new ArrayList<>(new LikelihoodSettings("sum", "label: ", 1, null).json().keySet()));
        assertEquals(
                Map.of(
                        "scoring",
                        "likelihood",
                        "likelihood_normalisation",
                        "mean",
                        "answer_prefix",
                        "label: ",
                        "prompt_logprobs",
                        1,
                        "calibrate",
                        "contextual"),
                new LikelihoodSettings("mean", "label: ", 1, "contextual").json());
        assertEquals(
                List.of("confidence", "top_logprobs"),
                new ArrayList<>(new ConfidenceSettings(20).json().keySet()));
        assertEquals(
                Map.of("confidence", true, "top_logprobs", 20), new ConfidenceSettings(20).json());
    }

    @Test
    void manifestsWrittenBeforeTheSplitReadAsTodaysSettings() throws IOException {
        // as ScoringSettings wrote them: one object, each key only when it applied
        String likelihood =
                "{\"temperature\":0.0,\"max_tokens\":1,\"seed\":null,\"stop_token_ids\":[],\"scoring\":\"likelihood\",\"likelihood_normalisation\":\"sum\",\"answer_prefix\":\"label:"
                    + " \",\"prompt_logprobs\":1,\"calibrate\":\"contextual\"}";
        assertEquals(
                RunSettings.of(
                        new Sampling(0, 1, null, List.of()),
                        new LikelihoodSettings("sum", "label: ", 1, "contextual")),
                Json.MAPPER.readValue(likelihood, RunSettings.class));
        String confidence =
                "{\"temperature\":0.0,\"max_tokens\":64,\"seed\":null,\"stop_token_ids\":[],"
                        + "\"confidence\":true,\"top_logprobs\":20}";
        assertEquals(
                RunSettings.of(new Sampling(0, 64, null, List.of()), new ConfidenceSettings(20)),
                Json.MAPPER.readValue(confidence, RunSettings.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsAsOlderVersionsWroteThem")
    void everyMethodsSettingsReadBackFromTheManifestKeysTheyAlwaysHad(
            String json, RunSettings expected) throws IOException {
        RunSettings read = Json.MAPPER.readValue(json, RunSettings.class);
        assertEquals(expected, read);
        assertEquals(
                Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json)),
                Json.MAPPER.writeValueAsString(read),
                "written back key for key");
    }

    static Stream<Arguments> settingsAsOlderVersionsWroteThem() {
        String sampling =
                "\"temperature\":0.7,\"max_tokens\":64,\"seed\":null,\"stop_token_ids\":[]";
        var base = new Sampling(0.7, 64, null, List.of());
        return Stream.of(
                Arguments.of(
                        "{"
                                + sampling
                                + ",\"votes\":5,\"constraint\":\"choice\",\"constraint_form\":\"response_format\"}",
                        RunSettings.of(
                                base,
                                new VotingSettings(5),
                                new ConstraintSettings("choice", "response_format"))),
                Arguments.of(
                        "{"
                                + sampling
                                + ",\"constraint\":\"json\",\"shots\":2,\"demos\":\"knn\","
                                + "\"train_file\":\"p.csv\",\"train_sha256\":\"ab\",\"embedding_model\":\"bge\"}",
                        RunSettings.of(
                                base,
                                new ConstraintSettings("json"),
                                new DemoSettings(
                                        2, "knn", new PoolSettings("p.csv", "ab"), "bge", null))),
                Arguments.of(
                        "{"
                                + sampling
                                + ",\"shots\":1,\"demos\":\"random\",\"train_file\":\"p.csv\","
                                + "\"train_sha256\":\"ab\",\"demo_seed\":7}",
                        RunSettings.of(
                                base,
                                new DemoSettings(
                                        1, "random", new PoolSettings("p.csv", "ab"), null, 7L))),
                Arguments.of(
                        "{\"classifier\":\"knn\",\"embedding_model\":\"bge\",\"k\":5,\"train_file\":\"p.csv\","
                            + "\"train_sha256\":\"ab\"}",
                        RunSettings.of(new KnnSettings("bge", 5, new PoolSettings("p.csv", "ab")))),
                Arguments.of(
                        "{\"classifier\":\"similarity\",\"embedding_model\":\"bge\",\"label_texts\":[\"a\",\"b\"]}",
                        RunSettings.of(new SimilaritySettings("bge", List.of("a", "b")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplingAsManifestsHoldIt")
    void samplingReadsFromEveryFormItWasWrittenIn(String json, Sampling expected)
            throws IOException {
        assertEquals(RunSettings.of(expected), Json.MAPPER.readValue(json, RunSettings.class));
    }

    static Stream<Arguments> samplingAsManifestsHoldIt() {
        return Stream.of(
                Arguments.of(
                        "{\"temperature\":0.7,\"max_tokens\":64,\"seed\":42,\"stop_token_ids\":[151329,151336]}",
                        new Sampling(0.7, 64, 42, List.of(151329, 151336))),
                // before seed and stop tokens were recorded
                Arguments.of(
                        "{\"temperature\":0,\"max_tokens\":16}",
                        new Sampling(0, 16, null, List.of())),
                Arguments.of("{\"max_tokens\":16}", new Sampling(0, 16, null, List.of())),
                Arguments.of("{\"temperature\":1.0}", new Sampling(1.0, 1, null, List.of())),
                // numbers as text, and an integer written with a fraction
                Arguments.of(
                        "{\"temperature\":\"0.5\",\"max_tokens\":\"32\",\"seed\":7.0}",
                        new Sampling(0.5, 32, 7, List.of())));
    }

    @Test
    void typedSettingsReadBackEqual() {
        var likelihood =
                RunSettings.of(
                        new Sampling(0, 1, 7, List.of()),
                        new LikelihoodSettings("sum", "label: ", 1, "batch"));
        assertEquals(likelihood, RunSettings.fromJson(likelihood.json()));
        var confidence =
                RunSettings.of(new Sampling(0, 16, null, List.of()), new ConfidenceSettings(20));
        assertEquals(confidence, RunSettings.fromJson(confidence.json()));
        var notLikelihood =
                new java.util.LinkedHashMap<String, Object>(
                        Map.of("temperature", 0, "max_tokens", 4, "scoring", "generate"));
        assertTrue(
                RunSettings.fromJson(notLikelihood).parts().stream()
                        .anyMatch(part -> part instanceof RunSettings.Unrecognised),
                "an unknown scoring is not taken as likelihood");
    }
}
