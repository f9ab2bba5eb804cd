package dev.llmcls.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    @Test
    void bracesInsideTheTextAreNeverExpanded() {
        var template =
                PromptTemplate.parse(
                        "labels:\n{labels}\ntext: {text}\n",
                        "t",
                        PromptTemplate.KNOWN_PLACEHOLDERS);
        String rendered =
                template.render(Map.of("labels", "* A", "text", "see {labels} and {text} and {x}"));
        assertEquals("labels:\n* A\ntext: see {labels} and {text} and {x}\n", rendered);
    }

    @Test
    void unknownPlaceholderIsRejectedNamingIt() {
        var error =
                assertThrows(
                        InputException.class,
                        () ->
                                PromptTemplate.parse(
                                        "text: {text} {lable}",
                                        "my.txt",
                                        PromptTemplate.KNOWN_PLACEHOLDERS));
        assertTrue(error.getMessage().contains("{lable}"), error.getMessage());
        assertTrue(error.getMessage().contains("my.txt"), error.getMessage());
    }

    @Test
    void nonIdentifierBracesAreLiteral() {
        var template =
                PromptTemplate.parse(
                        "json: {\"label\": \"x\"} {text}", "t", PromptTemplate.KNOWN_PLACEHOLDERS);
        assertEquals("json: {\"label\": \"x\"} hi", template.render(Map.of("text", "hi")));
    }

    @Test
    void seedPromptsRenderExactlyAsTheProjectsSeedDocWritesThem() throws IOException {
        assertPromptsMatch(SharedData.seedDoc());
    }

    @Test
    void seedPromptsRenderExactlyAsTheWorkspaceSpecWritesThem() throws IOException {
        Path spec = SharedData.sharedSeedSpec().orElse(null);
        assumeTrue(
                spec != null,
                "../shared/spec/seed-experiment.md is absent (a plain clone);"
                    + " docs/seed-experiment.md, the project's copy, is checked by the test above");
        assertPromptsMatch(spec);
    }

    private static void assertPromptsMatch(Path markdown) throws IOException {
        List<String> blocks = codeBlocks(Files.readString(markdown));
        assertEquals(2, blocks.size(), markdown + " shows the basic and the reason prompt");
        String labels = PromptTemplate.bulletList(LabelSet.parse(LabelSet.AG_NEWS).names());
        String text = "Fears for T N pension after talks Unions representing workers";

        String basic =
                PromptTemplate.read(Path.of("prompts", "basic.txt"))
                        .render(Map.of("labels", labels, "text", text));
        String reason =
                PromptTemplate.read(Path.of("prompts", "reason.txt"))
                        .render(Map.of("labels", labels, "text", text));

        // Each prompt is shown in a fenced block; both end with a newline after "label:", and the
        // seed's basic
        // template began with one empty line that its code did not strip.
        assertEquals(
                "\n" + blocks.get(0).replace("{text}", text) + "\n", basic, markdown.toString());
        assertEquals(blocks.get(1).replace("{text}", text) + "\n", reason, markdown.toString());
    }

    private static List<String> codeBlocks(String markdown) {
        Matcher matcher = Pattern.compile("```\\n(.*?)\\n```", Pattern.DOTALL).matcher(markdown);
        var blocks = new ArrayList<String>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
