package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmcls.data.LabelSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link StrictRule#predictAll}: an answer read as the set of labels it names. */
class StrictRuleSetTest {
    private static final LabelSet LABELS =
            LabelSet.parse("joy,anger,sadness,surprise,Science | Technology")
                    .withAlias("happiness", "joy")
                    .withAlias("Sci/Tech", "Science | Technology");
    private static final StrictRule SCORER = new StrictRule(LABELS);

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(
            delimiter = '#',
            quoteCharacter = '`',
            value = {
                "labels: joy, surprise                        # joy;surprise",
                "Labels: Surprise,JOY                         # joy;surprise",
                "labels: happiness and anger                  # joy;anger",
                "label: sadness                               # sadness",
                "`It mentions joy and anger.\nlabels: sadness` # sadness",
                "**Labels:** joy; joy; joy                    # joy",
                "labels: 无                                   # -",
                "labels: none                                 # -",
                "labels: enjoyment, angered                   # -",
                "labels: Sci/Tech, science|technology         # Science | Technology",
                "标签: joy, anger                             # joy;anger",
                "joy surprise                                 # joy;surprise",
                "relabels: joy                                # joy",
            })
    void readsEveryLabelAfterTheLastMarker(String answer, String expected) {
        List<String> names = SCORER.predictAll(answer).stream().map(LABELS::name).toList();
        assertEquals(expected.equals("-") ? List.of() : Arrays.asList(expected.split(";")), names);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "labels: joy          | 6",
                "the label: joy       | 9",
                "labels and label x   | 16",
                "nothing here         | 0",
            })
    void theListMarkerIsLabelOrLabels(String answer, int after) {
        assertEquals(after, StrictRule.afterLastListMarker(answer));
    }
}
