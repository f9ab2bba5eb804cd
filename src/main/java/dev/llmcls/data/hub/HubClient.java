package dev.llmcls.data.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fetches one split of a Hub dataset as local Parquet, the way {@code huggingface_hub} does: the
 * revision's commit and files from {@code GET
 * /api/datasets/OWNER/NAME/revision/REVISION?blobs=true} (the revision quoted whole, {@code
 * refs%2Fconvert%2Fparquet}; each sibling's {@code rfilename}, {@code size}, {@code blobId} and,
 * for a file in LFS, {@code lfs.sha256}), each file from {@code GET
 * /datasets/OWNER/NAME/resolve/COMMIT/PATH} (following redirects; the token goes only to the Hub's
 * own host). A download goes to a temporary file beside its place and is moved there only once its
 * size and sha256 (or git blob id) match what the Hub reported, so a download cut short leaves
 * nothing behind; one that sends no byte for the download timeout ({@code HF_HUB_DOWNLOAD_TIMEOUT},
 * 10 s as in huggingface_hub) is dropped and tried once more.
 *
 * <p>A split may be several files ({@code data/train-00000-of-00003.parquet}...): all are fetched
 * and read as one dataset, in order. When the {@code main} branch holds no Parquet for the split (a
 * dataset stored as CSV, JSON or a script), the Hub's own conversion on the {@code
 * refs/convert/parquet} branch is read instead ({@code CONFIG/SPLIT/0000.parquet}...).
 *
 * <p>Cache layout, per dataset: {@code OWNER--NAME/refs/REVISION} holds the commit a branch or tag
 * last resolved to (as huggingface_hub's cache does); {@code OWNER--NAME/snapshots/COMMIT/PATH} the
 * files; {@code OWNER--NAME/splits/COMMIT/CONFIG/SPLIT/} a split whose files all arrived whole
 * (links to them, in reading order, and {@code .files} listing their paths). Offline ({@code
 * HF_HUB_OFFLINE=1}) the commit comes from {@code refs/} and the split from {@code splits/};
 * nothing is sent.
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** The branch on which the Hub keeps its Parquet conversion of every public dataset. */
    public static final String CONVERTED = "refs/convert/parquet";

    /** huggingface_hub's {@code HF_HUB_DOWNLOAD_TIMEOUT} default. */
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofSeconds(10);

    private static final int MOST_REDIRECTS = 5;
    private static final String FILE_LIST = ".files";

    private final URI endpoint;
    private final String token;
    private final boolean offline;
    private final Path cache;
    private final Duration downloadTimeout;
    private final HttpClient http;

    public HubClient(String endpoint, String token, boolean offline, Path cache) {
        this(endpoint, token, offline, cache, DEFAULT_DOWNLOAD_TIMEOUT);
    }

    private HubClient(
            String endpoint, String token, boolean offline, Path cache, Duration downloadTimeout) {
        String base = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        this.endpoint =
                URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.offline = offline;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.downloadTimeout = Objects.requireNonNull(downloadTimeout, "downloadTimeout");
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(30))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /**
     * This client with another download timeout: how long a download may go without a byte before
     * it is dropped (and tried once more).
     */
    public HubClient withDownloadTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the download timeout must be positive");
        }
        return new HubClient(endpoint.toString(), token, offline, cache, timeout);
    }

    /**
     * A client as the environment configures it: {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code
     * HF_HUB_OFFLINE}, {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds); the cache is {@code cache} if
     * given, else {@code $LLMCLS_CACHE/datasets}, else {@code ~/.cache/llmcls/datasets}.
     */
    public static HubClient fromEnvironment(Map<String, String> env, Path cache, String userHome) {
        Path dir = cache;
        if (dir == null) {
            String root = env.get("LLMCLS_CACHE");
            dir =
                    root != null && !root.isBlank()
                            ? Path.of(root, "datasets")
                            : Path.of(userHome, ".cache", "llmcls", "datasets");
        }
        String offline = env.getOrDefault("HF_HUB_OFFLINE", "").strip().toUpperCase(Locale.ROOT);
        return new HubClient(
                env.get("HF_ENDPOINT"),
                env.get("HF_TOKEN"),
                List.of("1", "ON", "YES", "TRUE").contains(offline),
                dir,
                downloadTimeout(env.get("HF_HUB_DOWNLOAD_TIMEOUT")));
    }

    private static Duration downloadTimeout(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_DOWNLOAD_TIMEOUT;
        }
        try {
            double seconds = Double.parseDouble(value.strip());
            if (seconds > 0 && seconds < 1e7) {
                return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputException(
                "HF_HUB_DOWNLOAD_TIMEOUT='"
                        + value
                        + "': give the seconds a download may wait for"
                        + " a byte (e.g. 60)");
    }

    /**
     * A split's local Parquet and where it came from. {@code file} is what {@code --data} then
     * reads: the split's one file, or the directory of its several files (read in order as one
     * dataset). {@code commit} is the commit the files were taken from, {@code revision} the
     * branch, tag or sha it was resolved from ({@link #CONVERTED} when the Hub's conversion was
     * read), {@code paths} the split's files in the repository, in reading order.
     */
    public record Fetched(Path file, String commit, String revision, List<String> paths) {
        public Fetched {
            paths = List.copyOf(paths);
        }

        public Fetched(Path file, String commit) {
            this(file, commit, HubDataset.MAIN, List.of());
        }
    }

    /**
     * One file of the revision as the Hub lists it: its size and its sha256 (LFS) or git blob id.
     */
    record RemoteFile(String path, long size, String sha256, String blobId) {}

    /** A revision as the Hub lists it: its commit and its files. */
    private record Listing(String revision, String commit, List<RemoteFile> files) {
        List<String> paths() {
            return files.stream().map(RemoteFile::path).toList();
        }
    }

    /**
     * The split's Parquet, downloaded unless the cache holds it; {@code log} gets a line for each
     * thing done.
     */
    public Fetched fetch(HubDataset dataset, String split, Consumer<String> log) {
        Path repoDir = cache.resolve(dataset.repoId().replace("/", "--"));
        if (offline) {
            return fromCache(dataset, split, repoDir, log);
        }
        Listing listing = listing(dataset, dataset.revisionOrMain());
        Selection selection =
                select(dataset, split, listing.paths(), listing.revision().equals(CONVERTED));
        if (selection.paths().isEmpty()
                && (dataset.revision() == null || dataset.revision().equals(HubDataset.MAIN))) {
            Listing converted = convertedListing(dataset);
            if (converted == null) {
                throw new InputException(
                        selection.problem()
                                + " at commit "
                                + listing.commit()
                                + ", and the Hub has no Parquet conversion of it ("
                                + CONVERTED
                                + ")");
            }
            Selection fromConverted = select(dataset, split, converted.paths(), true);
            if (fromConverted.paths().isEmpty()) {
                throw new InputException(
                        fromConverted.problem()
                                + " in the Hub's Parquet conversion ("
                                + CONVERTED
                                + " at commit "
                                + converted.commit()
                                + ")");
            }
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": no Parquet for it in "
                            + HubDataset.MAIN
                            + " at commit "
                            + listing.commit()
                            + "; reading the Hub's Parquet conversion ("
                            + CONVERTED
                            + ")");
            listing = converted;
            selection = fromConverted;
        } else if (selection.paths().isEmpty()) {
            throw new InputException(
                    selection.problem()
                            + " at "
                            + dataset.revisionOrMain()
                            + " (commit "
                            + listing.commit()
                            + ")"
                            + (dataset.revisionOrMain().equals(CONVERTED)
                                    ? ""
                                    : "; the Hub converts only "
                                            + HubDataset.MAIN
                                            + " to Parquet"));
        }
        if (selection.partial()) {
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": the Hub converted only part of this split (it is larger than"
                            + " its conversion's limit): its first rows are read, not all");
        }
        return fetchFiles(dataset, split, repoDir, listing, selection.paths(), log);
    }

    private Fetched fetchFiles(
            HubDataset dataset,
            String split,
            Path repoDir,
            Listing listing,
            List<String> paths,
            Consumer<String> log) {
        String commit = listing.commit();
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        Path splitDir = splitDir(repoDir, commit, dataset, split);
        boolean complete = Files.isRegularFile(splitDir.resolve(FILE_LIST));
        long bytes = 0;
        int fetched = 0;
        for (String path : paths) {
            RemoteFile remote =
                    listing.files().stream()
                            .filter(f -> f.path().equals(path))
                            .findFirst()
                            .orElseThrow();
            Path target = inside(dataset, snapshot, path);
            if (!Files.isRegularFile(target)) {
                log.accept(
                        dataset
                                + " "
                                + split
                                + ": downloading "
                                + path
                                + " ("
                                + remote.size()
                                + " bytes) at commit "
                                + commit
                                + (paths.size() > 1
                                        ? " (file " + (fetched + 1) + " of " + paths.size() + ")"
                                        : ""));
                downloadWithRetry(dataset, commit, remote, target, log);
                bytes += Math.max(0, remote.size());
                complete = false;
            }
            fetched++;
        }
        if (!complete) {
            recordSplit(splitDir, snapshot, paths);
        }
        if (bytes == 0) {
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": "
                            + (paths.size() == 1 ? paths.get(0) : paths.size() + " files")
                            + " at commit "
                            + commit
                            + " from the cache");
        }
        if (!listing.revision().equals(commit)) {
            writeRef(repoDir, listing.revision(), commit);
        }
        return fetched(snapshot, splitDir, commit, listing.revision(), paths);
    }

    /** The split's files as the data layer reads them: the one file, or the split's directory. */
    private static Fetched fetched(
            Path snapshot, Path splitDir, String commit, String revision, List<String> paths) {
        Path file = paths.size() == 1 ? snapshot.resolve(paths.get(0)) : splitDir;
        return new Fetched(file, commit, revision, paths);
    }

    /** Offline: the commit from {@code refs/}, the split from {@code splits/}. */
    private Fetched fromCache(
            HubDataset dataset, String split, Path repoDir, Consumer<String> log) {
        var revisions = new ArrayList<String>();
        revisions.add(dataset.revisionOrMain());
        if (dataset.revision() == null || dataset.revision().equals(HubDataset.MAIN)) {
            revisions.add(CONVERTED);
        }
        for (String revision : revisions) {
            String commit = dataset.pinnedToCommit() ? revision : cachedCommit(repoDir, revision);
            if (commit == null) {
                continue;
            }
            Path splitDir = splitDir(repoDir, commit, dataset, split);
            Path list = splitDir.resolve(FILE_LIST);
            if (!Files.isRegularFile(list)) {
                continue;
            }
            List<String> paths = readString(list).lines().filter(l -> !l.isBlank()).toList();
            Path snapshot = repoDir.resolve("snapshots").resolve(commit);
            for (String path : paths) {
                if (!Files.isRegularFile(snapshot.resolve(path))) {
                    throw new InputException(
                            dataset
                                    + ": HF_HUB_OFFLINE is set and the cache lacks "
                                    + snapshot.resolve(path)
                                    + "; run once without HF_HUB_OFFLINE to fetch it again");
                }
            }
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": offline, "
                            + (paths.size() == 1 ? paths.get(0) : paths.size() + " files")
                            + " at commit "
                            + commit
                            + (revision.equals(CONVERTED) ? " (" + CONVERTED + ")" : "")
                            + " from the cache");
            return fetched(snapshot, splitDir, commit, revision, paths);
        }
        throw new InputException(
                dataset
                        + ": HF_HUB_OFFLINE is set and the cache ("
                        + cache
                        + ") holds no split '"
                        + split
                        + "' of this dataset"
                        + cachedSplits(repoDir)
                        + "; fetch it once online: unset HF_HUB_OFFLINE and run the same command"
                        + " (--data "
                        + dataset
                        + " --split "
                        + split
                        + ")");
    }

    /** What the cache holds of a dataset, for an offline miss: {@code " (it holds: ...)"}. */
    private static String cachedSplits(Path repoDir) {
        Path splits = repoDir.resolve("splits");
        if (!Files.isDirectory(splits)) {
            return "";
        }
        try (Stream<Path> lists = Files.walk(splits)) {
            var held =
                    lists.filter(p -> p.getFileName().toString().equals(FILE_LIST))
                            .map(p -> splits.relativize(p.getParent()))
                            .map(p -> p.subpath(1, p.getNameCount()).toString().replace('\\', '/'))
                            .map(p -> p.startsWith("_/") ? p.substring(2) : p.replace('/', ':'))
                            .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
            return held.isEmpty() ? "" : " (it holds " + held + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String cachedCommit(Path repoDir, String revision) {
        Path ref = repoDir.resolve("refs").resolve(revision);
        return Files.isRegularFile(ref) ? readString(ref).strip() : null;
    }

    private static Path splitDir(Path repoDir, String commit, HubDataset dataset, String split) {
        return repoDir.resolve("splits")
                .resolve(commit)
                .resolve(dataset.config() == null ? "_" : dataset.config())
                .resolve(split);
    }

    /**
     * Marks a split whose files all arrived whole: a directory of links to them, named in reading
     * order, and {@code .files}, written last, listing their paths.
     */
    private static void recordSplit(Path splitDir, Path snapshot, List<String> paths) {
        try {
            Files.createDirectories(splitDir);
            try (Stream<Path> old = Files.list(splitDir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            int width = Integer.toString(paths.size() - 1).length();
            for (int i = 0; i < paths.size(); i++) {
                String name =
                        String.format(Locale.ROOT, "%0" + Math.max(5, width) + "d", i)
                                + "-"
                                + paths.get(i).replace('/', '-');
                Path link = splitDir.resolve(name);
                try {
                    Files.createLink(link, snapshot.resolve(paths.get(i)));
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(snapshot.resolve(paths.get(i)), link);
                }
            }
            Path temp = splitDir.resolve(FILE_LIST + ".tmp");
            Files.writeString(temp, String.join("\n", paths) + "\n", StandardCharsets.UTF_8);
            Files.move(
                    temp,
                    splitDir.resolve(FILE_LIST),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(
                    "cannot write the dataset cache " + splitDir + ": " + e.getMessage(), e);
        }
    }

    private Listing listing(HubDataset dataset, String revision) {
        JsonNode info =
                getJson(
                        dataset,
                        revision,
                        endpoint
                                + "/api/datasets/"
                                + dataset.repoId()
                                + "/revision/"
                                + URLEncoder.encode(revision, StandardCharsets.UTF_8)
                                + "?blobs=true");
        String commit = info.path("sha").asText("");
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new InputException(dataset + ": the Hub's answer names no commit (sha)");
        }
        var files = new ArrayList<RemoteFile>();
        for (JsonNode sibling : info.path("siblings")) {
            JsonNode lfs = sibling.get("lfs");
            files.add(
                    new RemoteFile(
                            sibling.path("rfilename").asText(),
                            sibling.path("size").asLong(-1),
                            lfs == null || lfs.isNull() ? null : lfs.path("sha256").asText(null),
                            sibling.path("blobId").asText(null)));
        }
        return new Listing(revision, commit, files);
    }

    /** The Hub's conversion branch, or null when the dataset has none (404 RevisionNotFound). */
    private Listing convertedListing(HubDataset dataset) {
        try {
            return listing(dataset, CONVERTED);
        } catch (Refused refused) {
            if (refused.status == 404) {
                return null;
            }
            throw refused;
        }
    }

    /**
     * The split's files among {@code paths} in reading order (empty with a {@code problem} that
     * names the configs or splits there are when none is found), as Hugging Face's datasets library
     * finds a split's files: a file name starting with the split's name ({@code
     * data/train-00000-of-00003.parquet}), or a directory named after it ({@code
     * default/train/0000.parquet} on the conversion branch, where a split too large to convert
     * whole is {@code partial-train}); under the config's directory when a config is named. With no
     * config named, a split found under several configs' directories is ambiguous.
     */
    static Selection select(
            HubDataset dataset, String split, List<String> paths, boolean converted) {
        var parquet = paths.stream().filter(p -> p.endsWith(".parquet")).sorted().toList();
        var configs = new TreeSet<String>();
        for (String p : parquet) {
            String config = configOf(p, converted);
            if (config != null) {
                configs.add(config);
            }
        }
        if (!converted
                && "default".equals(dataset.config())
                && !configs.contains("default")
                && parquet.stream().anyMatch(p -> configOf(p, false) == null)) {
            // the datasets library's name for the one config of a dataset without config dirs
            dataset = new HubDataset(dataset.repoId(), null, dataset.revision());
        }
        if (dataset.config() != null && !configs.contains(dataset.config())) {
            return Selection.none(
                    dataset
                            + ": no config '"
                            + dataset.config()
                            + "'; "
                            + (configs.isEmpty()
                                    ? "its Parquet files are in no config's directory: leave the"
                                            + " config out (hf:"
                                            + dataset.repoId()
                                            + ")"
                                    : "the configs are " + configs)
                            + (parquet.isEmpty() ? " (it has no Parquet files)" : ""));
        }
        var matches = new ArrayList<String>();
        var splits = new TreeSet<String>();
        boolean partial = false;
        for (String p : parquet) {
            String config = configOf(p, converted);
            if (dataset.config() != null && !dataset.config().equals(config)) {
                continue;
            }
            splits.add(splitOf(p));
            List<String> segments = List.of(p.split("/", -1));
            String name = segments.get(segments.size() - 1);
            List<String> dirs = segments.subList(0, segments.size() - 1);
            boolean inSplitDir = dirs.contains(split);
            boolean inPartialDir = converted && dirs.contains("partial-" + split);
            boolean namedForSplit =
                    name.startsWith(split)
                            && name.length() > split.length()
                            && "-._0123456789".indexOf(name.charAt(split.length())) >= 0;
            if (inSplitDir || inPartialDir || namedForSplit) {
                matches.add(p);
                partial |= inPartialDir;
            }
        }
        String scope = dataset.config() == null ? "" : " (config '" + dataset.config() + "')";
        if (matches.isEmpty()) {
            return Selection.none(
                    dataset
                            + ": no split '"
                            + split
                            + "'"
                            + scope
                            + "; "
                            + (splits.isEmpty()
                                    ? "it has no Parquet files"
                                    : "the splits are " + splits));
        }
        var where = new TreeSet<String>();
        for (String match : matches) {
            String config = configOf(match, converted);
            where.add(config == null ? "" : config);
        }
        if (dataset.config() == null && where.size() > 1) {
            throw new InputException(
                    dataset
                            + ": split '"
                            + split
                            + "' is in several configs "
                            + where
                            + "; name one: --data hf:"
                            + dataset.repoId()
                            + ":"
                            + where.stream().filter(c -> !c.isEmpty()).findFirst().orElse("")
                            + (dataset.revision() == null ? "" : "@" + dataset.revision()));
        }
        matches.sort(dev.llmcls.core.NaturalOrder.INSTANCE);
        return new Selection(matches, partial, null);
    }

    /** The split's files found, or none and why. */
    record Selection(List<String> paths, boolean partial, String problem) {
        static Selection none(String problem) {
            return new Selection(List.of(), false, problem);
        }
    }

    /**
     * The config a Parquet path belongs to: its first directory ({@code sst2/train-0.parquet}, the
     * conversion's {@code default/train/0000.parquet}); none for a top-level file or one under
     * {@code data/} (a dataset of one config).
     */
    private static String configOf(String path, boolean converted) {
        int slash = path.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String first = path.substring(0, slash);
        return !converted && first.equals("data") ? null : first;
    }

    /**
     * The split a Parquet path holds, for naming the splits there are: its directory's name for a
     * numbered file ({@code default/train/0000.parquet}, {@code partial-} dropped), else its name
     * up to the shard number ({@code train-00000-of-00003.parquet}).
     */
    private static String splitOf(String path) {
        List<String> segments = List.of(path.split("/", -1));
        String name = segments.get(segments.size() - 1);
        if (name.matches("\\d+\\.parquet") && segments.size() > 1) {
            String dir = segments.get(segments.size() - 2);
            return dir.startsWith("partial-") ? dir.substring("partial-".length()) : dir;
        }
        return name.replaceFirst("([-_.]\\d+(-of-\\d+)?)?\\.parquet$", "");
    }

    private static Path inside(HubDataset dataset, Path snapshot, String path) {
        Path target = snapshot.resolve(path).normalize();
        if (!target.startsWith(snapshot)) {
            throw new InputException(
                    dataset + ": the Hub lists a file outside the dataset: " + path);
        }
        return target;
    }

    private JsonNode getJson(HubDataset dataset, String revision, String url) {
        HttpResponse<InputStream> response;
        try {
            response = send(dataset, revision, URI.create(url), true);
        } catch (IOException e) {
            throw unreachable(dataset, URI.create(url), e);
        }
        try (InputStream body = response.body()) {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InputException(
                    dataset + ": unreadable answer from " + url + ": " + e.getMessage(), e);
        }
    }

    private static InputException unreachable(HubDataset dataset, URI uri, IOException e) {
        return new InputException(
                dataset
                        + ": cannot reach "
                        + uri.getHost()
                        + ": "
                        + e.getMessage()
                        + " (HF_HUB_OFFLINE=1 reads what the cache holds)",
                e);
    }

    /**
     * Downloads one file; a transfer that breaks off or stalls is tried once more from the start,
     * one whose bytes do not match what the Hub lists is not.
     */
    private void downloadWithRetry(
            HubDataset dataset,
            String commit,
            RemoteFile remote,
            Path target,
            Consumer<String> log) {
        try {
            download(dataset, commit, remote, target);
        } catch (TransferFailed first) {
            log.accept(
                    dataset
                            + ": "
                            + remote.path()
                            + ": "
                            + first.getMessage()
                            + "; trying once more");
            try {
                download(dataset, commit, remote, target);
            } catch (TransferFailed second) {
                throw new InputException(
                        dataset
                                + ": the download of "
                                + remote.path()
                                + " failed twice: "
                                + second.getMessage()
                                + " (nothing kept; run again to retry"
                                + (second.stalled
                                        ? ", or allow a slower link more time with"
                                                + " HF_HUB_DOWNLOAD_TIMEOUT=SECONDS"
                                        : "")
                                + ")",
                        second);
            }
        }
    }

    /** A transfer that broke off or stalled: worth one more try. */
    private static final class TransferFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean stalled;

        TransferFailed(String message, boolean stalled, Throwable cause) {
            super(message, cause);
            this.stalled = stalled;
        }
    }

    private void download(HubDataset dataset, String commit, RemoteFile remote, Path target)
            throws TransferFailed {
        URI url =
                URI.create(
                        endpoint
                                + "/datasets/"
                                + dataset.repoId()
                                + "/resolve/"
                                + commit
                                + "/"
                                + encodePath(remote.path()));
        Path partial = target.resolveSibling("." + target.getFileName() + ".incomplete");
        AtomicLong lastByte = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledExecutorService watchdog =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "hub-download-watchdog");
                            thread.setDaemon(true);
                            return thread;
                        });
        long written = 0;
        try {
            Files.createDirectories(target.getParent());
            HttpResponse<InputStream> response = send(dataset, commit, url, false);
            MessageDigest sha256 = digest("SHA-256");
            MessageDigest sha1 = digest("SHA-1");
            sha1.update(("blob " + remote.size() + "\0").getBytes(StandardCharsets.US_ASCII));
            InputStream in = response.body();
            long tick = Math.max(5, Math.min(1000, downloadTimeout.toMillis() / 4));
            var unused =
                    watchdog.scheduleAtFixedRate(
                            () -> {
                                if (System.nanoTime() - lastByte.get()
                                        > downloadTimeout.toNanos()) {
                                    stalled.set(true);
                                    try {
                                        in.close();
                                    } catch (IOException e) {
                                        // closing is how the blocked read is ended; nothing to add
                                    }
                                }
                            },
                            tick,
                            tick,
                            TimeUnit.MILLISECONDS);
            try (in;
                    OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    lastByte.set(System.nanoTime());
                    out.write(buffer, 0, n);
                    sha256.update(buffer, 0, n);
                    sha1.update(buffer, 0, n);
                    written += n;
                }
            }
            if (stalled.get() && (remote.size() < 0 || written < remote.size())) {
                throw stall(written);
            }
            if (remote.size() >= 0 && written < remote.size()) {
                throw new TransferFailed(
                        "the transfer ended after " + written + " of " + remote.size() + " bytes",
                        false,
                        null);
            }
            if (remote.size() >= 0 && written != remote.size()) {
                throw new InputException(
                        dataset
                                + ": "
                                + remote.path()
                                + " arrived with "
                                + written
                                + " bytes; the Hub lists "
                                + remote.size()
                                + " (nothing kept)");
            }
            verify(dataset, remote, sha256, sha1);
            Files.move(
                    partial,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (stalled.get()) {
                throw stall(written);
            }
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new TransferFailed(
                    "the transfer broke off after "
                            + written
                            + (remote.size() >= 0 ? " of " + remote.size() : "")
                            + " bytes ("
                            + cause.getMessage()
                            + ")",
                    false,
                    e);
        } finally {
            watchdog.shutdownNow();
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // best effort: an .incomplete file is never read as data
            }
        }
    }

    private TransferFailed stall(long written) {
        return new TransferFailed(
                "no byte came for "
                        + seconds(downloadTimeout)
                        + " (HF_HUB_DOWNLOAD_TIMEOUT) after "
                        + written
                        + " bytes",
                true,
                null);
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0
                ? millis / 1000 + " s"
                : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void verify(
            HubDataset dataset, RemoteFile remote, MessageDigest sha256, MessageDigest sha1) {
        if (remote.sha256() != null) {
            String got = HexFormat.of().formatHex(sha256.digest());
            if (!got.equalsIgnoreCase(remote.sha256())) {
                throw new InputException(
                        dataset
                                + ": "
                                + remote.path()
                                + " has sha256 "
                                + got
                                + "; the Hub lists "
                                + remote.sha256()
                                + " (nothing kept)");
            }
        } else if (remote.blobId() != null) {
            String got = HexFormat.of().formatHex(sha1.digest());
            if (!got.equalsIgnoreCase(remote.blobId())) {
                throw new InputException(
                        dataset
                                + ": "
                                + remote.path()
                                + " has git blob id "
                                + got
                                + "; the Hub lists "
                                + remote.blobId()
                                + " (nothing kept)");
            }
        }
    }

    /**
     * GET {@code uri}, following up to {@value #MOST_REDIRECTS} redirects; the token is sent to the
     * Hub's own host only (a redirect to a CDN gets no Authorization header, as huggingface_hub
     * does). A refusal is an input error that says what to do; a transport failure is thrown as
     * such.
     */
    private HttpResponse<InputStream> send(
            HubDataset dataset, String revision, URI uri, boolean json) throws IOException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(current)
                            .GET()
                            .header("User-Agent", "llmcls; hf_hub-compatible");
            if (json) {
                request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
            } else {
                // until the answer's headers; the body's bytes are watched in download()
                request.timeout(downloadTimeout);
            }
            if (token != null && sameHost(current, endpoint)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InputException(dataset + ": interrupted while fetching", e);
            }
            int status = response.statusCode();
            if (status >= 300
                    && status < 400
                    && response.headers().firstValue("Location").isPresent()) {
                close(response);
                if (hop >= MOST_REDIRECTS) {
                    throw new InputException(
                            dataset + ": more than " + MOST_REDIRECTS + " redirects from " + uri);
                }
                current = current.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            if (status == 200) {
                return response;
            }
            close(response);
            throw refusal(
                    dataset,
                    revision,
                    status,
                    response.headers().firstValue("X-Error-Code").orElse(""));
        }
    }

    /** A refused request, with its HTTP status. */
    private static final class Refused extends InputException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What a refused request means, as huggingface_hub's {@code hf_raise_for_status} reads it. */
    private Refused refusal(HubDataset dataset, String revision, int status, String errorCode) {
        String page = endpoint + "/datasets/" + dataset.repoId();
        if (status == 401) {
            return new Refused(
                    status,
                    dataset
                            + ": "
                            + (token == null
                                    ? "the Hub wants a token (401): the dataset is private or"
                                            + " gated; set HF_TOKEN to a token of an account with"
                                            + " access (https://huggingface.co/settings/tokens)"
                                    : "the Hub refused HF_TOKEN (401): the token is invalid or has"
                                            + " no access to "
                                            + page));
        }
        if (status == 403 || "GatedRepo".equals(errorCode)) {
            return new Refused(
                    status,
                    dataset
                            + ": access refused ("
                            + status
                            + "): the dataset is gated; accept "
                            + "its conditions at "
                            + page
                            + " with the account of HF_TOKEN");
        }
        if (status == 404) {
            return new Refused(
                    status,
                    dataset
                            + ": "
                            + ("RevisionNotFound".equals(errorCode)
                                    ? "no revision '"
                                            + revision
                                            + "' (a branch, a tag or a commit sha of "
                                            + page
                                            + ")"
                                    : "EntryNotFound".equals(errorCode)
                                            ? "a file the Hub listed is gone (404); run again"
                                            : "no such dataset on "
                                                    + endpoint
                                                    + " (404; a private one needs HF_TOKEN)"));
        }
        return new Refused(
                status,
                dataset
                        + ": the Hub answered HTTP "
                        + status
                        + (errorCode.isEmpty() ? "" : " (" + errorCode + ")"));
    }

    private static boolean sameHost(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme())
                && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    private static String encodePath(String path) {
        var parts = new ArrayList<String>();
        for (String segment : path.split("/", -1)) {
            parts.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // the answer is discarded anyway
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records the commit a branch or tag resolved to, at {@code refs/REVISION} ({@code
     * refs/refs/convert/parquet} for the conversion branch, as huggingface_hub's cache nests it).
     */
    private static void writeRef(Path repoDir, String revision, String commit) {
        Path ref = repoDir.resolve("refs").resolve(revision);
        try {
            Files.createDirectories(ref.getParent());
            Path temp = ref.resolveSibling(ref.getFileName() + ".tmp");
            Files.writeString(temp, commit, StandardCharsets.UTF_8);
            Files.move(
                    temp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(
                    "cannot write the dataset cache " + ref + ": " + e.getMessage(), e);
        }
    }
}
