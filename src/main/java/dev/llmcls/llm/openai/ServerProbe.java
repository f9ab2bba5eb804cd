package dev.llmcls.llm.openai;

import dev.llmcls.core.InputException;
import dev.llmcls.llm.Failures;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.llm.ServerException;
import dev.llmcls.llm.ServerInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before a run sends anything, that the server answers and serves the model, and picks the
 * default model.
 */
public final class ServerProbe {
    private ServerProbe() {}

    /**
     * What the start-up check found: the model to use, the replicas that did not answer, who owns
     * the listed models ("vllm" for vLLM), which says what kind of server this is, the fewest slots
     * any answering server reports (null when none says), warnings for the log, the listing of the
     * model (null when not listed) and the weights' file llama.cpp names in {@code /props} (null
     * when not told).
     */
    public record Result(
            String model,
            List<Integer> unreachable,
            List<String> owners,
            ServerInfo.Kind kind,
            Integer totalSlots,
            List<String> warnings,
            ServerInfo.Model listed,
            String modelPath) {
        public Result {
            unreachable = List.copyOf(unreachable);
            owners = List.copyOf(owners);
            warnings = List.copyOf(warnings);
        }

        public Result(
                String model,
                List<Integer> unreachable,
                List<String> owners,
                ServerInfo.Kind kind,
                Integer totalSlots,
                List<String> warnings,
                ServerInfo.Model listed) {
            this(model, unreachable, owners, kind, totalSlots, warnings, listed, null);
        }

        /**
         * What the answers come from, as far as the server tells: the model's id, and the real
         * model behind it (vLLM's {@code root}, llama.cpp's {@code /props} model path) when the
         * server names one; the answer store's key includes it.
         */
        public String identity() {
            String real =
                    listed != null && listed.root() != null && !listed.root().equals(model)
                            ? listed.root()
                            : modelPath;
            return real == null ? model : model + " @ " + real;
        }
    }

    /**
     * Asks every server for its models. Fails with an input error that says what to do when none
     * answers, when one refuses the API key, or when one that answers does not serve the model;
     * otherwise returns the model ({@code requested}, or the first one listed) and the servers to
     * set aside.
     */
    public static Result check(List<OpenAiBackend> backends, String requested) {
        var unreachable = new ArrayList<Integer>();
        var infos = new ArrayList<ServerInfo>();
        var owners = new ArrayList<String>();
        RuntimeException firstFailure = null;
        for (int i = 0; i < backends.size(); i++) {
            OpenAiBackend backend = backends.get(i);
            try {
                ServerInfo info = backend.describe();
                infos.add(info);
                info.owners().stream()
                        .filter(owner -> !owners.contains(owner))
                        .forEach(owners::add);
            } catch (RuntimeException e) {
                refuseOnAuthentication(backend.server(), e);
                infos.add(null);
                unreachable.add(i);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (unreachable.size() == backends.size()) {
            String urls =
                    String.join(", ", backends.stream().map(b -> b.server().baseUrl()).toList());
            throw new InputException(
                    "no OpenAI-compatible server answers at "
                            + urls
                            + " ("
                            + Failures.describe(firstFailure)
                            + "). Start one (scripts/serve-vllm.sh on a GPU machine, or any"
                            + " OpenAI-compatible server) or point --base-url at it.",
                    firstFailure);
        }
        String model = requested;
        var warnings = new ArrayList<String>();
        Integer slots = null;
        ServerInfo.Kind kind = null;
        ServerInfo.Model listed = null;
        String modelPath = null;
        for (int i = 0; i < backends.size(); i++) {
            ServerInfo info = infos.get(i);
            if (info == null) {
                continue;
            }
            String url = backends.get(i).server().baseUrl();
            kind = kind == null || kind == info.kind() ? info.kind() : ServerInfo.Kind.OTHER;
            if (info.totalSlots() != null) {
                slots = slots == null ? info.totalSlots() : Math.min(slots, info.totalSlots());
            }
            List<String> names = info.names();
            if (model == null) {
                if (info.models().isEmpty()) {
                    throw new InputException(
                            "the server at " + url + " lists no models; pass --model");
                }
                model = info.models().get(0).id();
            } else if (!names.isEmpty() && !names.contains(model)) {
                if (info.kind() == ServerInfo.Kind.LLAMA_CPP) {
                    // A llama-server with one model answers to any name; one that routes between
                    // models answers 404,
                    // which stops the run at its first request with the same advice.
                    warnings.add(
                            "warning: the server at "
                                    + url
                                    + " lists "
                                    + names
                                    + ", not '"
                                    + model
                                    + "'; llama-server serves its one model under any name (to list"
                                    + " it: --alias "
                                    + model
                                    + ")");
                } else {
                    throw new InputException(
                            "the server at "
                                    + url
                                    + " does not serve model '"
                                    + model
                                    + "'; it "
                                    + "serves "
                                    + names
                                    + ". Pass one of those with --model, or "
                                    + info.kind().serveAdvice(model)
                                    + ".");
                }
            }
            backends.get(i).kind(info.kind());
            listed = listed != null ? listed : info.find(model);
            modelPath = modelPath != null ? modelPath : info.modelPath();
        }
        return new Result(model, unreachable, owners, kind, slots, warnings, listed, modelPath);
    }

    /**
     * A 401 or 403 is no outage: the key is wrong or missing, and saying "start a server" would
     * mislead.
     */
    private static void refuseOnAuthentication(ServerConfig server, RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerException http
                    && (http.statusCode() == 401 || http.statusCode() == 403)) {
                String source =
                        server.keySource() == null ? "the configured key" : server.keySource();
                String key =
                        server.apiKey() == null
                                ? "no API key was sent ("
                                        + source
                                        + " is not set); set it, or name the key's variable "
                                        + "with --api-key-env or its file with --api-key-file"
                                : "the server refused the API key from "
                                        + source
                                        + "; check that it is the key this "
                                        + "server expects";
                throw new InputException(
                        "authentication failed at "
                                + server.baseUrl()
                                + " ("
                                + Failures.describe(http)
                                + "): "
                                + key
                                + ".",
                        failure);
            }
        }
    }
}
