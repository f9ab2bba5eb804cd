package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.Shard;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a shard comes from. The Slurm environments are the ones a real Slurm 22.05.8 set
 * (scripts/slurm/ci-test.sh ran these arrays: 0-3, 1-4, 1-7:2, 1,3,7).
 */
class ShardOptionsTest {
    private static Map<String, String> slurm(int id, int min, int max, int step, int count) {
        var env = new HashMap<String, String>();
        env.put("SLURM_ARRAY_JOB_ID", "41");
        env.put("SLURM_ARRAY_TASK_ID", Integer.toString(id));
        env.put("SLURM_ARRAY_TASK_MIN", Integer.toString(min));
        env.put("SLURM_ARRAY_TASK_MAX", Integer.toString(max));
        env.put("SLURM_ARRAY_TASK_STEP", Integer.toString(step));
        env.put("SLURM_ARRAY_TASK_COUNT", Integer.toString(count));
        return env;
    }

    @ParameterizedTest(name = "--array {0}: task {1} is shard {2}/{3}")
    @CsvSource({
        "0-3,    0, 0, 4, 0, 3, 1",
        "0-3,    3, 3, 4, 0, 3, 1",
        "1-4,    1, 0, 4, 1, 4, 1",
        "1-4,    4, 3, 4, 1, 4, 1",
        "1-7:2,  5, 2, 4, 1, 7, 2",
        "0-15:4, 12, 3, 4, 0, 12, 4",
    })
    void slurmArraysAreNumberedByPosition(
            String array, int id, int index, int count, int min, int max, int step) {
        var resolved = ShardOptions.resolve(null, null, slurm(id, min, max, step, count));
        assertEquals(new Shard(index, count), resolved.shard());
        assertTrue(resolved.origin().startsWith("SLURM_ARRAY_TASK_ID=" + id), resolved.origin());
    }

    @Test
    void aListArrayIsRefusedUnlessTheTaskIdsAreTheShardNumbers() {
        Map<String, String> list = slurm(3, 1, 7, 1, 3); // --array=1,3,7
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ShardOptions.resolve(null, null, list));
        assertTrue(e.getMessage().contains("not one range with one step"), e.getMessage());
        // Re-running tasks 1 and 3 of an 8-shard run: --array=1,3 with --shards 8.
        assertEquals(new Shard(3, 8), ShardOptions.resolve(null, 8, list).shard());
        var tooHigh =
                assertThrows(
                        IllegalArgumentException.class, () -> ShardOptions.resolve(null, 3, list));
        assertTrue(tooHigh.getMessage().contains("not below --shards 3"), tooHigh.getMessage());
    }

    @Test
    void kubernetesNeedsTheCompletionsCount() {
        Map<String, String> env = Map.of("JOB_COMPLETION_INDEX", "2");
        assertEquals(new Shard(2, 5), ShardOptions.resolve(null, 5, env).shard());
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ShardOptions.resolve(null, null, env));
        assertTrue(e.getMessage().contains("--shards N"), e.getMessage());
    }

    @Test
    void anExplicitShardWinsAndNoneIgnoresTheEnvironment() {
        Map<String, String> env = slurm(1, 0, 3, 1, 4);
        assertEquals(new Shard(0, 2), ShardOptions.resolve("0/2", null, env).shard());
        assertNull(ShardOptions.resolve("none", null, env).shard());
        assertNull(ShardOptions.resolve(null, null, Map.of()).shard());
        assertThrows(IllegalArgumentException.class, () -> ShardOptions.resolve(null, 4, Map.of()));
        assertThrows(
                IllegalArgumentException.class, () -> ShardOptions.resolve("4/4", null, Map.of()));
        assertThrows(
                IllegalArgumentException.class, () -> ShardOptions.resolve("1-4", null, Map.of()));
        assertThrows(
                IllegalArgumentException.class, () -> ShardOptions.resolve("1/4", 4, Map.of()));
    }

    @Test
    void theRuleIsSha256OfTheIdAndShardFilesAreNamedAfterTheOutput() {
        // Computed independently in Python:
        // int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big") % n.
        assertEquals(
                List.of(0, 2, 1, 2, 0, 1),
                List.of(
                        Shard.of("0", 4),
                        Shard.of("7", 4),
                        Shard.of("ag-1", 4),
                        Shard.of("abc", 4),
                        Shard.of("ag-1", 3),
                        Shard.of("ag-1", 2)));
        assertEquals(
                Path.of("output", "basic.shard-2-of-4.jsonl"),
                new Shard(2, 4).outputFor(Path.of("output/basic.jsonl")));
        assertEquals(
                Path.of("runs", "out.shard-0-of-1"),
                new Shard(0, 1).outputFor(Path.of("runs/out")));
        assertEquals(
                "output/basic.shard-*-of-4.jsonl",
                Shard.mergedName(Path.of("output/basic.shard-3-of-4.jsonl")));
        assertNull(Shard.mergedName(Path.of("output/basic.jsonl")));
    }
}
