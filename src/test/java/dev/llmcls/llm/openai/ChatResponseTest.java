package dev.llmcls.llm.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmcls.llm.Completion;
import dev.llmcls.llm.MalformedAnswerException;
import org.junit.jupiter.api.Test;

/**
 * Reads bodies written by hand in vLLM's response shapes (ChatCompletionResponse with
 * prompt_logprobs; choices with ChatCompletionLogProbs), independently of the tests' stand-in
 * server.
 */
class ChatResponseTest {
    @Test
    void promptLogprobsTakeTheFirstKeyOfEachPositionAsThePromptsOwnToken() {
        String body =
                """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"glm-4-9b-chat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"\\n","reasoning_content":null,
                   "tool_calls":[]},"logprobs":null,"finish_reason":"length","stop_reason":null}],
                 "usage":{"prompt_tokens":4,"total_tokens":5,"completion_tokens":1,"prompt_tokens_details":null},
                 "prompt_logprobs":[null,
                   {"1001":{"logprob":-2.5,"rank":7,"decoded_token":"label"},"42":{"logprob":-0.1,"rank":1,"decoded_token":"The"}},
                   {"1002":{"logprob":-0.01,"rank":1,"decoded_token":":"}},
                   {"1003":{"logprob":-9999.0,"rank":151000,"decoded_token":" Sports"},"7":{"logprob":-0.3,"rank":1,"decoded_token":" World"}}],
                 "kv_transfer_params":null}
                """;
        Completion answer = ChatResponse.read(body, true);
        assertEquals(4, answer.promptLogprobs().size());
        assertNull(answer.promptLogprobs().get(0), "the first prompt token has no log-probability");
        assertEquals(
                new Completion.PromptToken(1001, "label", -2.5, 7), answer.promptLogprobs().get(1));
        assertEquals(
                new Completion.PromptToken(1002, ":", -0.01, 1), answer.promptLogprobs().get(2));
        assertEquals(-9999.0, answer.promptLogprobs().get(3).logprob(), "vLLM's stand-in for -inf");
        assertEquals(4, answer.promptTokens());
        assertEquals(1, answer.completionTokens());
        assertNull(answer.choices().get(0).logprobs());
    }

    @Test
    void answerLogprobsKeepEveryTokenAndItsListedAlternatives() {
        String body =
                """
                {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Sports"},
                   "logprobs":{"content":[{"token":"Sports","logprob":-0.2,"bytes":[83,112,111,114,116,115],
                     "top_logprobs":[{"token":"Sports","logprob":-0.2,"bytes":[83]},{"token":"World","logprob":-1.9,"bytes":[87]}]}]},
                   "finish_reason":"stop","stop_reason":null}],
                 "usage":{"prompt_tokens":30,"total_tokens":31,"completion_tokens":1},"prompt_logprobs":null}
                """;
        Completion answer = ChatResponse.read(body, true);
        assertNull(answer.promptLogprobs());
        Completion.TokenLogprob token = answer.choices().get(0).logprobs().get(0);
        assertEquals("Sports", token.token());
        assertEquals(-0.2, token.logprob());
        assertEquals(2, token.top().size());
        assertEquals(new Completion.Alternative("World", -1.9), token.top().get(1));
        assertEquals("stop", answer.finishReason());
    }

    @Test
    void aBodyWithoutChoicesIsMalformed() {
        assertThrows(
                MalformedAnswerException.class, () -> ChatResponse.read("{\"choices\":[]}", true));
        assertThrows(
                MalformedAnswerException.class, () -> ChatResponse.read("<html>502</html>", true));
    }

    @Test
    void logprobsThatWereNotAskedForAreNotRead() {
        Completion answer =
                ChatResponse.read(
                        "{\"choices\":[{\"message\":{\"content\":\"Sports\"},\"logprobs\":"
                            + "{\"content\":[{\"token\":\"Sports\",\"logprob\":-0.1,\"top_logprobs\":[]}]}}],"
                            + "\"prompt_logprobs\":[null,{\"5\":{\"logprob\":-1.0}}],\"timings\":{\"predicted_n\":1}}",
                        false);
        assertNull(answer.choices().get(0).logprobs());
        assertNull(answer.promptLogprobs());
        assertEquals("Sports", answer.text());
        assertNull(answer.promptTokens(), "no usage: no token counts");
    }

    @Test
    void aNullContentIsAnEmptyAnswerAndTokenCountsAreRead() {
        Completion answer =
                ChatResponse.read(
                        "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null},"
                            + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,"
                            + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
                        false);
        assertEquals("", answer.text());
        assertEquals("length", answer.finishReason());
        assertEquals(12, answer.promptTokens());
        assertEquals(4, answer.completionTokens());
    }

    @Test
    void anAnswerThatIsNotAChatCompletionIsMalformed() {
        for (String body :
                new String[] {
                    "",
                    "null",
                    "[]",
                    "\"busy\"",
                    "{\"choices\":\"none\"}",
                    "{\"choices\":[",
                    "{\"error\":{\"message\":\"overloaded\"}}"
                }) {
            assertThrows(
                    MalformedAnswerException.class, () -> ChatResponse.read(body, false), body);
        }
    }

    @Test
    void reasoningBesideTheAnswerIsKept() {
        Completion llama =
                ChatResponse.read(
                        "{\"choices\":[{\"finish_reason\":\"length\",\"message\":{\"content\":\"\","
                                + "\"reasoning_content\":\"thinking\"},\"logprobs\":null}]}",
                        false);
        assertEquals("thinking", llama.choices().get(0).reasoning());
        Completion vllm =
                ChatResponse.read(
                        "{\"choices\":[{\"finish_reason\":\"stop\",\"message\":{\"content\":\"World\","
                            + "\"reasoning\":\"hmm\"}}]}",
                        true);
        assertEquals("hmm", vllm.choices().get(0).reasoning());
        assertEquals("World", vllm.text());
    }
}
