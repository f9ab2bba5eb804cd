package dev.llmcls.runfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares two manifests on everything that changes a model's answers, so that resume never mixes
 * two questions.
 */
public final class ManifestComparison {
    private ManifestComparison() {}

    /**
     * Human-readable differences, e.g. {@code "model differs (was 'a', now 'b')"}; empty when the
     * runs agree.
     */
    public static List<String> differences(Manifest previous, Manifest next) {
        var differences = new ArrayList<String>();
        compare(
                differences,
                "data file contents (sha256)",
                previous.data() == null ? null : previous.data().sha256(),
                next.data().sha256());
        Manifest.Hub hubWas = previous.data() == null ? null : previous.data().hub();
        Manifest.Hub hubNow = next.data() == null ? null : next.data().hub();
        if (hubWas != null && hubNow != null && !hubWas.commit().equals(hubNow.commit())) {
            differences.add(
                    "the Hub dataset's commit differs (was "
                            + hubWas.commit()
                            + " of "
                            + hubWas.revision()
                            + ", now "
                            + hubNow.commit()
                            + " of "
                            + hubNow.revision()
                            + "; to resume, pin the first: --data "
                            + pinned(hubWas)
                            + ")");
        }
        compare(
                differences,
                "prompt template (sha256)",
                previous.template() == null ? null : previous.template().sha256(),
                next.template() == null ? null : next.template().sha256());
        compare(differences, "model", previous.model(), next.model());
        compare(differences, "labels", previous.labels(), next.labels());
        RunSettings was = previous.sampling() == null ? RunSettings.of() : previous.sampling();
        differences.addAll(next.sampling().differencesFrom(was));
        compare(differences, "mode", previous.mode(), next.mode());
        compare(differences, "shard", shard(previous), shard(next));
        return differences;
    }

    /** {@code hf:OWNER/NAME[:CONFIG]@COMMIT}: the dataset a manifest names, at its commit. */
    private static String pinned(Manifest.Hub hub) {
        String dataset = hub.dataset();
        int at = dataset.indexOf('@');
        return (at < 0 ? dataset : dataset.substring(0, at)) + "@" + hub.commit();
    }

    /** The shard as I/N of the data's examples; null for an unsharded run. */
    private static String shard(Manifest manifest) {
        Manifest.ShardInfo shard = manifest.shard();
        return shard == null
                ? null
                : shard.index() + "/" + shard.count() + " of " + shard.dataExamples() + " examples";
    }

    private static void compare(List<String> differences, String what, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            differences.add(what + " differs (was " + was + ", now " + now + ")");
        }
    }
}
