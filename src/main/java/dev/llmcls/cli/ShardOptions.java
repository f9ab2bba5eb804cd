package dev.llmcls.cli;

import dev.llmcls.data.Shard;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code classify}'s shard: {@code --shard I/N}, or else taken from the array job it runs in. Slurm
 * sets {@code SLURM_ARRAY_TASK_ID}, {@code _MIN}, {@code _MAX}, {@code _STEP} and {@code _COUNT} in
 * every array task ({@code --array=1-7:2} gives IDs 1, 3, 5, 7 with MIN 1, STEP 2, COUNT 4; a list
 * such as {@code --array=1,3,7} gives COUNT 3, MIN 1, MAX 7 and STEP 1); a Kubernetes Indexed Job
 * sets {@code JOB_COMPLETION_INDEX} (0-based) but not the completions count, which {@code --shards
 * N} gives.
 */
public class ShardOptions {
    @Option(
            names = "--shard",
            paramLabel = "I/N|none",
            description =
                    "Classify only shard I of N (0-based; an example's shard is sha256 of its id"
                            + " mod N), written to OUTPUT.shard-I-of-N.jsonl. Default: from a Slurm"
                            + " array task (SLURM_ARRAY_TASK_*) or a Kubernetes Indexed Job"
                            + " (JOB_COMPLETION_INDEX with --shards); none ignores them.")
    String shard;

    @Option(
            names = "--shards",
            paramLabel = "N",
            description =
                    "Shard count for JOB_COMPLETION_INDEX (Kubernetes) or for a Slurm array whose"
                        + " task ids are the shard numbers themselves (e.g. re-running --array=2 of"
                        + " a 4-shard run).")
    Integer shards;

    /** A shard and where it came from, for the log; {@code shard} null means the whole data set. */
    record Resolved(Shard shard, String origin) {
        static final Resolved NONE = new Resolved(null, null);
    }

    Resolved resolve(CommandLine commandLine, Map<String, String> environment) {
        try {
            return resolve(shard, shards, environment);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    /** The rules, apart from picocli so that tests can hand in an environment. */
    static Resolved resolve(String shardOption, Integer shardsOption, Map<String, String> env) {
        if (shardsOption != null && shardsOption < 1) {
            throw new IllegalArgumentException("--shards must be at least 1, got " + shardsOption);
        }
        if (shardOption != null) {
            if (shardOption.equalsIgnoreCase("none")) {
                return Resolved.NONE;
            }
            if (shardsOption != null) {
                throw new IllegalArgumentException(
                        "--shard I/N already gives the count; --shards is for shards "
                                + "taken from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX");
            }
            return new Resolved(Shard.parse(shardOption), "--shard " + shardOption);
        }
        String slurmTask = env.get("SLURM_ARRAY_TASK_ID");
        if (slurmTask != null && !slurmTask.isBlank()) {
            return fromSlurm(env, shardsOption);
        }
        String completionIndex = env.get("JOB_COMPLETION_INDEX");
        if (completionIndex != null && !completionIndex.isBlank()) {
            if (shardsOption == null) {
                throw new IllegalArgumentException(
                        "JOB_COMPLETION_INDEX="
                                + completionIndex
                                + " is set (a Kubernetes Indexed Job) but Kubernetes does not tell"
                                + " the completions count: pass --shards N (the Job's completions),"
                                + " or --shard none to classify everything");
            }
            int index = number("JOB_COMPLETION_INDEX", completionIndex);
            return new Resolved(
                    shard(index, shardsOption, "JOB_COMPLETION_INDEX"),
                    "JOB_COMPLETION_INDEX=" + index + " and --shards " + shardsOption);
        }
        if (shardsOption != null) {
            throw new IllegalArgumentException(
                    "--shards "
                            + shardsOption
                            + " needs SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX in the"
                            + " environment; outside an array job use --shard I/N");
        }
        return Resolved.NONE;
    }

    /**
     * A Slurm array task. With {@code --shards N}, the task id is the shard number (an array
     * numbered from 0, or a re-run of some of its tasks). Without it, the array's shape decides: N
     * is its task count and the shard is the task's position in it, {@code (ID - MIN) / STEP}, so
     * {@code --array=1-4} and {@code --array=0-30:10} work as {@code --array=0-3} does; a list of
     * ids that is not one range with one step cannot be numbered this way.
     */
    private static Resolved fromSlurm(Map<String, String> env, Integer shardsOption) {
        int id = number("SLURM_ARRAY_TASK_ID", env.get("SLURM_ARRAY_TASK_ID"));
        if (shardsOption != null) {
            return new Resolved(
                    shard(id, shardsOption, "SLURM_ARRAY_TASK_ID"),
                    "SLURM_ARRAY_TASK_ID=" + id + " and --shards " + shardsOption);
        }
        int count = required(env, "SLURM_ARRAY_TASK_COUNT");
        int min = required(env, "SLURM_ARRAY_TASK_MIN");
        int max = required(env, "SLURM_ARRAY_TASK_MAX");
        String stepText = env.get("SLURM_ARRAY_TASK_STEP");
        int step =
                stepText == null || stepText.isBlank()
                        ? 1
                        : number("SLURM_ARRAY_TASK_STEP", stepText);
        String shape =
                "SLURM_ARRAY_TASK_ID="
                        + id
                        + ", _MIN="
                        + min
                        + ", _MAX="
                        + max
                        + ", _STEP="
                        + step
                        + ", _COUNT="
                        + count;
        if (step < 1
                || count < 1
                || (long) min + (long) step * (count - 1) != max
                || id < min
                || id > max
                || (id - min) % step != 0) {
            throw new IllegalArgumentException(
                    "this Slurm array is not one range with one step ("
                            + shape
                            + "), so "
                            + "its task ids cannot be numbered as shards; submit --array=0-"
                            + (count - 1)
                            + " (or A-B:S), or pass --shards N when the task ids are the shard"
                            + " numbers, or --shard I/N");
        }
        return new Resolved(new Shard((id - min) / step, count), shape);
    }

    private static Shard shard(int index, int count, String variable) {
        if (index >= count) {
            throw new IllegalArgumentException(
                    variable
                            + "="
                            + index
                            + " is not below --shards "
                            + count
                            + " (shards are numbered from 0)");
        }
        return new Shard(index, count);
    }

    private static int required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "SLURM_ARRAY_TASK_ID is set but "
                            + name
                            + " is not; pass --shard I/N "
                            + "(or --shards N when the task ids are the shard numbers)");
        }
        return number(name, value);
    }

    private static int number(String name, String value) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + value + "'");
        }
    }
}
