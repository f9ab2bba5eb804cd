package dev.llmcls.llm;

import dev.langchain4j.model.openai.internal.models.OpenAiModelInfo;
import dev.llmcls.core.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Checks, before a run sends anything, that the server answers and serves the model, and picks the default model. */
public final class ServerProbe {
    private ServerProbe() {
    }

    /**
     * What the start-up check found: the model to use, the replicas that did not answer, and who owns the listed
     * models ("vllm" for vLLM), which says what kind of server this is.
     */
    public record Result(String model, List<Integer> unreachable, List<String> owners) {
    }

    /**
     * Asks every server for its models. Fails with an input error that says what to start when none answers, or
     * when one that answers does not serve the model; otherwise returns the model ({@code requested}, or the first
     * one listed) and the servers to set aside.
     */
    public static Result check(List<OpenAiBackend> backends, String requested) {
        var unreachable = new ArrayList<Integer>();
        var listings = new ArrayList<List<String>>();
        var owners = new ArrayList<String>();
        RuntimeException firstFailure = null;
        for (int i = 0; i < backends.size(); i++) {
            try {
                List<OpenAiModelInfo> listed = backends.get(i).listModelInfo();
                listings.add(listed.stream().map(OpenAiModelInfo::id).toList());
                listed.stream().map(OpenAiModelInfo::ownedBy).filter(Objects::nonNull)
                        .filter(owner -> !owners.contains(owner)).forEach(owners::add);
            } catch (RuntimeException e) {
                listings.add(null);
                unreachable.add(i);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (unreachable.size() == backends.size()) {
            String urls = String.join(", ", backends.stream().map(b -> b.server().baseUrl()).toList());
            throw new InputException("no OpenAI-compatible server answers at " + urls + " (" + Failures.describe(firstFailure)
                    + "). Start one (scripts/serve-vllm.sh on a GPU machine, or any OpenAI-compatible server) or "
                    + "point --base-url at it.", firstFailure);
        }
        String model = requested;
        for (int i = 0; i < backends.size(); i++) {
            List<String> models = listings.get(i);
            if (models == null) {
                continue;
            }
            if (model == null) {
                if (models.isEmpty()) {
                    throw new InputException("the server at " + backends.get(i).server().baseUrl()
                            + " lists no models; pass --model");
                }
                model = models.get(0);
            } else if (!models.isEmpty() && !models.contains(model)) {
                throw new InputException("the server at " + backends.get(i).server().baseUrl() + " does not serve "
                        + "model '" + model + "'; it serves " + models + ". Pass one of those with --model, or start "
                        + "the server with --served-model-name " + model + ".");
            }
        }
        return new Result(model, List.copyOf(unreachable), List.copyOf(owners));
    }
}
