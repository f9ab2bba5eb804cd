package dev.llmcls.llm.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmcls.llm.AnswerMemory;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request body is what batch files hold and what a resumed batch import matches: for the same
 * options it must come out byte for byte as it always has. These bodies were written by the untyped
 * builder this code replaced.
 */
class ChatRequestBodyTest {
    private static final String PROMPT = "Classify: \"Stocks\" rise\né ✓";
    private static final String USER =
            "{\"role\":\"user\",\"content\":\"Classify: \\\"Stocks\\\" rise\\né ✓\"}";
    private static final Sampling GREEDY = new Sampling(0.0, 16, null, List.of());

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of(
                        "greedy",
                        ChatOptions.of("m", GREEDY),
                        "{\"model\":\"m\",\"messages\":["
                                + USER
                                + "],\"temperature\":0.0,\"max_tokens\":16}"),
                Arguments.of(
                        "seed and n",
                        ChatOptions.of("org/Model-7B", new Sampling(0.7, 8, 42, List.of()))
                                .withN(3),
                        "{\"model\":\"org/Model-7B\",\"messages\":["
                                + USER
                                + "],\"temperature\":0.7,\"max_tokens\":8,"
                                + "\"seed\":42,\"n\":3}"),
                Arguments.of(
                        "top logprobs",
                        ChatOptions.of("m", GREEDY).withTopLogprobs(20),
                        "{\"model\":\"m\",\"messages\":["
                                + USER
                                + "],\"logprobs\":true,\"top_logprobs\":20,"
                                + "\"temperature\":0.0,\"max_tokens\":16}"),
                Arguments.of(
                        "zero top logprobs",
                        ChatOptions.of("m", GREEDY).withTopLogprobs(0),
                        "{\"model\":\"m\",\"messages\":["
                                + USER
                                + "],\"logprobs\":true,\"top_logprobs\":0,"
                                + "\"temperature\":0.0,\"max_tokens\":16}"),
                Arguments.of(
                        "GLM-4 stop tokens",
                        ChatOptions.of(
                                "glm-4", new Sampling(1.0, 4, null, Sampling.GLM4_STOP_TOKEN_IDS)),
                        "{\"model\":\"glm-4\",\"messages\":["
                                + USER
                                + "],\"temperature\":1.0,\"max_tokens\":4,"
                                + "\"stop_token_ids\":[151329,151336,151338]}"),
                Arguments.of(
                        "a vLLM choice constraint",
                        ChatOptions.of("m", GREEDY)
                                .withExtraParameters(
                                        Map.of(
                                                "structured_outputs",
                                                Map.of("choice", List.of("World", "Sports")))),
                        "{\"model\":\"m\",\"messages\":["
                                + USER
                                + "],\"temperature\":0.0,\"max_tokens\":16,"
                                + "\"structured_outputs\":{\"choice\":[\"World\",\"Sports\"]}}"),
                Arguments.of(
                        "stop tokens before other parameters",
                        new ChatOptions(
                                "m",
                                new Sampling(0.0, 1, 7, List.of(2)),
                                1,
                                Map.of("prompt_logprobs", 1),
                                "The answer is: Sports",
                                null),
                        "{\"model\":\"m\",\"messages\":["
                                + USER
                                + ",{\"role\":\"assistant\",\"content\":\"The answer is:"
                                + " Sports\"}],\"temperature\":0.0,\"max_tokens\":1,\"seed\":7,"
                                + "\"stop_token_ids\":[2],\"prompt_logprobs\":1}"),
                Arguments.of(
                        "a boolean and a null-free nested list",
                        ChatOptions.of("m", GREEDY)
                                .withExtraParameters(
                                        Map.of("response_format", Map.of("type", "json_schema")))
                                .withTopLogprobs(5)
                                .withN(2),
                        "{\"model\":\"m\",\"messages\":["
                                + USER
                                + "],\"logprobs\":true,\"top_logprobs\":5,"
                                + "\"temperature\":0.0,\"max_tokens\":16,\"n\":2,"
                                + "\"response_format\":{\"type\":\"json_schema\"}}"));
    }

    @Test
    void serverParametersGoInTheOrderTheOptionsListThem() {
        // Map.copyOf's order changes with each JVM; a batch file written twice must hold the same
        // bodies.
        var parameters = new java.util.LinkedHashMap<String, Object>();
        parameters.put("continue_final_message", true);
        parameters.put("add_generation_prompt", false);
        parameters.put("prompt_logprobs", 1);
        var options = new ChatOptions("m", GREEDY, 1, parameters, "Sports", null);
        assertEquals(
                "{\"model\":\"m\",\"messages\":["
                        + USER
                        + ",{\"role\":\"assistant\",\"content\":\"Sports\"}],"
                        + "\"temperature\":0.0,\"max_tokens\":16,\"continue_final_message\":true,"
                        + "\"add_generation_prompt\":false,\"prompt_logprobs\":1}",
                OpenAiBackend.requestBody(PROMPT, options));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void theBodyIsByteForByteTheSameAsBefore(String name, ChatOptions options, String expected) {
        assertEquals(expected, OpenAiBackend.requestBody(PROMPT, options));
    }

    /**
     * A run writes the body it sends (and looks up in the answer store) as UTF-8 bytes directly;
     * they must be exactly the UTF-8 of {@link OpenAiBackend#requestBody} (what batch files hold),
     * and a character outside the BMP must be its own four bytes, as when bodies were written as
     * text (the store's keys of earlier runs were computed from that text). Half a surrogate pair
     * is sent as its JSON escape.
     */
    static Stream<Arguments> prompts() {
        return Stream.of(
                Arguments.of(
                        "Classify: \"Stocks\" rise\né ✓", "Classify: \\\"Stocks\\\" rise\\né ✓"),
                Arguments.of("你是文本分类专家,请你给下述文本分类", "你是文本分类专家,请你给下述文本分类"),
                Arguments.of("emoji 😀 and 𝄞 outside the BMP", "emoji 😀 and 𝄞 outside the BMP"),
                Arguments.of("half a pair \uD83D here", "half a pair \\uD83D here"),
                Arguments.of("a low half \uDE00", "a low half \\uDE00"),
                Arguments.of("ends with a high half \uD83D", "ends with a high half \\uD83D"),
                Arguments.of("control \u0001 and tab \t", "control \\u0001 and tab \\t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prompts")
    void theBytesARunSendsAreTheUtf8OfTheBody(String prompt, String content) throws Exception {
        var looked = new ArrayList<byte[]>();
        AnswerMemory memory =
                (body, sampled) -> {
                    looked.add(body);
                    return new AnswerMemory.Lookup() {
                        @Override
                        public AnswerMemory.Recalled recalled() {
                            return new AnswerMemory.Recalled(ANSWER, "run-1");
                        }

                        @Override
                        public void keep(String answerBody) {}
                    };
                };
        // every answer is recalled: nothing is sent, so no server is needed (none listens on 9)
        var backend =
                new OpenAiBackend(
                        new ServerConfig(
                                "http://127.0.0.1:9/v1",
                                null,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1)));
        var options = ChatOptions.of("m", GREEDY).withMemory(memory);
        assertEquals("Sports", backend.complete(prompt, options).choices().get(0).text());
        backend.completeAsync(prompt, options, Runnable::run).get();
        byte[] expected =
                OpenAiBackend.requestBody(prompt, options).getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + content
                        + "\"}],\"temperature\":0.0,\"max_tokens\":16}",
                new String(expected, StandardCharsets.UTF_8));
        assertEquals(2, looked.size());
        assertArrayEquals(expected, looked.get(0), "complete");
        assertArrayEquals(expected, looked.get(1), "completeAsync");
    }

    private static final String ANSWER =
            "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Sports\"},\"finish_reason\":\"stop\"}]}";

    /**
     * A sampled answer (which the answer store keeps but reuses only when asked) is one at a
     * temperature above 0 without a seed; a server-specific field of either name is the one sent
     * last, so it decides.
     */
    @org.junit.jupiter.params.ParameterizedTest(
            name = "temperature {0}, seed {1}, vendor {2} -> {3}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "0.0|-|-|false",
                "0.7|-|-|true",
                "0.7|3|-|false",
                "0.7|-|seed=5|false",
                "0.0|-|temperature=0.9|true",
                "0.7|3|seed=|true"
            })
    void aSampledRequestIsOneAboveZeroWithoutASeed(
            double temperature, Integer seed, String vendor, boolean sampled) {
        var extra = new java.util.LinkedHashMap<String, Object>();
        if (vendor != null) {
            String[] pair = vendor.split("=", -1);
            extra.put(
                    pair[0],
                    pair[1].isEmpty()
                            ? null
                            : pair[0].equals("seed")
                                    ? (Object) Integer.valueOf(pair[1])
                                    : (Object) Double.valueOf(pair[1]));
        }
        var request =
                new ChatRequest(
                        "m",
                        java.util.List.of(new ChatRequest.Message("user", "q")),
                        null,
                        null,
                        temperature,
                        5,
                        seed,
                        null,
                        extra);
        assertEquals(sampled, request.sampled());
    }
}
