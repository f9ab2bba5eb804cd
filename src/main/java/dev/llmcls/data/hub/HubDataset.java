package dev.llmcls.data.hub;

import dev.llmcls.core.InputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A dataset on the Hugging Face Hub, as {@code --data hf:OWNER/NAME[:CONFIG][@REVISION]} names it;
 * {@code config} is null for a dataset with one configuration (files at the top or under {@code
 * data/}); {@code revision} is null for the {@code main} branch, else a branch, tag or commit sha
 * ({@code refs/convert/parquet} and {@code refs/pr/N} included), written after {@code @} as
 * huggingface_hub's file system writes it ({@code hf://datasets/OWNER/NAME@REVISION/...}, {@code
 * src/huggingface_hub/hf_file_system.py}; a quoted {@code refs%2Fpr%2F1} is read too).
 */
public record HubDataset(String repoId, String config, String revision) {
    public static final String PREFIX = "hf:";

    /** The branch read when no revision is named. */
    public static final String MAIN = "main";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

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
        if (revision != null
                && (!REVISION.matcher(revision).matches()
                        || revision.contains("..")
                        || revision.endsWith("/"))) {
            throw new InputException(
                    "--data "
                            + PREFIX
                            + repoId
                            + "@"
                            + revision
                            + ": '"
                            + revision
                            + "' is not a revision (a branch, a tag or a commit sha, e.g."
                            + " @main, @refs/convert/parquet, @3f2a4c1e...)");
        }
    }

    /** A dataset at the {@code main} branch. */
    public HubDataset(String repoId, String config) {
        this(repoId, config, null);
    }

    /** Whether {@code data} (the {@code --data} value) names a Hub dataset. */
    public static boolean names(String data) {
        return data.startsWith(PREFIX);
    }

    /**
     * Parses {@code hf:OWNER/NAME}, {@code hf:OWNER/NAME:CONFIG}, either with {@code @REVISION}
     * after it.
     */
    public static HubDataset parse(String data) {
        String rest = data.substring(PREFIX.length());
        String revision = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            revision = URLDecoder.decode(rest.substring(at + 1), StandardCharsets.UTF_8);
            rest = rest.substring(0, at);
            if (revision.isEmpty()) {
                throw new InputException(
                        "--data "
                                + data
                                + ": name a revision after '@' (a branch, a tag or a commit sha)");
            }
        }
        int colon = rest.indexOf(':');
        return colon < 0
                ? new HubDataset(rest, null, revision)
                : new HubDataset(rest.substring(0, colon), rest.substring(colon + 1), revision);
    }

    /** The revision to resolve: the one named, else {@code main}. */
    public String revisionOrMain() {
        return revision == null ? MAIN : revision;
    }

    /** Whether the revision named is a full commit sha (nothing to resolve). */
    public boolean pinnedToCommit() {
        return revision != null && revision.matches("[0-9a-f]{40}");
    }

    /** The same dataset at another revision. */
    public HubDataset at(String otherRevision) {
        return new HubDataset(repoId, config, otherRevision);
    }

    @Override
    public String toString() {
        return PREFIX
                + repoId
                + (config == null ? "" : ":" + config)
                + (revision == null ? "" : "@" + revision);
    }
}
