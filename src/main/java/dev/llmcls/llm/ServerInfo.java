package dev.llmcls.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a server says about itself before a run: the models {@code GET /v1/models} lists (with their
 * {@code owned_by} and, for llama.cpp, {@code aliases}) and, where it reports it, how many requests
 * it serves at once (llama.cpp's {@code GET /props} {@code total_slots}); null when unknown. {@code
 * modelPath} is the weights' file llama.cpp's {@code /props} names ({@code model_path}), null when
 * not told.
 */
public record ServerInfo(List<Model> models, Integer totalSlots, String modelPath) {
    /**
     * One listed model: its id, who owns it ("vllm", "llamacpp", "library" for Ollama), its other
     * names (llama.cpp's {@code aliases}), what it really is (vLLM's {@code root}: the weights'
     * path or hub name, whatever {@code --served-model-name} says) and its vocabulary size
     * (llama.cpp's {@code meta.n_vocab}); null when not listed.
     */
    public record Model(
            String id, String ownedBy, List<String> aliases, String root, Integer vocabSize) {
        public Model {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        /** Whether {@code name} is this model's id or one of its aliases. */
        public boolean answersTo(String name) {
            return id.equals(name) || aliases.contains(name);
        }
    }

    /** The kinds of server llmcls tells apart, from {@code owned_by}; each has its own advice. */
    public enum Kind {
        VLLM,
        LLAMA_CPP,
        OLLAMA,
        OTHER;

        static Kind ofOwner(String owner) {
            String o = owner == null ? "" : owner.toLowerCase(Locale.ROOT);
            return switch (o) {
                case "vllm" -> VLLM;
                case "llamacpp" -> LLAMA_CPP;
                case "library", "ollama" -> OLLAMA;
                default -> OTHER;
            };
        }

        /** How to make this server serve a model under {@code name}. */
        public String serveAdvice(String name) {
            return switch (this) {
                case VLLM -> "start vLLM with --served-model-name " + name;
                case LLAMA_CPP -> "start llama-server with --alias " + name;
                case OLLAMA ->
                        "pull it first (ollama pull "
                                + name
                                + ") and use the name `ollama list` shows";
                case OTHER -> "check the name the server expects";
            };
        }
    }

    public ServerInfo {
        models = List.copyOf(models);
    }

    public ServerInfo(List<Model> models, Integer totalSlots) {
        this(models, totalSlots, null);
    }

    /** Every name the server answers to by its own listing: ids, then aliases. */
    public List<String> names() {
        var names = new ArrayList<String>();
        models.forEach(m -> names.add(m.id()));
        models.forEach(
                m -> m.aliases().stream().filter(a -> !names.contains(a)).forEach(names::add));
        return names;
    }

    /** The listed model that answers to {@code name}, or null. */
    public Model find(String name) {
        return models.stream().filter(m -> m.answersTo(name)).findFirst().orElse(null);
    }

    /** The distinct owners of the listed models, in listing order. */
    public List<String> owners() {
        return models.stream()
                .map(Model::ownedBy)
                .filter(o -> o != null && !o.isBlank())
                .distinct()
                .toList();
    }

    /** The server's kind when every listed model says the same, else {@link Kind#OTHER}. */
    public Kind kind() {
        List<Kind> kinds = owners().stream().map(Kind::ofOwner).distinct().toList();
        return kinds.size() == 1 ? kinds.get(0) : Kind.OTHER;
    }
}
