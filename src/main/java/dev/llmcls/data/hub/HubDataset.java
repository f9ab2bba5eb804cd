package dev.llmcls.data.hub;

import dev.llmcls.core.InputException;
import java.util.regex.Pattern;

/**
 * A dataset on the Hugging Face Hub, as {@code --data hf:OWNER/NAME[:CONFIG]} names it; {@code
 * config} is null for a dataset with one configuration (files at the top or under {@code data/}).
 */
public record HubDataset(String repoId, String config) {
    public static final String PREFIX = "hf:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public HubDataset {
        String[] parts = repoId.split("/", -1);
        if (parts.length != 2
                || !NAME.matcher(parts[0]).matches()
                || !NAME.matcher(parts[1]).matches()) {
            throw new InputException(
                    "--data "
                            + PREFIX
                            + repoId
                            + ": a Hub dataset is named OWNER/NAME (e.g. "
                            + "hf:stanfordnlp/sst2)");
        }
        if (config != null && !NAME.matcher(config).matches()) {
            throw new InputException(
                    "--data "
                            + PREFIX
                            + repoId
                            + ":"
                            + config
                            + ": '"
                            + config
                            + "' is not a configuration name");
        }
    }

    /** Whether {@code data} (the {@code --data} value) names a Hub dataset. */
    public static boolean names(String data) {
        return data.startsWith(PREFIX);
    }

    /** Parses {@code hf:OWNER/NAME} or {@code hf:OWNER/NAME:CONFIG}. */
    public static HubDataset parse(String data) {
        String rest = data.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0
                ? new HubDataset(rest, null)
                : new HubDataset(rest.substring(0, colon), rest.substring(colon + 1));
    }

    @Override
    public String toString() {
        return PREFIX + repoId + (config == null ? "" : ":" + config);
    }
}
