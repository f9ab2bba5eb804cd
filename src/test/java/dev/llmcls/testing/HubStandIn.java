package dev.llmcls.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the Hugging Face Hub and its file CDN, answering in the Hub's shapes as
 * huggingface_hub reads them (huggingface/huggingface_hub, {@code src/huggingface_hub/hf_api.py}:
 * {@code dataset_info} GETs {@code /api/datasets/{repo_id}/revision/{revision}} with {@code
 * blobs=True} for {@code files_metadata}, and {@code RepoSibling} reads each sibling's {@code
 * rfilename}, {@code size}, {@code blobId} and {@code lfs: {size, sha256, pointerSize}}; {@code
 * src/huggingface_hub/file_download.py}: files come from {@code
 * /datasets/{repo_id}/resolve/{revision}/{filename}}, an LFS file by a 302 to the CDN with {@code
 * X-Repo-Commit}, {@code X-Linked-Etag} and {@code X-Linked-Size}; {@code
 * src/huggingface_hub/utils/_http.py}: {@code hf_raise_for_status} reads the {@code X-Error-Code}
 * header: {@code RepoNotFound}, {@code RevisionNotFound}, {@code GatedRepo}). Other revisions than
 * {@code main} are branches of their own commit ({@link #branch}): {@code hf_api.py} asks for one
 * as {@code /revision/{quote(revision, safe='')}}, so {@code refs/convert/parquet} arrives as
 * {@code refs%2Fconvert%2Fparquet}; a commit sha names the revision at that commit.
 */
public final class HubStandIn implements AutoCloseable {
    public static final String COMMIT = "3f2a4c1e9b8d7a6f5e4d3c2b1a0f9e8d7c6b5a49";

    /**
     * How the CDN answers a file: whole, cut after half its bytes, or with other bytes than the Hub
     * listed.
     */
    public enum Delivery {
        WHOLE,
        CUT,
        TAMPERED,
        /** Half the bytes, then nothing while the connection stays open. */
        STALL
    }

    /** A branch: its commit and files (path to content), some of them in LFS. */
    public final class Branch {
        final String commit;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final List<String> lfs = new ArrayList<>();

        Branch(String commit) {
            this.commit = commit;
        }

        public Branch file(String path, byte[] content, boolean inLfs) {
            files.put(path, content);
            if (inLfs) {
                lfs.add(path);
            }
            return this;
        }

        public HubStandIn hub() {
            return HubStandIn.this;
        }
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Branch> branches = new java.util.concurrent.ConcurrentHashMap<>();

    /** Deliveries to use, one per CDN request, before {@link #delivery}. */
    public final java.util.Queue<Delivery> nextDeliveries =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    public final List<String> hubRequests = new CopyOnWriteArrayList<>();
    public final List<String> cdnRequests = new CopyOnWriteArrayList<>();
    public final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();
    public final List<String> hubAuthorizations = new CopyOnWriteArrayList<>();
    public volatile String repoId = "glue-team/sst2-mini";
    public volatile int refuseWith;
    public volatile String errorCode;
    public volatile Delivery delivery = Delivery.WHOLE;

    public HubStandIn() throws IOException {
        branches.put("main", new Branch(COMMIT));
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.setExecutor(Executors.newCachedThreadPool());
        cdn.setExecutor(Executors.newCachedThreadPool());
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.start();
        cdn.start();
    }

    /**
     * A file of the repository; {@code inLfs}: listed with its sha256 and served through the CDN.
     */
    public HubStandIn file(String path, byte[] content, boolean inLfs) {
        branches.get("main").file(path, content, inLfs);
        return this;
    }

    /**
     * The branch {@code name} (created at {@code commit}, or moved there with its files dropped):
     * {@code main} to move the main branch to a new commit, {@code refs/convert/parquet} for the
     * Hub's conversion.
     */
    public Branch branch(String name, String commit) {
        Branch branch = new Branch(commit);
        Branch before = branches.put(name, branch);
        if (before != null && !before.commit.equals(commit)) {
            // a moved branch's old commit stays reachable by its sha, as on the Hub
            branches.put("\0" + before.commit, before);
        }
        return branch;
    }

    private Branch byCommit(String commit) {
        return branches.values().stream()
                .filter(b -> b.commit.equals(commit))
                .findFirst()
                .orElse(null);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    private void hub(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hubRequests.add(exchange.getRequestURI().toString());
        hubAuthorizations.add(
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        if (refuseWith != 0) {
            if (errorCode != null) {
                exchange.getResponseHeaders().add("X-Error-Code", errorCode);
            }
            send(exchange, refuseWith, "{\"error\":\"refused\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String raw = exchange.getRequestURI().getRawPath();
        String api = "/api/datasets/" + repoId + "/revision/";
        String resolve = "/datasets/" + repoId + "/resolve/";
        if (raw.startsWith(api)) {
            String revision =
                    java.net.URLDecoder.decode(raw.substring(api.length()), StandardCharsets.UTF_8);
            Branch branch =
                    branches.containsKey(revision) ? branches.get(revision) : byCommit(revision);
            if (branch == null) {
                exchange.getResponseHeaders().add("X-Error-Code", "RevisionNotFound");
                send(
                        exchange,
                        404,
                        ("{\"error\":\"Invalid rev id: " + revision + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, revisionJson(branch).getBytes(StandardCharsets.UTF_8));
            return;
        }
        Branch branch = null;
        String file = null;
        if (path.startsWith(resolve) && path.length() > resolve.length() + 41) {
            branch = byCommit(path.substring(resolve.length(), resolve.length() + 40));
            file = path.substring(resolve.length() + 41);
        }
        if (branch != null && branch.files.containsKey(file)) {
            byte[] content = branch.files.get(file);
            exchange.getResponseHeaders().add("X-Repo-Commit", branch.commit);
            if (branch.lfs.contains(file)) {
                exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256(content) + "\"");
                exchange.getResponseHeaders()
                        .add("X-Linked-Size", Integer.toString(content.length));
                exchange.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:"
                                        + cdn.getAddress().getPort()
                                        + "/repos/ab/cd/"
                                        + sha256(content)
                                        + "?X-Amz-Signature=x");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            } else {
                send(exchange, 200, content);
            }
        } else {
            exchange.getResponseHeaders()
                    .add(
                            "X-Error-Code",
                            path.startsWith("/api/") ? "RepoNotFound" : "EntryNotFound");
            send(
                    exchange,
                    404,
                    "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void cdn(HttpExchange exchange) throws IOException {
        cdnRequests.add(exchange.getRequestURI().getPath());
        cdnAuthorizations.add(
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String hash = exchange.getRequestURI().getPath().substring("/repos/ab/cd/".length());
        byte[] content =
                branches.values().stream()
                        .flatMap(b -> b.files.values().stream())
                        .filter(bytes -> sha256(bytes).equals(hash))
                        .findFirst()
                        .orElseThrow();
        exchange.getResponseHeaders().add("ETag", "\"" + hash + "\"");
        Delivery next = nextDeliveries.poll();
        switch (next != null ? next : delivery) {
            case WHOLE -> send(exchange, 200, content);
            case TAMPERED -> {
                byte[] other = content.clone();
                other[other.length / 2] ^= 1;
                send(exchange, 200, other);
            }
            case STALL -> {
                exchange.getResponseHeaders()
                        .add("Location", "http://127.0.0.1:" + cutPort(content, true) + "/stall");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            }
            case CUT -> {
                // the JDK server keeps a connection open when a body falls short, so the cut is
                // made on a raw
                // socket: the headers announce the whole file, half of it is sent, and the
                // connection is closed
                exchange.getResponseHeaders()
                        .add("Location", "http://127.0.0.1:" + cutPort(content, false) + "/cut");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            }
        }
    }

    /**
     * A one-connection server that sends half of {@code content} under a Content-Length of all of
     * it, then closes the connection ({@code stall}: keeps it open, silent, until the client closes
     * it).
     */
    private static int cutPort(byte[] content, boolean stall) throws IOException {
        var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        Thread thread =
                new Thread(
                        () -> {
                            try (server;
                                    var socket = server.accept()) {
                                var in =
                                        new java.io.BufferedReader(
                                                new java.io.InputStreamReader(
                                                        socket.getInputStream(),
                                                        StandardCharsets.US_ASCII));
                                for (String line = in.readLine();
                                        line != null && !line.isEmpty();
                                        line = in.readLine()) {
                                    // the request's headers
                                }
                                OutputStream out = socket.getOutputStream();
                                out.write(
                                        ("HTTP/1.1 200 OK\r\n"
                                             + "Content-Type: application/octet-stream\r\n"
                                             + "Content-Length: "
                                                        + content.length
                                                        + "\r\n\r\n")
                                                .getBytes(StandardCharsets.US_ASCII));
                                out.write(content, 0, content.length / 2);
                                out.flush();
                                if (stall) {
                                    // nothing more until the client gives up and closes
                                    socket.setSoTimeout(60_000);
                                    while (socket.getInputStream().read() >= 0) {
                                        // the client sends nothing more
                                    }
                                }
                            } catch (IOException e) {
                                // the client went away first: nothing to cut
                            }
                        },
                        "hub-stand-in-cut");
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    private String revisionJson(Branch branch) {
        Map<String, byte[]> files = branch.files;
        List<String> lfs = branch.lfs;
        var siblings = new ArrayList<String>();
        siblings.add(
                "{\"rfilename\": \".gitattributes\", \"size\": 2307, \"blobId\": \""
                        + "1".repeat(40)
                        + "\"}");
        for (var entry : files.entrySet()) {
            byte[] content = entry.getValue();
            String sibling =
                    "{\"rfilename\": \""
                            + entry.getKey()
                            + "\", \"size\": "
                            + content.length
                            + ", \"blobId\": \""
                            + gitBlobId(content)
                            + "\"";
            if (lfs.contains(entry.getKey())) {
                // an LFS file's blobId is its pointer's blob, not the content's
                sibling =
                        "{\"rfilename\": \""
                                + entry.getKey()
                                + "\", \"size\": "
                                + content.length
                                + ", \"blobId\": \""
                                + "2".repeat(40)
                                + "\", \"lfs\": {\"size\": "
                                + content.length
                                + ", \"sha256\": \""
                                + sha256(content)
                                + "\", \"pointerSize\": 134}";
            }
            siblings.add(sibling + "}");
        }
        return "{\"_id\": \"65f0c0ffee\", \"id\": \""
                + repoId
                + "\", \"author\": \""
                + repoId.split("/")[0]
                + "\", \"sha\": \""
                + branch.commit
                + "\", \"lastModified\": \"2024-01-04T16:35:38.000Z\", \"private\": false,"
                + " \"gated\": false, \"disabled\": false, \"downloads\": 0, \"likes\": 0,"
                + " \"tags\": [], \"siblings\": ["
                + String.join(", ", siblings)
                + "]}";
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(content));
    }

    public static String gitBlobId(byte[] content) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            hub.stop(0);
            cdn.stop(0);
        }
    }
}
