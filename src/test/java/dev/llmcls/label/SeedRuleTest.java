package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed rule over a fixture table of outputs: the names found (in label order), and whether that
 * is right.
 */
class SeedRuleTest {
    private final SeedRule scorer =
            new SeedRule(List.of("World", "Sports", "Business", "Science | Technology"));

    record Case(String output, String gold, List<String> found, boolean right, String why) {
        @Override
        public String toString() {
            return why;
        }
    }

    static Stream<Case> outputs() throws IOException {
        var cases = new ArrayList<Case>();
        for (JsonNode node :
                Jsonl.read(Path.of("src/test/resources/fixtures/scorers/seed.jsonl"))) {
            var found = new ArrayList<String>();
            node.get("found").forEach(name -> found.add(name.asText()));
            cases.add(
                    new Case(
                            node.get("output").asText(),
                            node.get("gold").asText(),
                            found,
                            node.get("right").asBoolean(),
                            node.get("why").asText()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void scoresEachOutputOfTheTable(Case c) {
        SeedRule.Verdict verdict = scorer.score(c.output(), c.gold());
        assertEquals(c.found(), verdict.found(), c.output());
        assertEquals(c.right(), verdict.right(), c.output());
        assertEquals(c.found().size() > 1, verdict.multiLabel(), c.output());
    }
}
