package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.Json;
import dev.llmcls.llm.Sampling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a resume compares: typed settings, equal as values, and a refusal that names what changed.
 */
class ManifestComparisonTest {
    private static final Sampling SAMPLING = new Sampling(0.0, 1024, null, List.of(151329));
    private static final PoolSettings POOL = new PoolSettings("pool.csv", "aaaa");

    private static Manifest manifest(RunSettings settings) {
        return new Manifest(
                "0.1.0",
                "carp",
                List.of("A", "B"),
                new Manifest.Template("t", "sha", "text"),
                "m",
                List.of("http://x/v1"),
                settings,
                new Manifest.Data("d.csv", "csv", "dsha", 3),
                null,
                "running",
                null,
                "now",
                null);
    }

    private static RunSettings fewShot(PoolSettings pool) {
        return RunSettings.of(SAMPLING, new DemoSettings(2, "random", pool, null, 7L));
    }

    @Test
    void theSameSettingsDoNotDiffer() {
        assertEquals(
                List.of(),
                ManifestComparison.differences(manifest(fewShot(POOL)), manifest(fewShot(POOL))));
    }

    @Test
    void numbersReadBackFromJsonEqualTheTypedValues() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("temperature", 0); // an integer, as a hand-edited or older manifest may hold it
        json.put("max_tokens", 1024L);
        json.put("seed", null);
        json.put("stop_token_ids", List.of(151329L));
        assertEquals(RunSettings.of(SAMPLING), RunSettings.fromJson(json));
    }

    /**
     * Defect: the refusal said "sampling parameters differ" when only the training pool had
     * changed.
     */
    @Test
    void aChangedTrainingPoolIsNamedAsSuch() {
        List<String> differences =
                ManifestComparison.differences(
                        manifest(fewShot(POOL)),
                        manifest(fewShot(new PoolSettings("pool.csv", "bbbb"))));
        assertEquals(1, differences.size(), differences.toString());
        assertTrue(
                differences
                        .get(0)
                        .startsWith("training pool (--train) differs (was {train_sha256=aaaa}"),
                differences.get(0));
        assertFalse(differences.get(0).contains("sampling parameters"));
    }

    @Test
    void eachKindOfChangeIsNamed() {
        var voting =
                RunSettings.of(
                        new Sampling(0.7, 1024, null, List.of(151329)), new VotingSettings(3));
        var more =
                RunSettings.of(
                        new Sampling(0.7, 1024, null, List.of(151329)), new VotingSettings(5));
        assertEquals(
                List.of("votes (--votes) differs (was {votes=3}, now {votes=5})"),
                ManifestComparison.differences(manifest(voting), manifest(more)));
        assertEquals(
                List.of(
                        "sampling parameters differs (was {temperature=0.7}, now"
                                + " {temperature=0.0})"),
                RunSettings.of(SAMPLING)
                        .differencesFrom(
                                RunSettings.of(new Sampling(0.7, 1024, null, List.of(151329)))));
    }

    @Test
    void aSettingThisVersionDoesNotKnowMakesResumeRefuse() {
        Map<String, Object> json = new LinkedHashMap<>(RunSettings.of(SAMPLING).json());
        json.put("retrieval", "bm25");
        List<String> differences =
                RunSettings.of(SAMPLING).differencesFrom(RunSettings.fromJson(json));
        assertEquals(
                List.of("setting 'retrieval' differs (was {retrieval=bm25}, now {retrieval=null})"),
                differences);
    }

    /**
     * Manifests written before the settings were typed read back into records and write the very
     * same JSON.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "votes", "choice", "fewshot", "knn", "similarity"})
    void legacyManifestsRoundTripByteForByte(String name) throws IOException {
        Path file = Path.of("src/test/resources/legacy", name + ".jsonl.manifest.json");
        Manifest manifest = Manifest.read(file).orElseThrow();
        assertFalse(
                manifest.sampling().parts().stream()
                        .anyMatch(p -> p instanceof RunSettings.Unrecognised),
                manifest.sampling().toString());
        assertEquals(
                Files.readString(file),
                Json.MAPPER
                        .writer(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(manifest));
    }

    private static Manifest fromHub(String dataset, String revision, String commit) {
        Manifest m = manifest(RunSettings.of(SAMPLING));
        return new Manifest(
                m.toolVersion(),
                m.mode(),
                m.labels(),
                m.template(),
                m.model(),
                m.baseUrls(),
                m.sampling(),
                new Manifest.Data(
                        "cache/o--n/snapshots/" + commit + "/data/test.parquet",
                        "parquet",
                        "dsha",
                        3,
                        new Manifest.Hub(dataset, "test", revision, commit)),
                null,
                "running",
                null,
                "now",
                null);
    }

    /**
     * A resume against another commit of the Hub dataset is refused even where the split's bytes
     * are the same, saying how to pin the first.
     */
    @Test
    void anotherCommitOfTheHubDatasetIsNamedWithThePinToResume() {
        String a = "a".repeat(40);
        String b = "b".repeat(40);
        assertEquals(
                List.of(),
                ManifestComparison.differences(
                        fromHub("hf:o/n", "main", a), fromHub("hf:o/n@" + a, a, a)),
                "pinning the same commit resumes");
        List<String> differences =
                ManifestComparison.differences(
                        fromHub("hf:o/n:c@v1", "v1", a), fromHub("hf:o/n:c", "main", b));
        assertEquals(
                List.of(
                        "the Hub dataset's commit differs (was "
                                + a
                                + " of v1, now "
                                + b
                                + " of main; to resume, pin the first: --data hf:o/n:c@"
                                + a
                                + ")"),
                differences);
    }

    @Test
    void theHubRecordIsWrittenAndReadBack() throws IOException {
        Manifest written = fromHub("hf:o/n", "main", "c".repeat(40));
        String json = Json.MAPPER.writeValueAsString(written.data());
        assertTrue(
                json.endsWith(
                        ",\"hub\":{\"dataset\":\"hf:o/n\",\"split\":\"test\",\"revision\":\"main\","
                                + "\"commit\":\""
                                + "c".repeat(40)
                                + "\"}}"),
                json);
        assertEquals(written.data(), Json.MAPPER.readValue(json, Manifest.Data.class));
        assertFalse(
                Json.MAPPER
                        .writeValueAsString(new Manifest.Data("d.csv", "csv", "x", 1))
                        .contains("hub"),
                "a local file's data has no hub");
    }
}
