package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.SeedRule;
import dev.llmcls.runfile.EvalRecord;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed reading remembers what it found in short tails. One reading used for every output
 * (twice, so that the second time comes from memory), with each gold label, must give what the seed
 * rule itself gives each output.
 */
class RememberedScoringTest {
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);

    @Test
    void theSeedReadingIsTheSeedRuleWhetherRememberedOrNot() throws IOException {
        var outputs = new ArrayList<String>();
        for (JsonNode node :
                Jsonl.read(Path.of("src/test/resources/fixtures/scorers/seed.jsonl"))) {
            outputs.add(node.get("output").asText());
        }
        for (String tail :
                new String[] {
                    ": Sports", ": World or Sports", " Science | Technology", ": sports", ""
                }) {
            for (String prefix :
                    new String[] {
                        "label", "reason: Business\nlabel", "labels", "Label", "xlabel", ""
                    }) {
                outputs.add(prefix + tail);
            }
        }
        outputs.add("label: " + "Sports ".repeat(20)); // longer than what is remembered
        var rule = new SeedRule(AG.names());
        Scorer.Reading reading = new SeedScorer().reading(AG);
        for (int round = 0; round < 2; round++) {
            for (String output : outputs) {
                for (int gold = 0; gold < AG.size(); gold++) {
                    var record =
                            new EvalRecord(
                                    "1",
                                    null,
                                    AG.name(gold),
                                    output,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    false,
                                    false,
                                    1);
                    SeedRule.Verdict expected = rule.score(output, AG.name(gold));
                    Scorer.Verdict verdict = reading.read(record, gold);
                    assertEquals(expected.right(), verdict.right(), output + " / " + AG.name(gold));
                    assertEquals(code(expected.found()), verdict.prediction(), output);
                }
            }
        }
    }

    private static int code(List<String> found) {
        return switch (found.size()) {
            case 0 -> Scorer.NO_LABEL;
            case 1 -> AG.indexOf(found.get(0)).orElseThrow();
            default -> Scorer.MULTI_LABEL;
        };
    }
}
