package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VoteAndAnswerParserTest {
    private static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");

    @Test
    void majorityWinsAndCountsAreInLabelOrder() {
        Vote vote = Vote.of(List.of("Business", "Sports", "Business"), LABELS);
        assertEquals("Business", vote.winner());
        var expected = new LinkedHashMap<String, Integer>();
        expected.put("Sports", 1);
        expected.put("Business", 2);
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(vote.counts().entrySet()));
    }

    @Test
    void aTieGoesToTheEarlierLabelWhateverTheBallotOrder() {
        assertEquals("Sports", Vote.of(List.of("Business", "Sports"), LABELS).winner());
        assertEquals("Sports", Vote.of(List.of("Sports", "Business"), LABELS).winner());
    }

    @Test
    void answersWithoutASingleLabelDoNotVote() {
        Vote vote = Vote.of(Arrays.asList(null, null, "World"), LABELS);
        assertEquals("World", vote.winner());
        assertEquals(Map.of("World", 1), vote.counts());
        assertNull(Vote.of(Arrays.asList(null, null), LABELS).winner());
    }

    @Test
    void aFreeAnswerIsReadWithTheSeedRule() {
        var parser = new AnswerParser(LABELS, Constraint.NONE);
        assertEquals("Sports", parser.label("reason: a match, not World news.\nlabel: Sports"));
        assertNull(parser.label("label: World or Business"), "several labels name none");
        assertNull(parser.label("label: Science and Technology"), "a split name is no label");
    }

    @Test
    void aJsonAnswerMustNameALabelExactly() {
        var parser = new AnswerParser(LABELS, Constraint.JSON);
        assertEquals(
                "Science | Technology",
                parser.label(
                        "{\"reason\": \"about World and Sports\", \"label\": \"Science |"
                                + " Technology\"}"));
        assertNull(parser.label("{\"reason\": \"x\", \"label\": \"science\"}"));
        assertNull(parser.label("label: World"), "not JSON");
    }

    @Test
    void constraintsBecomeTheRequestParametersVllmReads() {
        assertEquals(Map.of(), Constraint.NONE.requestParameters(LABELS));
        assertEquals(
                Map.of("structured_outputs", Map.of("choice", LABELS)),
                Constraint.CHOICE.requestParameters(LABELS));
        @SuppressWarnings("unchecked")
        var format =
                (Map<String, Object>)
                        Constraint.JSON.requestParameters(LABELS).get("response_format");
        assertEquals("json_schema", format.get("type"));
        @SuppressWarnings("unchecked")
        var schema =
                (Map<String, Object>)
                        ((Map<String, Object>) format.get("json_schema")).get("schema");
        assertEquals(
                Map.of("type", "string", "enum", LABELS),
                ((Map<?, ?>) schema.get("properties")).get("label"));
        assertEquals(List.of("reason", "label"), schema.get("required"));
    }
}
