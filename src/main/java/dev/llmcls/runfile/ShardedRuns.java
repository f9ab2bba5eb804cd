package dev.llmcls.runfile;

import dev.llmcls.core.InputException;
import dev.llmcls.data.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Groups run files into runs for {@code evaluate}: the shard files of one sharded run (recognised
 * by their manifests' {@code shard}) become one run, every other file is a run of its own. Shards
 * belong to one run when their manifests agree on everything resume compares (data, template,
 * model, labels, sampling, mode) and on the shard count and the data's size. A shard given twice is
 * an error; missing shards are reported.
 */
public final class ShardedRuns {
    private ShardedRuns() {}

    /** One shard file of a run. */
    public record ShardFile(Path file, Shard shard) {}

    /**
     * A run to evaluate: {@code name} for the reports, its files in shard order, and for a sharded
     * run the shard count and the shards not given ({@code shards} 0 for a plain file).
     */
    public record Run(
            String name,
            List<ShardFile> files,
            Manifest manifest,
            int shards,
            List<Integer> missing) {
        public boolean sharded() {
            return shards > 0;
        }
    }

    /**
     * Groups run files into runs: plain files alone, the shards of one sharded run together.
     *
     * @param merge {@code --merge}: all files must be shards of one run
     * @param manifests the manifest of a run file, if it has one
     */
    public static List<Run> group(
            List<Path> files, boolean merge, Function<Path, Optional<Manifest>> manifests) {
        var runs = new ArrayList<Run>();
        var groups = new ArrayList<List<ShardFile>>();
        var groupManifests = new ArrayList<Manifest>();
        var order =
                new ArrayList<
                        Object>(); // plain runs and shard groups, in the order of their first file
        for (Path file : files) {
            Manifest manifest = manifests.apply(file).orElse(null);
            if (manifest == null || manifest.shard() == null) {
                if (merge) {
                    throw new InputException(
                            "--merge takes the shard files of one sharded run, but "
                                    + file
                                    + (manifest == null
                                            ? " has no manifest"
                                            : "'s manifest records no shard"));
                }
                Run plain =
                        new Run(
                                file.toString(),
                                List.of(new ShardFile(file, null)),
                                manifest,
                                0,
                                List.of());
                order.add(plain);
                continue;
            }
            Manifest.ShardInfo info = manifest.shard();
            var shardFile = new ShardFile(file, new Shard(info.index(), info.count()));
            int group = -1;
            for (int g = 0; g < groups.size() && group < 0; g++) {
                List<String> differences = differences(groupManifests.get(g), manifest);
                if (differences.isEmpty()) {
                    group = g;
                } else if (merge) {
                    throw new InputException(
                            "--merge: "
                                    + file
                                    + " is not a shard of the same run as "
                                    + groups.get(g).get(0).file()
                                    + ": "
                                    + String.join("; ", differences));
                }
            }
            if (group < 0) {
                groups.add(new ArrayList<>());
                groupManifests.add(manifest);
                group = groups.size() - 1;
                order.add(group);
            }
            for (ShardFile other : groups.get(group)) {
                if (other.shard().equals(shardFile.shard())) {
                    throw new InputException(
                            "shard "
                                    + shardFile.shard()
                                    + " of one run is given twice: "
                                    + other.file()
                                    + " and "
                                    + file
                                    + "; give each shard once");
                }
            }
            groups.get(group).add(shardFile);
        }
        for (Object entry : order) {
            if (entry instanceof Run plain) {
                runs.add(plain);
            } else {
                int g = (Integer) entry;
                runs.add(shardRun(groups.get(g), groupManifests.get(g)));
            }
        }
        return runs;
    }

    private static Run shardRun(List<ShardFile> shards, Manifest manifest) {
        int count = shards.get(0).shard().count();
        Map<Integer, ShardFile> byIndex = new TreeMap<>();
        shards.forEach(shard -> byIndex.put(shard.shard().index(), shard));
        var missing = new TreeSet<Integer>();
        for (int i = 0; i < count; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i);
            }
        }
        String pattern = Shard.mergedName(shards.get(0).file());
        boolean named =
                pattern != null
                        && shards.stream()
                                .allMatch(s -> pattern.equals(Shard.mergedName(s.file())));
        String name =
                named ? pattern : shards.get(0).file() + " (+" + (shards.size() - 1) + " shards)";
        return new Run(name, List.copyOf(byIndex.values()), manifest, count, List.copyOf(missing));
    }

    /** Why two shard manifests are not of one run; empty when they are. */
    static List<String> differences(Manifest first, Manifest next) {
        var differences = new ArrayList<String>();
        // ManifestComparison compares the shard itself too; shards of one run differ there by
        // design.
        Manifest.ShardInfo a = first.shard();
        Manifest.ShardInfo b = next.shard();
        for (String difference : ManifestComparison.differences(first, next)) {
            if (!difference.startsWith("shard ")) {
                differences.add(difference);
            }
        }
        if (a.count() != b.count()) {
            differences.add("shard count differs (" + a.count() + " vs " + b.count() + ")");
        }
        if (a.dataExamples() != b.dataExamples()) {
            differences.add(
                    "examples in the data differ ("
                            + a.dataExamples()
                            + " vs "
                            + b.dataExamples()
                            + ": another --limit?)");
        }
        if (!a.rule().equals(b.rule())) {
            differences.add("shard rule differs");
        }
        return differences;
    }
}
