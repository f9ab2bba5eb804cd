package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.util.BufferRecyclers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.core.Json;
import dev.llmcls.data.DatasetFormat;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.llm.openai.ChatResponse;
import dev.llmcls.llm.openai.OpenAiBackend;
import dev.llmcls.testing.FakeOpenAiServer;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each worker thread of a run (one per request in flight, 1,024 against vLLM) writes a request
 * body, reads the answer, parses a constrained label and appends a record. Jackson's default keeps
 * a set of buffers per thread that does that, and 1,024 sets were 20 MB of heap for the whole run
 * (BENCHMARKS.md, issue 13 item 3); llmcls's one configuration ({@link Json}) borrows them from a
 * shared pool instead. These tests run each step of that path on a fresh thread and fail if any
 * step left Jackson's per-thread buffers behind.
 */
class SharedJsonBuffersTest {
    private static final LabelSet LABELS = LabelSet.parse(LabelSet.AG_NEWS);

    @TempDir Path dir;

    @Test
    void theProbeSeesJacksonsPerThreadBuffersWhenAMapperUsesThem() throws Exception {
        // The check below is only as good as this probe: a default ObjectMapper must show up in it.
        assertNotNull(
                onFreshThread(
                        () -> {
                            new ObjectMapper().readTree("{\"a\":[1,2,3]}");
                            return null;
                        }),
                "a default ObjectMapper keeps its buffers per thread");
    }

    @Test
    void theMappersShareOneBoundedPool() {
        assertSame(Json.BUFFERS, Json.MAPPER.getFactory()._getRecyclerPool());
        assertSame(Json.BUFFERS, Json.FACTORY._getRecyclerPool());
    }

    @Test
    void aRequestItsAnswerAndItsRecordLeaveNoBuffersOnTheWorkerThread() throws Exception {
        Path output = dir.resolve("out.jsonl");
        try (FakeOpenAiServer server =
                        FakeOpenAiServer.start(request -> "{\"label\": \"Sports\"}");
                JsonlWriter writer = new JsonlWriter(output)) {
            var backend =
                    new OpenAiBackend(
                            new ServerConfig(
                                    server.baseUrl(),
                                    null,
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(20)));
            var options = ChatOptions.of("glm-4-9b-chat", new Sampling(0.0, 16, null, List.of()));
            AtomicReference<String> label = new AtomicReference<>();
            assertNull(
                    onFreshThread(
                            () -> {
                                Completion answer =
                                        backend.complete(
                                                "Which label? {\"text\": \"a match\"}", options);
                                String content = answer.choices().get(0).text();
                                label.set(
                                        new AnswerParser(LABELS.names(), Constraint.JSON)
                                                .label(content));
                                writer.write(
                                        new RunRecord(
                                                "1", "a match", "Sports", content, "stop", 3, 4, 5,
                                                null, 1));
                                return null;
                            }),
                    "the request path kept Jackson buffers on its thread");
            assertEquals("Sports", label.get());
            assertEquals(1, server.chatRequests());
        }
        assertEquals(1, Files.readAllLines(output).size());
    }

    @Test
    void logprobAnswersAndJsonlDataLeaveNoBuffersOnTheThread() throws Exception {
        Path data = dir.resolve("data.jsonl");
        Files.writeString(
                data,
                "{\"text\": \"a match\", \"label\": \"Sports\"}\n"
                        + "{\"text\": \"a vote\", \"label\": 0}\n");
        AtomicReference<Integer> examples = new AtomicReference<>(0);
        assertNull(
                onFreshThread(
                        () -> {
                            ChatResponse.read(
                                    "{\"choices\":[{\"message\":{\"content\":\"Sports\"},\"finish_reason\":\"stop\","
                                        + "\"logprobs\":{\"content\":[{\"token\":\"Sports\",\"logprob\":-0.1,\"top_logprobs\":[]}]}}],"
                                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}",
                                    true);
                            try (ExampleSource source =
                                    DatasetReader.open(
                                            new DatasetSpec(
                                                    data,
                                                    DatasetFormat.JSONL,
                                                    DatasetSpec.DEFAULT_TEXT_FIELD,
                                                    DatasetSpec.DEFAULT_LABEL_FIELD,
                                                    null),
                                            LABELS)) {
                                while (source.hasNext()) {
                                    Example example = source.next();
                                    assertNotNull(example.text());
                                    examples.set(examples.get() + 1);
                                }
                            }
                            return null;
                        }),
                "reading log-probabilities or JSONL data kept Jackson buffers on its thread");
        assertEquals(2, examples.get());
    }

    /**
     * Runs the work on a new thread and returns what Jackson's per-thread buffer slot holds there
     * afterwards.
     */
    private static Object onFreshThread(Callable<?> work) throws Exception {
        Field slot = BufferRecyclers.class.getDeclaredField("_recyclerRef");
        slot.setAccessible(true);
        ThreadLocal<?> perThread = (ThreadLocal<?>) slot.get(null);
        AtomicReference<Object> held = new AtomicReference<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                work.call();
                                Object reference = perThread.get();
                                held.set(
                                        reference instanceof java.lang.ref.Reference<?> ref
                                                ? ref.get()
                                                : reference);
                            } catch (Exception e) {
                                failed.set(e);
                            }
                        });
        thread.start();
        thread.join();
        if (failed.get() != null) {
            throw failed.get();
        }
        return held.get();
    }
}
