package dev.llmcls.bench;

import dev.llmcls.core.Json;
import dev.llmcls.runfile.RunRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a synthetic run file for the evaluate benchmark ({@code scripts/bench-evaluate.sh}): AG
 * News-sized texts (~240 characters) and reason-style answers (~300 characters) in the format
 * classify writes, with a mix of right, wrong, multi-label, unlabelled and failed answers.
 * Deterministic for a given seed.
 *
 * <p>Usage: {@code GenerateRunFile OUTPUT RECORDS [SEED]}
 */
public final class GenerateRunFile {
    private static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");
    private static final String[] WORDS =
            ("the a government market team season company shares researchers chip election minister"
                 + " league profit quarter network software players cup talks border prices launch"
                 + " study growth record contract ceasefire vote bank rates space")
                    .split(" ");

    private GenerateRunFile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GenerateRunFile OUTPUT RECORDS [SEED]");
            System.exit(2);
        }
        Path output = Path.of(args[0]);
        long records = Long.parseLong(args[1]);
        var random = new SplittableRandom(args.length > 2 ? Long.parseLong(args[2]) : 1);
        try (BufferedWriter writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (long i = 0; i < records; i++) {
                String gold = LABELS.get((int) (i % LABELS.size()));
                String text = words(random, 38);
                double roll = random.nextDouble();
                String answer;
                String error = null;
                if (roll < 0.80) {
                    answer = gold;
                } else if (roll < 0.92) {
                    answer = LABELS.get(random.nextInt(LABELS.size()));
                } else if (roll < 0.95) {
                    answer = gold + " or " + LABELS.get(random.nextInt(LABELS.size()));
                } else if (roll < 0.99) {
                    answer = "unclear";
                } else {
                    answer = null;
                    error = "connection: reset by peer";
                }
                String out =
                        answer == null
                                ? null
                                : "reason: " + words(random, 45) + "\nlabel: " + answer;
                var record =
                        new RunRecord(
                                Long.toString(i),
                                text,
                                gold,
                                out,
                                out == null ? null : "stop",
                                180,
                                90,
                                1200 + random.nextInt(4000),
                                error,
                                1);
                writer.write(Json.MAPPER.writeValueAsString(record));
                writer.write('\n');
            }
        }
    }

    private static String words(SplittableRandom random, int count) {
        var text = new StringBuilder(count * 7);
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
