package dev.llmcls.llm;

import dev.langchain4j.model.openai.internal.models.OpenAiModelInfo;
import dev.llmcls.data.InputException;
import java.util.List;
import java.util.Objects;

/** Checks, before a run sends anything, that the server answers and serves the model, and picks the default model. */
public final class ServerProbe {
    private ServerProbe() {
    }

    /** What the probe learnt: the model to use and who owns the listed models ("vllm" for vLLM). */
    public record Result(String model, List<String> owners) {
    }

    /**
     * Returns the model to use: {@code requested} if the server lists it, or the first model listed when none was
     * requested. Fails with an input error that says what to start when the server does not answer.
     */
    public static String resolveModel(OpenAiBackend backend, String requested) {
        return probe(backend, requested).model();
    }

    /** {@link #resolveModel}, also returning the models' owners, which say what kind of server this is. */
    public static Result probe(OpenAiBackend backend, String requested) {
        List<OpenAiModelInfo> listed;
        try {
            listed = backend.listModelInfo();
        } catch (RuntimeException e) {
            throw new InputException("no OpenAI-compatible server answers at " + backend.server().baseUrl()
                    + " (" + describe(e) + "). Start one (scripts/serve-vllm.sh on a GPU machine, or any "
                    + "OpenAI-compatible server) or point --base-url at it.", e);
        }
        List<String> owners = listed.stream().map(OpenAiModelInfo::ownedBy).filter(Objects::nonNull).distinct().toList();
        return new Result(model(backend, requested, listed.stream().map(OpenAiModelInfo::id).toList()), owners);
    }

    private static String model(OpenAiBackend backend, String requested, List<String> models) {
        if (requested != null) {
            if (!models.isEmpty() && !models.contains(requested)) {
                throw new InputException("the server at " + backend.server().baseUrl() + " does not serve model '"
                        + requested + "'; it serves " + models + ". Pass one of those with --model, or start the "
                        + "server with --served-model-name " + requested + ".");
            }
            return requested;
        }
        if (models.isEmpty()) {
            throw new InputException("the server at " + backend.server().baseUrl() + " lists no models; pass --model");
        }
        return models.get(0);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.replaceAll("\\s+", " "));
    }
}
