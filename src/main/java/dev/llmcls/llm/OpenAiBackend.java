package dev.llmcls.llm;

import dev.langchain4j.model.openai.internal.OpenAiClient;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.models.OpenAiModelInfo;
import dev.langchain4j.model.openai.internal.shared.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend for any OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenAI), built on langchain4j's OpenAI client.
 * One client, and so one connection pool, serves every request of a run.
 */
public final class OpenAiBackend implements ChatBackend {
    private static final String USER_AGENT = "llmcls";

    private final ServerConfig server;
    private final OpenAiClient client;

    public OpenAiBackend(ServerConfig server) {
        this.server = server;
        var builder = OpenAiClient.builder()
                .httpClientBuilder(new Http11TransportBuilder(server))
                .baseUrl(server.baseUrl())
                .connectTimeout(server.connectTimeout())
                .readTimeout(server.readTimeout())
                .userAgent(USER_AGENT)
                .logRequests(false)
                .logResponses(false);
        if (server.apiKey() != null) {
            builder.apiKey(server.apiKey());
        }
        this.client = builder.build();
    }

    public ServerConfig server() {
        return server;
    }

    /** The models the server serves, in the order it lists them, with their {@code owned_by} ("vllm" for vLLM). */
    public List<OpenAiModelInfo> listModelInfo() {
        var response = client.listModels().execute();
        return response.getData() == null ? List.of() : List.copyOf(response.getData());
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        var builder = ChatCompletionRequest.builder()
                .model(options.model())
                .addUserMessage(prompt);
        if (options.assistantPrefix() != null) {
            builder.addAssistantMessage(options.assistantPrefix());
        }
        if (options.topLogprobs() != null) {
            builder.logprobs(true).topLogprobs(options.topLogprobs());
        }
        var request = builder
                .temperature(options.sampling().temperature())
                .maxTokens(options.sampling().maxTokens())
                .seed(options.sampling().seed())
                .n(options.n() == 1 ? null : options.n())
                .customParameters(options.customParameters())
                .build();
        if (options.wantsLogprobs()) {
            // langchain4j maps neither prompt_logprobs nor every logprob field, so the raw body is read instead.
            var raw = client.chatCompletion(request).executeRaw();
            return LogprobAnswers.parse(raw.rawHttpResponse().body());
        }
        ChatCompletionResponse response = client.chatCompletion(request).execute();
        return toCompletion(response);
    }

    static Completion toCompletion(ChatCompletionResponse response) {
        if (response == null || response.choices() == null || response.choices().isEmpty()) {
            throw new MalformedAnswerException("the server's answer has no choices");
        }
        var choices = new ArrayList<Completion.Choice>();
        for (ChatCompletionChoice choice : response.choices()) {
            String content = choice.message() == null ? null : choice.message().content();
            choices.add(new Completion.Choice(content == null ? "" : content, choice.finishReason()));
        }
        Usage usage = response.usage();
        return new Completion(choices,
                usage == null ? null : usage.promptTokens(),
                usage == null ? null : usage.completionTokens());
    }
}
