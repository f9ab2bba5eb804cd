package dev.llmcls.run.batchfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.openai.OpenAiBackend;
import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.ClassifyJob;
import dev.llmcls.run.DataScan;
import dev.llmcls.run.RunStats;
import dev.llmcls.run.prompting.PromptTask;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.JsonlWriter;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.OutputFiles;
import dev.llmcls.runfile.OutputLock;
import dev.llmcls.runfile.ResumeState;
import dev.llmcls.runfile.RunRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batch import}: reads OpenAI batch output lines ({@code {"id", "custom_id", "response":
 * {"status_code", "request_id", "body"}, "error"}}, as vLLM's run-batch and OpenAI's Batch API
 * write them) into the run's JSONL output and manifest, exactly as {@code classify} would have
 * written them: a result's body is parsed by the same client code as an online answer and recorded
 * by the same task; a failed line becomes a record with an {@code error}, which resume (online or
 * by a new export) tries again.
 */
public final class BatchImport {
    /**
     * What happened: records written, of them failed, results skipped (already answered), examples
     * still open.
     */
    public record Outcome(
            int exitCode,
            long imported,
            long failed,
            long alreadyAnswered,
            long withoutResult,
            long duplicates) {}

    private BatchImport() {}

    /** The model batch requests name; there is no server to ask for its first one. */
    static String requireModel(ClassifyConfig config) {
        if (config.servers().model() == null) {
            throw new InputException(
                    "batch files need --model: the model name the batch engine serves (vllm"
                        + " run-batch --served-model-name, or an OpenAI model); it goes into every"
                        + " request");
        }
        return config.servers().model();
    }

    /** Imports under the output's lock, as classify writes it: never two writers of one output. */
    public static Outcome run(
            ClassifyConfig config, boolean votesAsRequests, List<Path> results, ClassifyJob job) {
        try (OutputLock lock = OutputLock.acquire(config.output().file())) {
            return runLocked(config, votesAsRequests, results, job);
        }
    }

    private static Outcome runLocked(
            ClassifyConfig config, boolean votesAsRequests, List<Path> results, ClassifyJob job) {
        String startedAt = now();
        String model = requireModel(config);
        ClassifyJob.Offline offline = job.offline(model);
        int perExample = BatchExport.requestsPerExample(config, votesAsRequests);
        DataScan data = DataScan.of(config.input());
        List<String> sources = results.stream().map(p -> "batch:" + p).toList();
        Manifest planned =
                job.manifest(offline, sources, data, null, "importing", null, startedAt, null);
        Path manifestPath = Manifest.pathFor(config.output().file());
        ResumeState resume =
                OutputFiles.prepare(
                        config.output().file(), config.output().overwrite(), planned, job::log);
        Map<String, Example> open = new LinkedHashMap<>();
        long answered = 0;
        try (ExampleSource source =
                DatasetReader.open(config.input().data(), config.input().labels())) {
            Iterator<Example> examples = config.input().examples(source);
            while (examples.hasNext()) {
                Example example = examples.next();
                if (resume.succeededIds().contains(example.id())) {
                    answered++;
                } else {
                    open.put(example.id(), example);
                }
            }
        }
        var stats = new RunStats(open.size(), answered);
        planned.write(manifestPath);
        PromptTask task = offline.task().get();
        ChatOptions options = perExample == 1 ? task.options() : task.options().withN(1);
        var assembler = new Assembler(task, options, perExample);
        long skippedResults = 0;
        long duplicates = 0;
        Map<String, Integer> seen = new HashMap<>();
        try (var writer = new JsonlWriter(config.output().file())) {
            for (Path file : results) {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String text;
                    long lineNumber = 0;
                    while ((text = in.readLine()) != null) {
                        lineNumber++;
                        if (text.isBlank()) {
                            continue;
                        }
                        Result result = Result.parse(file, lineNumber, text);
                        String exampleId =
                                exampleId(result.customId(), perExample, file, lineNumber);
                        int index = requestIndex(result.customId(), perExample);
                        Example example = open.get(exampleId);
                        if (example == null) {
                            if (resume.succeededIds().contains(exampleId)) {
                                skippedResults++;
                                continue;
                            }
                            if (seen.containsKey(exampleId)) {
                                duplicates++;
                                continue;
                            }
                            throw InputException.at(
                                    file,
                                    lineNumber,
                                    "custom_id '"
                                            + result.customId()
                                            + "' is not an example of this run (check --data,"
                                            + " --limit and --shard against the export)");
                        }
                        if (seen.merge(result.customId(), 1, Integer::sum) > 1) {
                            duplicates++;
                            continue;
                        }
                        TaskResult done = assembler.add(example, index, result);
                        if (done != null) {
                            writer.write(done.record());
                            stats.add(done);
                            open.remove(exampleId);
                            seen.put(exampleId, 1);
                        }
                    }
                } catch (IOException e) {
                    throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        long withoutResult = open.size();
        String stopReason =
                withoutResult > 0 ? withoutResult + " examples have no batch result" : null;
        String status =
                stats.failed() > 0 || withoutResult > 0 ? "finished_with_failures" : "complete";
        job.manifest(offline, sources, data, stats, status, stopReason, startedAt, now())
                .write(manifestPath);
        int exitCode = stats.failed() > 0 || withoutResult > 0 ? ExitCodes.FAILURES : ExitCodes.OK;
        return new Outcome(
                exitCode,
                stats.succeeded() + stats.failed(),
                stats.failed(),
                answered + skippedResults,
                withoutResult,
                duplicates);
    }

    private static String exampleId(String customId, int perExample, Path file, long line) {
        if (perExample == 1) {
            return customId;
        }
        int hash = customId.lastIndexOf('#');
        if (hash < 0) {
            throw InputException.at(
                    file,
                    line,
                    "custom_id '"
                            + customId
                            + "' has no '#index': this import expects "
                            + perExample
                            + " requests per example (--votes-as-requests), as the export wrote"
                            + " them");
        }
        return customId.substring(0, hash);
    }

    private static int requestIndex(String customId, int perExample) {
        if (perExample == 1) {
            return 0;
        }
        try {
            return Integer.parseInt(customId.substring(customId.lastIndexOf('#') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    }

    /** One batch output line: the answer's body when it succeeded, otherwise why it failed. */
    record Result(String customId, int status, JsonNode body, String error) {
        static Result parse(Path file, long line, String text) {
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw InputException.at(file, line, "not a batch output line: " + e.getMessage());
            }
            JsonNode customId = node.path("custom_id");
            if (!customId.isTextual()) {
                throw InputException.at(file, line, "a batch output line needs a \"custom_id\"");
            }
            JsonNode response = node.path("response");
            int status = response.path("status_code").asInt(0);
            JsonNode body = response.path("body");
            JsonNode error = node.path("error");
            boolean failed = !error.isMissingNode() && !error.isNull();
            if (!failed && status >= 200 && status < 300 && body.isObject()) {
                return new Result(customId.asText(), status, body, null);
            }
            return new Result(customId.asText(), status, null, describe(status, error, body));
        }

        /**
         * vLLM writes a string or {"error": {"message", ...}}; OpenAI {"code", "message"} or an
         * error body.
         */
        private static String describe(int status, JsonNode error, JsonNode body) {
            String message = null;
            for (JsonNode candidate : List.of(error, error.path("error"), body.path("error"))) {
                if (candidate.isTextual()) {
                    message = candidate.asText();
                } else if (candidate.path("message").isTextual()) {
                    message = candidate.path("message").asText();
                }
                if (message != null) {
                    break;
                }
            }
            if (message == null) {
                message =
                        error.isMissingNode() || error.isNull()
                                ? "no answer body"
                                : error.toString();
            }
            return (status > 0 ? "HTTP " + status + ": " : "") + message;
        }

        FailureKind kind() {
            if (status == 429) {
                return FailureKind.RATE_LIMITED;
            }
            if (status >= 500) {
                return FailureKind.SERVER_ERROR;
            }
            return status >= 400 ? FailureKind.REJECTED : FailureKind.OTHER;
        }
    }

    /**
     * Turns results into records: at once for one request per example; for several, once all of an
     * example's requests have a result, their choices joined in request order and their tokens
     * summed (as classify's SamplingBackend joins the answers of a server that ignores {@code n}).
     */
    private static final class Assembler {
        private final PromptTask task;
        private final ChatOptions options;
        private final int perExample;
        private final Map<String, Completion[]> parts = new HashMap<>();
        private final Map<String, Result> failures = new HashMap<>();

        Assembler(PromptTask task, ChatOptions options, int perExample) {
            this.task = task;
            this.options = options;
            this.perExample = perExample;
        }

        /** The example's result once complete, else null. */
        TaskResult add(Example example, int index, Result result) {
            if (index < 0 || index >= perExample) {
                throw new InputException(
                        "custom_id '"
                                + result.customId()
                                + "': request index out of 0.."
                                + (perExample - 1));
            }
            Completion completion = null;
            Result failure = result.error() == null ? null : result;
            if (failure == null) {
                try {
                    completion = OpenAiBackend.answer(result.body().toString(), options);
                } catch (RuntimeException e) {
                    failure =
                            new Result(
                                    result.customId(),
                                    result.status(),
                                    null,
                                    "unreadable answer body: " + e.getMessage());
                }
            }
            if (perExample == 1) {
                return completion != null
                        ? new TaskResult(task.answered(example, completion, 0, 1), null, List.of())
                        : failed(example, failure, FailureKind.BAD_BODY);
            }
            Completion[] got =
                    parts.computeIfAbsent(example.id(), id -> new Completion[perExample]);
            if (failure != null) {
                failures.putIfAbsent(example.id(), failure);
                got[index] =
                        Completion.single(
                                "", null, null, null); // a placeholder: counted, never recorded
            } else {
                got[index] = completion;
            }
            for (Completion part : got) {
                if (part == null) {
                    return null;
                }
            }
            parts.remove(example.id());
            Result failed = failures.remove(example.id());
            if (failed != null) {
                return failed(example, failed, FailureKind.BAD_BODY);
            }
            var choices = new ArrayList<Completion.Choice>();
            Integer promptTokens = null;
            Integer completionTokens = null;
            for (Completion part : got) {
                choices.addAll(part.choices());
                promptTokens = sum(promptTokens, part.promptTokens());
                completionTokens = sum(completionTokens, part.completionTokens());
            }
            var joined = new Completion(choices, promptTokens, completionTokens);
            return new TaskResult(task.answered(example, joined, 0, perExample), null, List.of());
        }

        private TaskResult failed(Example example, Result failure, FailureKind unreadable) {
            FailureKind kind =
                    failure.status() >= 200 && failure.status() < 300 ? unreadable : failure.kind();
            RunRecord record =
                    task.failed(
                            example, kind.label() + ": batch " + failure.error(), 0, perExample);
            return new TaskResult(record, kind, List.of());
        }

        private static Integer sum(Integer a, Integer b) {
            return a == null ? b : b == null ? a : Integer.valueOf(a + b);
        }
    }
}
