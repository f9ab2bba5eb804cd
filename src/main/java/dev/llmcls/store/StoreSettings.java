package dev.llmcls.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a run uses the answer store: where it is ({@code dir}), whether it reads and writes, only
 * writes ({@code --refresh}) or is off ({@code --no-store}), and whether sampled answers
 * (temperature above 0 without a seed) may be reused ({@code --reuse sampled}).
 */
public record StoreSettings(Path dir, Use use, boolean reuseSampled) {
    /**
     * The environment variable that names the store's directory; {@value #OFF} turns the store off.
     */
    public static final String ENVIRONMENT = "LLMCLS_STORE";

    /** The value of {@link #ENVIRONMENT} that turns the store off, as {@code --no-store} does. */
    public static final String OFF = "off";

    /** Read and write; write only (answers are sent again and replace the kept ones); neither. */
    public enum Use {
        READ_WRITE,
        REFRESH,
        OFF
    }

    public StoreSettings {
        Objects.requireNonNull(use, "use");
        if (use != Use.OFF) {
            Objects.requireNonNull(dir, "dir");
        }
    }

    /**
     * The store's directory: {@code --store} when given, else {@code LLMCLS_STORE}, else
     * ~/.cache/llmcls/answers.
     */
    public static StoreSettings of(
            Path option,
            Use use,
            boolean reuseSampled,
            Map<String, String> environment,
            String userHome) {
        if (use == Use.OFF) {
            return new StoreSettings(null, Use.OFF, reuseSampled);
        }
        if (option != null) {
            return new StoreSettings(option, use, reuseSampled);
        }
        String named = environment.get(ENVIRONMENT);
        if (named != null && !named.isBlank()) {
            return named.strip().equalsIgnoreCase(OFF)
                    ? new StoreSettings(null, Use.OFF, reuseSampled)
                    : new StoreSettings(Path.of(named.strip()), use, reuseSampled);
        }
        return new StoreSettings(
                Path.of(userHome, ".cache", "llmcls", "answers"), use, reuseSampled);
    }

    /**
     * The store as this process's environment names it, read and written, sampled answers not
     * reused.
     */
    public static StoreSettings fromEnvironment() {
        return of(null, Use.READ_WRITE, false, System.getenv(), System.getProperty("user.home"));
    }

    public boolean enabled() {
        return use != Use.OFF;
    }
}
