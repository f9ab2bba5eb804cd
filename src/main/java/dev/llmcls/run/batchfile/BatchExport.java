package dev.llmcls.run.batchfile;

import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.openai.OpenAiBackend;
import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.ClassifyJob;
import dev.llmcls.run.DataScan;
import dev.llmcls.run.Method;
import dev.llmcls.run.prompting.PromptTask;
import dev.llmcls.run.prompting.VotingMethod;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.ManifestComparison;
import dev.llmcls.runfile.ResumeState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code batch export}: writes the requests {@code classify} would send, as OpenAI batch input
 * lines {@code {"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}}, for the
 * examples the output does not answer yet. The body is serialised by the same client code that
 * sends it online ({@link OpenAiBackend#requestBody}).
 */
public final class BatchExport {
    /** OpenAI's Batch API takes at most 50,000 requests and 200 MB per input file. */
    public static final long OPENAI_MAX_LINES = 50_000;

    public static final long OPENAI_MAX_BYTES = 200L * 1000 * 1000;

    /**
     * {@code requests}: the file to write (with {@code .part-NNN} before the extension when limits
     * split it); {@code maxLines}/{@code maxBytes}: per file, null for none; {@code
     * votesAsRequests}: one request per vote ({@code n} = 1) instead of one request asking for
     * {@code n} answers.
     */
    public record Settings(Path requests, Long maxLines, Long maxBytes, boolean votesAsRequests) {}

    /** What was written. */
    public record Outcome(long examples, long requests, long skipped, List<Path> files) {}

    private BatchExport() {}

    public static Outcome run(ClassifyConfig config, Settings settings, ClassifyJob job) {
        String model = BatchImport.requireModel(config);
        ClassifyJob.Offline offline = job.offline(model);
        int perExample = requestsPerExample(config, settings.votesAsRequests());
        DataScan data = DataScan.of(config.input());
        Manifest planned =
                job.manifest(offline, List.of(), data, null, "exported", null, now(), null);
        Set<String> answered = answeredAlready(config, planned);
        PromptTask task = offline.task().get();
        ChatOptions options = perExample == 1 ? task.options() : task.options().withN(1);
        long examples = 0;
        long requests = 0;
        long skipped = 0;
        List<Path> files;
        try (ExampleSource source =
                        DatasetReader.open(config.input().data(), config.input().labels());
                var out = new PartWriter(settings)) {
            Iterator<Example> todo = config.input().examples(source);
            while (todo.hasNext()) {
                Example example = todo.next();
                if (answered.contains(example.id())) {
                    skipped++;
                    continue;
                }
                String body = OpenAiBackend.requestBody(task.render(example), options);
                for (int i = 0; i < perExample; i++) {
                    out.write(line(BatchManifest.customId(example.id(), i, perExample), body));
                    requests++;
                }
                examples++;
            }
            files = out.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        new BatchManifest(
                        BatchManifest.FORMAT,
                        BatchManifest.URL,
                        BatchManifest.customIdRule(perExample),
                        perExample,
                        examples,
                        requests,
                        skipped,
                        files.stream().map(Path::toString).toList(),
                        config.output().file().toString(),
                        planned)
                .write(manifestPath(settings.requests()));
        return new Outcome(examples, requests, skipped, files);
    }

    public static Path manifestPath(Path requests) {
        return requests.resolveSibling(requests.getFileName() + ".manifest.json");
    }

    /**
     * Requests per example: one, or with {@code votesAsRequests} one per vote. Refused when those
     * requests would be identical and so get identical answers (a fixed --seed), or when there is
     * nothing to split.
     */
    static int requestsPerExample(ClassifyConfig config, boolean votesAsRequests) {
        int votes = votes(config);
        if (!votesAsRequests) {
            return 1;
        }
        if (votes < 2) {
            throw new InputException(
                    "--votes-as-requests splits --votes N (N > 1) into N requests; there are no"
                            + " votes");
        }
        if (config.servers().seed() != null) {
            throw new InputException(
                    "--votes-as-requests with --seed "
                            + config.servers().seed()
                            + " would send "
                            + votes
                            + " identical requests, which get one answer "
                            + votes
                            + " times; leave --seed out, or export "
                            + "one request asking for n="
                            + votes
                            + " answers (without --votes-as-requests)");
        }
        return votes;
    }

    /** The votes a run asks for per example: its {@link VotingMethod} method's, else 1. */
    private static int votes(ClassifyConfig config) {
        if (config.method() instanceof Method.Prompting prompting) {
            return prompting.methods().stream()
                    .filter(VotingMethod.class::isInstance)
                    .map(VotingMethod.class::cast)
                    .mapToInt(VotingMethod::votes)
                    .findFirst()
                    .orElse(1);
        }
        return 1;
    }

    /** The ids the output already answers (resume's rule), after checking it holds the same run. */
    private static Set<String> answeredAlready(ClassifyConfig config, Manifest planned) {
        Path output = config.output().file();
        if (config.output().overwrite() || !Files.exists(output)) {
            return Set.of();
        }
        Manifest.read(Manifest.pathFor(output))
                .ifPresent(
                        previous -> {
                            List<String> differences =
                                    ManifestComparison.differences(previous, planned);
                            if (!differences.isEmpty()) {
                                throw new InputException(
                                        output
                                                + " was written by a different run, so its answers"
                                                + " cannot be skipped: "
                                                + String.join("; ", differences)
                                                + ". Use --overwrite to export every example, or "
                                                + "another --output.");
                            }
                        });
        return ResumeState.load(output).succeededIds();
    }

    /** One input line around a request body, which is already one line of compact JSON. */
    private static byte[] line(String customId, String body) {
        try {
            String json =
                    "{\"custom_id\":"
                            + Json.MAPPER.writeValueAsString(customId)
                            + ",\"method\":\"POST\",\"url\":"
                            + Json.MAPPER.writeValueAsString(BatchManifest.URL)
                            + ",\"body\":"
                            + body
                            + "}\n";
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    }

    /**
     * Writes request lines into one file, or into numbered parts under the line and byte limits.
     */
    private static final class PartWriter implements AutoCloseable {
        private final Settings settings;
        private final boolean split;
        private final List<Path> done = new ArrayList<>();
        private OutputStream out;
        private Path current;
        private long lines;
        private long bytes;

        PartWriter(Settings settings) {
            this.settings = settings;
            this.split = settings.maxLines() != null || settings.maxBytes() != null;
        }

        void write(byte[] line) {
            if (settings.maxBytes() != null && line.length > settings.maxBytes()) {
                throw new InputException(
                        "one request line is "
                                + line.length
                                + " bytes, more than --max-bytes "
                                + settings.maxBytes());
            }
            try {
                boolean full =
                        out != null
                                && ((settings.maxLines() != null && lines + 1 > settings.maxLines())
                                        || (settings.maxBytes() != null
                                                && bytes + line.length > settings.maxBytes()));
                if (out == null || full) {
                    next();
                }
                out.write(line);
                lines++;
                bytes += line.length;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + current, e);
            }
        }

        private void next() throws IOException {
            closeCurrent();
            Path target = split ? part(settings.requests(), done.size() + 1) : settings.requests();
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            current = target;
            out = Files.newOutputStream(temporary(target));
            lines = 0;
            bytes = 0;
        }

        private void closeCurrent() throws IOException {
            if (out != null) {
                out.close();
                Files.move(
                        temporary(current),
                        current,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                done.add(current);
                out = null;
            }
        }

        List<Path> finish() {
            try {
                if (out == null && done.isEmpty()) {
                    next(); // nothing left to export: an empty file says so
                }
                closeCurrent();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + current, e);
            }
            return List.copyOf(done);
        }

        @Override
        public void close() {
            if (out != null) {
                try {
                    out.close();
                    Files.deleteIfExists(temporary(current));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private static Path temporary(Path file) {
            return file.resolveSibling(file.getFileName() + ".tmp");
        }

        static Path part(Path file, int number) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String tag = String.format(".part-%03d", number);
            return file.resolveSibling(
                    dot > 0 ? name.substring(0, dot) + tag + name.substring(dot) : name + tag);
        }
    }
}
