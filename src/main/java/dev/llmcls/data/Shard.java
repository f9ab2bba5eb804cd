package dev.llmcls.data;

import dev.llmcls.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code index} (0-based) of {@code count}: the examples whose id falls in it by {@link
 * #RULE}. The rule looks at the id alone, so an example lands in the same shard whatever {@code
 * --limit} and the order of the file, and any tool can recompute it: {@code
 * int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big") % count}.
 */
public record Shard(int index, int count) {
    /** The rule, as the manifest records it. */
    public static final String RULE = "sha256(id)[0:8] as unsigned big-endian mod count";

    private static final Pattern TEXT = Pattern.compile("(\\d+)/(\\d+)");
    private static final Pattern FILE_NAME =
            Pattern.compile("(.*)\\.shard-(\\d+)-of-(\\d+)(\\.[^.]*)?");

    public Shard {
        if (count < 1) {
            throw new IllegalArgumentException("a shard count must be at least 1, got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "shard index "
                            + index
                            + " is outside 0.."
                            + (count - 1)
                            + " (shards are numbered from 0)");
        }
    }

    /** Parses {@code I/N}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Shard parse(String text) {
        Matcher matcher = TEXT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "a shard is written I/N (e.g. 0/4, shards numbered from 0), got '"
                            + text
                            + "'");
        }
        try {
            return new Shard(
                    Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard numbers too large: '" + text + "'");
        }
    }

    /** Whether the example with this id belongs to this shard. */
    public boolean contains(String id) {
        return of(id, count) == index;
    }

    /** The shard (0-based) of {@code count} that an id belongs to. */
    public static int of(String id, int count) {
        byte[] digest = Sha256.perThread().digest(id.getBytes(StandardCharsets.UTF_8));
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(high, count);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /**
     * The output of this shard for a run whose output would be {@code output}: {@code shard-I-of-N}
     * goes before the extension ({@code output/basic.jsonl} becomes {@code
     * output/basic.shard-2-of-4.jsonl}).
     */
    public Path outputFor(Path output) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String tag = ".shard-" + index + "-of-" + count;
        String shardName =
                dot > 0 ? name.substring(0, dot) + tag + name.substring(dot) : name + tag;
        return output.resolveSibling(shardName);
    }

    /**
     * The name that stands for all shards of a run, {@code output/basic.shard-*-of-4.jsonl}, when
     * {@code file} is named as {@link #outputFor} names shards; null otherwise.
     */
    public static String mergedName(Path file) {
        Matcher matcher = FILE_NAME.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            return null;
        }
        String merged =
                matcher.group(1)
                        + ".shard-*-of-"
                        + matcher.group(3)
                        + (matcher.group(4) == null ? "" : matcher.group(4));
        return file.getParent() == null ? merged : file.getParent().resolve(merged).toString();
    }
}
