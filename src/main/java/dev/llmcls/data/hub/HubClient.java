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
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fetches one split of a Hub dataset as a local Parquet file, the way {@code huggingface_hub} does:
 * the revision's commit and files from {@code GET
 * /api/datasets/OWNER/NAME/revision/main?blobs=true} (each sibling's {@code rfilename}, {@code
 * size}, {@code blobId} and, for a file in LFS, {@code lfs.sha256}), the file from {@code GET
 * /datasets/OWNER/NAME/resolve/COMMIT/PATH} (following redirects; the token goes only to the Hub's
 * own host). The download goes to a temporary file beside its place and is moved there only once
 * its size and sha256 (or git blob id) match what the Hub reported, so a download cut short leaves
 * nothing behind.
 *
 * <p>Cache layout, per dataset: {@code OWNER--NAME/refs/main} holds the commit last resolved;
 * {@code OWNER--NAME/snapshots/COMMIT/PATH} the files. Offline ({@code HF_HUB_OFFLINE=1}) the
 * commit comes from {@code refs/main} and the split's file from that snapshot; nothing is sent.
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final String REVISION = "main";
    private static final int MOST_REDIRECTS = 5;

    private final URI endpoint;
    private final String token;
    private final boolean offline;
    private final Path cache;
    private final HttpClient http;

    public HubClient(String endpoint, String token, boolean offline, Path cache) {
        String base = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        this.endpoint =
                URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.offline = offline;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(30))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /**
     * A client as the environment configures it: {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code
     * HF_HUB_OFFLINE}; the cache is {@code cache} if given, else {@code $LLMCLS_CACHE/datasets},
     * else {@code ~/.cache/llmcls/datasets}.
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
                dir);
    }

    /** A split's local Parquet file and the commit it was taken from. */
    public record Fetched(Path file, String commit) {}

    /**
     * One file of the revision as the Hub lists it: its size and its sha256 (LFS) or git blob id.
     */
    record RemoteFile(String path, long size, String sha256, String blobId) {}

    /**
     * The split's Parquet file, downloaded unless the cache holds it; {@code log} gets one line of
     * what was done.
     */
    public Fetched fetch(HubDataset dataset, String split, Consumer<String> log) {
        Path repoDir = cache.resolve(dataset.repoId().replace("/", "--"));
        if (offline) {
            Path ref = repoDir.resolve("refs").resolve(REVISION);
            if (!Files.isRegularFile(ref)) {
                throw new InputException(
                        dataset
                                + ": HF_HUB_OFFLINE is set and the cache ("
                                + cache
                                + ") holds nothing of this dataset; fetch it once online");
            }
            String commit = readString(ref).strip();
            Path snapshot = repoDir.resolve("snapshots").resolve(commit);
            List<String> present;
            try (Stream<Path> files =
                    Files.isDirectory(snapshot) ? Files.walk(snapshot) : Stream.empty()) {
                present =
                        files.filter(Files::isRegularFile)
                                .map(p -> snapshot.relativize(p).toString().replace('\\', '/'))
                                .sorted()
                                .toList();
            } catch (IOException e) {
                throw new InputException(
                        "cannot read the dataset cache " + snapshot + ": " + e.getMessage(), e);
            }
            String path = pick(dataset, split, present, "cached at commit " + commit);
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": offline, "
                            + path
                            + " at commit "
                            + commit
                            + " from the cache");
            return new Fetched(snapshot.resolve(path), commit);
        }
        JsonNode info =
                getJson(
                        dataset,
                        endpoint
                                + "/api/datasets/"
                                + dataset.repoId()
                                + "/revision/"
                                + REVISION
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
        String path =
                pick(
                        dataset,
                        split,
                        files.stream().map(RemoteFile::path).toList(),
                        "at commit " + commit);
        RemoteFile remote =
                files.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        Path target = snapshot.resolve(path).normalize();
        if (!target.startsWith(snapshot)) {
            throw new InputException(
                    dataset + ": the Hub lists a file outside the dataset: " + path);
        }
        if (Files.isRegularFile(target)) {
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": "
                            + path
                            + " at commit "
                            + commit
                            + " from the cache");
        } else {
            log.accept(
                    dataset
                            + " "
                            + split
                            + ": downloading "
                            + path
                            + " ("
                            + remote.size()
                            + " bytes) at commit "
                            + commit);
            download(dataset, commit, remote, target);
        }
        writeRef(repoDir.resolve("refs").resolve(REVISION), commit);
        return new Fetched(target, commit);
    }

    /**
     * The split's one Parquet file among {@code paths}, found as Hugging Face's Python library,
     * datasets, finds a split's files (a file name starting with the split's name, or a directory
     * named after it), under the config's directory when one is named.
     */
    static String pick(HubDataset dataset, String split, List<String> paths, String where) {
        var parquet = paths.stream().filter(p -> p.endsWith(".parquet")).toList();
        var matches = new ArrayList<String>();
        for (String p : parquet) {
            List<String> segments = List.of(p.split("/"));
            if (dataset.config() != null
                    && (segments.size() < 2 || !segments.get(0).equals(dataset.config()))) {
                continue;
            }
            String name = segments.get(segments.size() - 1);
            boolean inSplitDir = segments.subList(0, segments.size() - 1).contains(split);
            boolean namedForSplit =
                    name.startsWith(split)
                            && name.length() > split.length()
                            && "-._0123456789".indexOf(name.charAt(split.length())) >= 0;
            if (inSplitDir || namedForSplit) {
                matches.add(p);
            }
        }
        if (matches.isEmpty()) {
            throw new InputException(
                    dataset
                            + ": no Parquet file for split '"
                            + split
                            + "' "
                            + where
                            + "; its Parquet files are "
                            + (parquet.isEmpty() ? "none" : parquet)
                            + (dataset.config() == null
                                    ? ""
                                    : " (config '" + dataset.config() + "')"));
        }
        if (matches.size() > 1) {
            throw new InputException(
                    dataset
                            + ": split '"
                            + split
                            + "' is "
                            + matches.size()
                            + " Parquet files "
                            + matches
                            + "; llmcls reads a split held in one file (a multi-file split is not"
                            + " supported yet)");
        }
        return matches.get(0);
    }

    private JsonNode getJson(HubDataset dataset, String url) {
        HttpResponse<InputStream> response = send(dataset, URI.create(url), true);
        try (InputStream body = response.body()) {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InputException(
                    dataset + ": unreadable answer from " + url + ": " + e.getMessage(), e);
        }
    }

    private void download(HubDataset dataset, String commit, RemoteFile remote, Path target) {
        String url =
                endpoint
                        + "/datasets/"
                        + dataset.repoId()
                        + "/resolve/"
                        + commit
                        + "/"
                        + encodePath(remote.path());
        Path partial = target.resolveSibling("." + target.getFileName() + ".incomplete");
        try {
            Files.createDirectories(target.getParent());
            HttpResponse<InputStream> response = send(dataset, URI.create(url), false);
            MessageDigest sha256 = digest("SHA-256");
            MessageDigest sha1 = digest("SHA-1");
            sha1.update(("blob " + remote.size() + "\0").getBytes(StandardCharsets.US_ASCII));
            long written = 0;
            try (InputStream in = response.body();
                    OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    sha256.update(buffer, 0, n);
                    sha1.update(buffer, 0, n);
                    written += n;
                }
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
            Files.move(
                    partial,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(
                    dataset
                            + ": the download of "
                            + remote.path()
                            + " failed: "
                            + e.getMessage()
                            + " (nothing kept; run again to retry)",
                    e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // best effort: an .incomplete file is never read as data
            }
        }
    }

    /**
     * GET {@code uri}, following up to {@value #MOST_REDIRECTS} redirects; the token is sent to the
     * Hub's own host only (a redirect to a CDN gets no Authorization header, as huggingface_hub
     * does). A refusal is an input error that says what to do.
     */
    private HttpResponse<InputStream> send(HubDataset dataset, URI uri, boolean json) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(current)
                            .GET()
                            .header("User-Agent", "llmcls; hf_hub-compatible");
            if (json) {
                request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
            }
            if (token != null && sameHost(current, endpoint)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new InputException(
                        dataset
                                + ": cannot reach "
                                + current.getHost()
                                + ": "
                                + e.getMessage()
                                + " (HF_HUB_OFFLINE=1 reads what the cache holds)",
                        e);
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
                    dataset, status, response.headers().firstValue("X-Error-Code").orElse(""));
        }
    }

    /** What a refused request means, as huggingface_hub's {@code hf_raise_for_status} reads it. */
    private InputException refusal(HubDataset dataset, int status, String errorCode) {
        String page = endpoint + "/datasets/" + dataset.repoId();
        if (status == 401) {
            return new InputException(
                    dataset
                            + ": "
                            + (token == null
                                    ? "the Hub wants a token (401): the dataset is private or"
                                            + " gated; set HF_TOKEN"
                                    : "the Hub refused HF_TOKEN (401): the token is invalid or has"
                                            + " no access to "
                                            + page));
        }
        if (status == 403 || "GatedRepo".equals(errorCode)) {
            return new InputException(
                    dataset
                            + ": access refused ("
                            + status
                            + "): the dataset is gated; accept "
                            + "its conditions at "
                            + page
                            + " with the account of HF_TOKEN");
        }
        if (status == 404) {
            return new InputException(
                    dataset
                            + ": "
                            + ("RevisionNotFound".equals(errorCode)
                                    ? "no revision '" + REVISION + "'"
                                    : "no such dataset on "
                                            + endpoint
                                            + " (404; a private one needs HF_TOKEN)"));
        }
        return new InputException(
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

    private static void writeRef(Path ref, String commit) {
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
