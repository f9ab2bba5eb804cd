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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code file_download.py}, {@code utils/_http.py}; cited field by field there). Revisions are
 * written as {@code src/huggingface_hub/hf_file_system.py} writes them ({@code NAME@REVISION},
 * {@code SPECIAL_REFS_REVISION_REGEX} for {@code refs/convert/parquet} and {@code refs/pr/N}); the
 * download timeout is {@code constants.HF_HUB_DOWNLOAD_TIMEOUT} as {@code file_download.py}'s
 * {@code http_get} uses it. The conversion branch's layout ({@code CONFIG/SPLIT/0000.parquet},
 * {@code CONFIG/partial-SPLIT/} for a split converted in part) is the one the Hub's
 * parquet-converter commits show, e.g. huggingface.co/datasets/MasahiroKaneko/eagle commit ad29725
 * and davidanugraha/amazon_massive_slot_splitted; the dataset viewer's docs
 * (huggingface.co/docs/dataset-viewer/parquet) describe the conversion.
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
                        false,
                        List.of(
                                "data/test-00000-of-00001.parquet",
                                "data/train-00000-of-00001.parquet"),
                        List.of("data/test-00000-of-00001.parquet")),
                Arguments.of(
                        "mnli",
                        "validation_matched",
                        false,
                        List.of(
                                "mnli/validation_matched-00000-of-00001.parquet",
                                "mnli/validation_mismatched-00000-of-00001.parquet",
                                "rte/validation_matched-0.parquet"),
                        List.of("mnli/validation_matched-00000-of-00001.parquet")),
                Arguments.of(
                        "default",
                        "test",
                        true,
                        List.of("default/test/0000.parquet", "default/train/0000.parquet"),
                        List.of("default/test/0000.parquet")),
                Arguments.of(
                        null,
                        "test",
                        false,
                        List.of("test.parquet", "README.md"),
                        List.of("test.parquet")),
                Arguments.of(
                        null,
                        "test",
                        false,
                        List.of("data/testing-0.parquet", "data/test-0.parquet"),
                        List.of("data/test-0.parquet")),
                // several files of one split, listed in any order, are read in their order
                Arguments.of(
                        null,
                        "train",
                        false,
                        List.of(
                                "data/train-00002-of-00003.parquet",
                                "data/test-00000-of-00001.parquet",
                                "data/train-00000-of-00003.parquet",
                                "data/train-00001-of-00003.parquet"),
                        List.of(
                                "data/train-00000-of-00003.parquet",
                                "data/train-00001-of-00003.parquet",
                                "data/train-00002-of-00003.parquet")),
                Arguments.of(
                        null,
                        "train",
                        false,
                        List.of("train-10.parquet", "train-2.parquet", "train-1.parquet"),
                        List.of("train-1.parquet", "train-2.parquet", "train-10.parquet")),
                // the conversion branch: CONFIG/SPLIT/NNNN.parquet, the one config found when
                // none is named; a split too large to convert whole is CONFIG/partial-SPLIT/
                Arguments.of(
                        null,
                        "train",
                        true,
                        List.of(
                                "default/train/0001.parquet",
                                "default/train/0000.parquet",
                                "default/test/0000.parquet"),
                        List.of("default/train/0000.parquet", "default/train/0001.parquet")),
                Arguments.of(
                        "default",
                        "train",
                        true,
                        List.of("default/partial-train/0000.parquet", "default/test/0000.parquet"),
                        List.of("default/partial-train/0000.parquet")),
                // a dataset of one config without config directories answers to 'default' too
                Arguments.of(
                        "default",
                        "test",
                        false,
                        List.of("data/test-00000-of-00001.parquet"),
                        List.of("data/test-00000-of-00001.parquet")));
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("splitFiles")
    void theSplitsFilesAreFoundAsTheDatasetsLibraryFindsThem(
            String config,
            String split,
            boolean converted,
            List<String> paths,
            List<String> expected) {
        assertEquals(
                expected,
                HubClient.select(new HubDataset("o/n", config), split, paths, converted).paths());
    }

    /** A dataset of two configs in directories, as nyu-mll/glue lays out its Parquet. */
    private void glueLayout() {
        hub.repoId = "nyu-mll/glue";
        hub.branch("main", HubStandIn.COMMIT);
        for (String path :
                List.of(
                        "cola/train-00000-of-00001.parquet",
                        "cola/test-00000-of-00001.parquet",
                        "sst2/train-00000-of-00001.parquet",
                        "sst2/validation-00000-of-00001.parquet")) {
            hub.file(path, testParquet, true);
        }
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of(
                        "hf:nyu-mll/glue:sst2",
                        "test",
                        "no split 'test' (config 'sst2'); the splits are [train, validation]"),
                Arguments.of(
                        "hf:nyu-mll/glue:mnli",
                        "train",
                        "no config 'mnli'; the configs are [cola, sst2]"),
                Arguments.of(
                        "hf:nyu-mll/glue",
                        "train",
                        "split 'train' is in several configs [cola, sst2]; name one: --data"
                                + " hf:nyu-mll/glue:cola"),
                Arguments.of(
                        "hf:nyu-mll/glue@v2",
                        "train",
                        "no revision 'v2' (a branch, a tag or a commit sha of"),
                Arguments.of(
                        "hf:nyu-mll/glue:cola",
                        "validation",
                        "no split 'validation' (config 'cola'); the splits are [test, train]"
                                + " at commit "
                                + HubStandIn.COMMIT
                                + ", and the Hub has no Parquet conversion of it"
                                + " (refs/convert/parquet)"));
    }

    @ParameterizedTest(name = "{0} --split {1}")
    @MethodSource("badNames")
    void aWrongSplitConfigOrRevisionNamesThoseThatExist(
            String data, String split, String expected) {
        glueLayout();
        var error =
                assertThrows(
                        InputException.class,
                        () -> client(null, false).fetch(HubDataset.parse(data), split, log::add));
        assertTrue(error.getMessage().startsWith(data + ": "), error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertEquals(0, hub.cdnRequests.size(), "nothing is downloaded");
    }

    @Test
    void aSplitOfSeveralFilesIsFetchedVerifiedAndReadAsOneDatasetInOrder() throws IOException {
        List<byte[]> parts = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            parts.add(
                    Files.readAllBytes(
                            new HubParquet()
                                    .string("sentence")
                                    .classLabel("label", "negative", "positive")
                                    .int32("idx")
                                    .row("row " + (2 * part), 0, 2 * part)
                                    .row("row " + (2 * part + 1), 1, 2 * part + 1)
                                    .write(dir.resolve("part" + part + ".parquet"))));
        }
        // listed out of order, one in git (checked by its blob id), two in LFS (by sha256)
        hub.branch("main", HubStandIn.COMMIT);
        hub.file("data/train-00002-of-00003.parquet", parts.get(2), true)
                .file("data/train-00000-of-00003.parquet", parts.get(0), false)
                .file("data/train-00001-of-00003.parquet", parts.get(1), true);
        HubClient.Fetched fetched = client(null, false).fetch(DATASET, "train", log::add);
        assertEquals(
                List.of(
                        "data/train-00000-of-00003.parquet",
                        "data/train-00001-of-00003.parquet",
                        "data/train-00002-of-00003.parquet"),
                fetched.paths());
        assertEquals(HubDataset.MAIN, fetched.revision());
        assertTrue(Files.isDirectory(fetched.file()), fetched.file().toString());
        assertTrue(
                fetched.file().toString().contains(HubStandIn.COMMIT), fetched.file().toString());
        var spec = new DatasetSpec(fetched.file(), null, "sentence", "label", "idx");
        List<String> texts = new ArrayList<>();
        try (var source =
                DatasetReader.open(spec, dev.llmcls.data.LabelSet.parse("negative,positive"))) {
            source.forEachRemaining(example -> texts.add(example.id() + ":" + example.text()));
        }
        assertEquals(
                List.of("0:row 0", "1:row 1", "2:row 2", "3:row 3", "4:row 4", "5:row 5"), texts);

        hub.close();
        HubClient.Fetched offline = client(null, true).fetch(DATASET, "train", log::add);
        assertEquals(fetched, offline, "offline, the same split from the cache");
    }

    @Test
    void aCutInTheSecondFileOfASplitKeepsOnlyWholeVerifiedFiles() throws IOException {
        hub.branch("main", HubStandIn.COMMIT);
        hub.file("data/train-00000-of-00002.parquet", testParquet, true)
                .file("data/train-00001-of-00002.parquet", testParquet.clone(), true);
        // the two files have the same bytes: the CDN serves them by hash
        hub.nextDeliveries.addAll(
                List.of(
                        HubStandIn.Delivery.WHOLE,
                        HubStandIn.Delivery.CUT,
                        HubStandIn.Delivery.CUT));
        var error =
                assertThrows(
                        InputException.class,
                        () -> client(null, false).fetch(DATASET, "train", log::add));
        assertTrue(
                error.getMessage().contains("data/train-00001-of-00002.parquet failed twice"),
                error.getMessage());
        assertTrue(error.getMessage().contains("nothing kept"), error.getMessage());
        try (Stream<Path> left = Files.walk(dir.resolve("cache"))) {
            assertEquals(
                    List.of("data/train-00000-of-00002.parquet"),
                    left.filter(Files::isRegularFile)
                            .map(p -> p.toString().replace('\\', '/'))
                            .map(p -> p.substring(p.lastIndexOf("/data/") + 1))
                            .toList(),
                    "the whole first file stays; no part of the second, and the split is not"
                            + " marked fetched");
        }
        var offline =
                assertThrows(
                        InputException.class,
                        () -> client(null, true).fetch(DATASET, "train", log::add));
        assertTrue(offline.getMessage().contains("holds no split 'train'"), offline.getMessage());

        int before = hub.cdnRequests.size();
        var fetched = client(null, false).fetch(DATASET, "train", log::add);
        assertEquals(2, fetched.paths().size());
        assertEquals(before + 1, hub.cdnRequests.size(), "only the missing file is fetched");
    }

    @Test
    void aStalledDownloadIsDroppedTriedOnceMoreAndThenRefused() throws IOException {
        hub.delivery = HubStandIn.Delivery.STALL;
        HubClient client = client(null, false).withDownloadTimeout(Duration.ofMillis(300));
        var error =
                assertThrows(InputException.class, () -> client.fetch(DATASET, "test", log::add));
        assertTrue(
                error.getMessage()
                        .contains(
                                TEST_FILE
                                        + " failed twice: no byte came for 0.3 s"
                                        + " (HF_HUB_DOWNLOAD_TIMEOUT) after "),
                error.getMessage());
        assertTrue(
                error.getMessage().contains("HF_HUB_DOWNLOAD_TIMEOUT=SECONDS"), error.getMessage());
        assertEquals(2, hub.cdnRequests.size(), "tried twice");
        try (Stream<Path> left = Files.walk(dir.resolve("cache"))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
        }

        hub.nextDeliveries.add(HubStandIn.Delivery.STALL);
        hub.delivery = HubStandIn.Delivery.WHOLE;
        var fetched = client.fetch(DATASET, "test", log::add);
        assertArrayEquals(testParquet, Files.readAllBytes(fetched.file()));
        assertTrue(log.stream().anyMatch(l -> l.endsWith("; trying once more")), log.toString());
    }

    @Test
    void aDatasetWithoutParquetIsReadFromTheHubsConversion() throws IOException {
        // main holds CSV only; the Hub's parquet-converter wrote CONFIG/SPLIT/NNNN.parquet on
        // refs/convert/parquet (its commits: "Update parquet files", default/train/0000.parquet)
        hub.repoId = "someone/csv-only";
        hub.branch("main", HubStandIn.COMMIT)
                .file("train.csv", "text,label\nx,0\n".getBytes(StandardCharsets.UTF_8), false)
                .file("test.csv", "text,label\ny,1\n".getBytes(StandardCharsets.UTF_8), false);
        String converted = "c0ffee" + "0".repeat(34);
        hub.branch(HubClient.CONVERTED, converted)
                .file("default/test/0000.parquet", testParquet, true)
                .file("default/train/0000.parquet", testParquet.clone(), true)
                .file("default/partial-huge/0000.parquet", testParquet.clone(), true);
        HubDataset dataset = HubDataset.parse("hf:someone/csv-only");
        HubClient.Fetched fetched = client(null, false).fetch(dataset, "test", log::add);
        assertEquals(converted, fetched.commit());
        assertEquals(HubClient.CONVERTED, fetched.revision());
        assertEquals(List.of("default/test/0000.parquet"), fetched.paths());
        assertArrayEquals(testParquet, Files.readAllBytes(fetched.file()));
        assertTrue(
                hub.hubRequests.contains(
                        "/api/datasets/someone/csv-only/revision/refs%2Fconvert%2Fparquet?blobs=true"),
                hub.hubRequests.toString());
        assertTrue(
                log.stream().anyMatch(l -> l.contains("reading the Hub's Parquet conversion")),
                log.toString());

        client(null, false).fetch(dataset, "huge", log::add);
        assertTrue(
                log.stream().anyMatch(l -> l.contains("converted only part of this split")),
                log.toString());

        hub.close();
        HubClient.Fetched offline = client(null, true).fetch(dataset, "test", log::add);
        assertEquals(fetched, offline, "offline, the conversion's commit from refs/");
    }

    @Test
    void aRevisionPinsTheCommitOnlineAndOffline() throws IOException {
        byte[] older =
                Files.readAllBytes(
                        new HubParquet()
                                .string("sentence")
                                .classLabel("label", "negative", "positive")
                                .int32("idx")
                                .row("an older row", 1, 0)
                                .write(dir.resolve("older.parquet")));
        String olderCommit = "01d" + "1".repeat(37);
        hub.branch("v1.0", olderCommit).file(TEST_FILE, older, true);

        HubClient.Fetched tag =
                client(null, false)
                        .fetch(HubDataset.parse("hf:glue-team/sst2-mini@v1.0"), "test", log::add);
        assertEquals(olderCommit, tag.commit());
        assertEquals("v1.0", tag.revision());
        assertArrayEquals(older, Files.readAllBytes(tag.file()));
        HubClient.Fetched main = client(null, false).fetch(DATASET, "test", log::add);
        assertArrayEquals(testParquet, Files.readAllBytes(main.file()));
        HubClient.Fetched sha =
                client(null, false)
                        .fetch(
                                HubDataset.parse("hf:glue-team/sst2-mini@" + olderCommit),
                                "test",
                                log::add);
        assertEquals(tag.file(), sha.file());
        assertEquals(olderCommit, sha.revision());

        hub.close();
        for (String revision : List.of("@v1.0", "@" + olderCommit)) {
            HubClient.Fetched offline =
                    client(null, true)
                            .fetch(
                                    HubDataset.parse("hf:glue-team/sst2-mini" + revision),
                                    "test",
                                    log::add);
            assertEquals(tag.file(), offline.file(), revision);
        }
        assertEquals(
                main.file(), client(null, true).fetch(DATASET, "test", log::add).file(), "main");
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("hf:stanfordnlp/sst2", new HubDataset("stanfordnlp/sst2", null, null)),
                Arguments.of("hf:nyu-mll/glue:sst2", new HubDataset("nyu-mll/glue", "sst2", null)),
                Arguments.of(
                        "hf:nyu-mll/glue:sst2@bcdcba79d07bc864c1c254ccfcedcce55bcc9a8c",
                        new HubDataset(
                                "nyu-mll/glue",
                                "sst2",
                                "bcdcba79d07bc864c1c254ccfcedcce55bcc9a8c")),
                Arguments.of(
                        "hf:stanfordnlp/imdb@refs/convert/parquet",
                        new HubDataset("stanfordnlp/imdb", null, "refs/convert/parquet")),
                Arguments.of(
                        "hf:stanfordnlp/imdb@refs%2Fconvert%2Fparquet",
                        new HubDataset("stanfordnlp/imdb", null, "refs/convert/parquet")),
                Arguments.of(
                        "hf:stanfordnlp/imdb@refs/pr/7",
                        new HubDataset("stanfordnlp/imdb", null, "refs/pr/7")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void aNameMayPinARevisionAsHfFileSystemWritesIt(String data, HubDataset expected) {
        assertEquals(expected, HubDataset.parse(data));
        assertEquals(data.replace("%2F", "/"), expected.toString());
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "hf:just-a-name",
                "hf:a/b@",
                "hf:a/b@../main",
                "hf:a/b@main:sst2",
                "hf:a/b:bad config",
                "hf:a/b/c"
            })
    void aBadNameIsAnInputError(String data) {
        var error = assertThrows(InputException.class, () -> HubDataset.parse(data));
        assertTrue(error.getMessage().startsWith("--data hf:"), error.getMessage());
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
}
