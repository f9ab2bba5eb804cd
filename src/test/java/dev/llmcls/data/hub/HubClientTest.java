package dev.llmcls.data.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.testing.HubParquet;
import dev.llmcls.testing.HubStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Hub client against {@link HubStandIn}, which answers in the real Hub's shapes as
 * huggingface_hub reads them (huggingface/huggingface_hub: {@code src/huggingface_hub/hf_api.py},
 * {@code file_download.py}, {@code utils/_http.py}; cited field by field there).
 */
@Timeout(60)
class HubClientTest {
    private static final HubDataset DATASET = HubDataset.parse("hf:glue-team/sst2-mini");
    private static final String TEST_FILE = "data/test-00000-of-00001.parquet";
    private static final String TOKEN = "hf_secretTOKENvalue123";

    @TempDir Path dir;

    private HubStandIn hub;
    private byte[] testParquet;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path file =
                new HubParquet()
                        .string("sentence")
                        .classLabel("label", "negative", "positive")
                        .int32("idx")
                        .row("a charming journey", 1, 0)
                        .row("bleak and desperate", 0, 1)
                        .write(dir.resolve("fixture.parquet"));
        testParquet = Files.readAllBytes(file);
        hub =
                new HubStandIn()
                        .file(TEST_FILE, testParquet, true)
                        .file("data/train-00000-of-00001.parquet", new byte[] {1, 2, 3}, true)
                        .file(
                                "README.md",
                                "---\nlicense: unknown\n---\n"
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                false);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubClient client(String token, boolean offline) {
        return new HubClient(hub.endpoint(), token, offline, dir.resolve("cache"));
    }

    @Test
    void downloadsTheSplitOnceVerifiedAndNamedByItsCommit() throws IOException {
        HubClient.Fetched fetched = client(TOKEN, false).fetch(DATASET, "test", log::add);
        assertArrayEquals(testParquet, Files.readAllBytes(fetched.file()));
        assertEquals(HubStandIn.COMMIT, fetched.commit());
        assertEquals(
                dir.resolve(
                        "cache/glue-team--sst2-mini/snapshots/"
                                + HubStandIn.COMMIT
                                + "/"
                                + TEST_FILE),
                fetched.file());
        assertEquals(
                List.of(
                        "/api/datasets/glue-team/sst2-mini/revision/main?blobs=true",
                        "/datasets/glue-team/sst2-mini/resolve/"
                                + HubStandIn.COMMIT
                                + "/"
                                + TEST_FILE),
                hub.hubRequests);
        assertEquals(1, hub.cdnRequests.size());
        assertEquals(
                List.of("Bearer " + TOKEN, "Bearer " + TOKEN),
                hub.hubAuthorizations,
                "the Hub gets the token");
        assertEquals(
                List.of("null"),
                hub.cdnAuthorizations,
                "the CDN a redirect leads to never gets the token");
        assertEquals(
                List.of("negative", "positive"),
                DatasetReader.classLabelNames(DatasetSpec.of(fetched.file())).orElseThrow(),
                "the labels come from the file's ClassLabel feature");

        HubClient.Fetched again = client(TOKEN, false).fetch(DATASET, "test", log::add);
        assertEquals(fetched, again);
        assertEquals(1, hub.cdnRequests.size(), "a cached file is not downloaded again");
        assertTrue(log.get(1).contains("from the cache"), log.toString());
        assertFalse(String.join("\n", log).contains(TOKEN), "the token is never logged");
    }

    @Test
    void offlineReadsTheCacheAndSendsNothing() {
        HubClient.Fetched fetched = client(null, false).fetch(DATASET, "test", log::add);
        hub.close();
        int before = hub.hubRequests.size();
        HubClient.Fetched offline = client(null, true).fetch(DATASET, "test", log::add);
        assertEquals(fetched, offline);
        assertEquals(before, hub.hubRequests.size());
        assertTrue(log.get(1).contains("offline"), log.toString());

        var empty = new HubClient(hub.endpoint(), null, true, dir.resolve("empty-cache"));
        var refused =
                assertThrows(InputException.class, () -> empty.fetch(DATASET, "test", log::add));
        assertTrue(
                refused.getMessage().contains("HF_HUB_OFFLINE is set and the cache"),
                refused.getMessage());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(
                        401,
                        "GatedRepo",
                        null,
                        "the Hub wants a token (401): the dataset is private or gated; set"
                                + " HF_TOKEN"),
                Arguments.of(401, null, TOKEN, "the Hub refused HF_TOKEN (401)"),
                Arguments.of(
                        403,
                        "GatedRepo",
                        TOKEN,
                        "access refused (403): the dataset is gated; accept its conditions"),
                Arguments.of(404, "RepoNotFound", null, "no such dataset on"),
                Arguments.of(404, "RevisionNotFound", null, "no revision 'main'"),
                Arguments.of(500, null, null, "the Hub answered HTTP 500"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusals")
    void aRefusalSaysWhatToDoAndNeverShowsTheToken(
            int status, String errorCode, String token, String expected) {
        hub.refuseWith = status;
        hub.errorCode = errorCode;
        var error =
                assertThrows(
                        InputException.class,
                        () -> client(token, false).fetch(DATASET, "test", log::add));
        assertTrue(error.getMessage().startsWith("hf:glue-team/sst2-mini: "), error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertFalse(error.getMessage().contains(TOKEN));
    }

    @Test
    void anUnknownDatasetIsNotFound() {
        var error =
                assertThrows(
                        InputException.class,
                        () ->
                                client(null, false)
                                        .fetch(
                                                HubDataset.parse("hf:nobody/nothing"),
                                                "test",
                                                log::add));
        assertTrue(error.getMessage().contains("no such dataset"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(
            value = HubStandIn.Delivery.class,
            names = {"CUT", "TAMPERED"})
    void aBrokenDownloadLeavesNothingInTheCacheAndARetryWorks(HubStandIn.Delivery delivery)
            throws IOException {
        hub.delivery = delivery;
        var error =
                assertThrows(
                        InputException.class,
                        () -> client(null, false).fetch(DATASET, "test", log::add));
        assertTrue(error.getMessage().contains("nothing kept"), error.getMessage());
        try (Stream<Path> left = Files.walk(dir.resolve("cache"))) {
            assertEquals(
                    List.of(),
                    left.filter(Files::isRegularFile).toList(),
                    "no partial or corrupt file is kept");
        }
        hub.delivery = HubStandIn.Delivery.WHOLE;
        assertArrayEquals(
                testParquet,
                Files.readAllBytes(client(null, false).fetch(DATASET, "test", log::add).file()));
    }

    @Test
    void aFileInGitIsCheckedAgainstItsBlobId() throws IOException {
        hub.file("plain/test.parquet", testParquet, false);
        var fetched =
                client(null, false)
                        .fetch(HubDataset.parse("hf:glue-team/sst2-mini:plain"), "test", log::add);
        assertArrayEquals(testParquet, Files.readAllBytes(fetched.file()));
    }

    static Stream<Arguments> splitFiles() {
        return Stream.of(
                Arguments.of(
                        null,
                        "test",
                        List.of(
                                "data/test-00000-of-00001.parquet",
                                "data/train-00000-of-00001.parquet"),
                        "data/test-00000-of-00001.parquet"),
                Arguments.of(
                        "mnli",
                        "validation_matched",
                        List.of(
                                "mnli/validation_matched-00000-of-00001.parquet",
                                "mnli/validation_mismatched-00000-of-00001.parquet",
                                "rte/validation_matched-0.parquet"),
                        "mnli/validation_matched-00000-of-00001.parquet"),
                Arguments.of(
                        "default",
                        "test",
                        List.of("default/test/0000.parquet", "default/train/0000.parquet"),
                        "default/test/0000.parquet"),
                Arguments.of(null, "test", List.of("test.parquet", "README.md"), "test.parquet"),
                Arguments.of(
                        null,
                        "test",
                        List.of("data/testing-0.parquet", "data/test-0.parquet"),
                        "data/test-0.parquet"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("splitFiles")
    void theSplitsFileIsFoundAsTheDatasetsLibraryFindsIt(
            String config, String split, List<String> paths, String expected) {
        assertEquals(expected, HubClient.pick(new HubDataset("o/n", config), split, paths, "here"));
    }

    @Test
    void aMissingOrManyFileSplitIsRefusedNamingTheFiles() {
        var missing =
                assertThrows(
                        InputException.class,
                        () ->
                                HubClient.pick(
                                        DATASET,
                                        "validation",
                                        List.of("data/test-0.parquet", "README.md"),
                                        "at commit x"));
        assertEquals(
                "hf:glue-team/sst2-mini: no Parquet file for split 'validation' at commit x; its"
                        + " Parquet files are [data/test-0.parquet]",
                missing.getMessage());
        var many =
                assertThrows(
                        InputException.class,
                        () ->
                                HubClient.pick(
                                        DATASET,
                                        "train",
                                        List.of("data/train-0.parquet", "data/train-1.parquet"),
                                        "x"));
        assertTrue(many.getMessage().contains("is 2 Parquet files"), many.getMessage());
    }

    @Test
    void theEnvironmentConfiguresIt() {
        var client =
                HubClient.fromEnvironment(
                        Map.of("HF_HUB_OFFLINE", "1", "LLMCLS_CACHE", dir.toString()),
                        null,
                        "/home/x");
        var error =
                assertThrows(InputException.class, () -> client.fetch(DATASET, "test", log::add));
        assertTrue(
                error.getMessage().contains("the cache (" + dir.resolve("datasets") + ")"),
                error.getMessage());
    }

    @Test
    void aBadNameIsAnInputError() {
        assertThrows(InputException.class, () -> HubDataset.parse("hf:just-a-name"));
        assertEquals(
                new HubDataset("stanfordnlp/sst2", "default"),
                HubDataset.parse("hf:stanfordnlp/sst2:default"));
    }
}
