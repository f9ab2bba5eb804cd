package dev.llmcls.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.LabelSet;
import dev.llmcls.eval.Evaluation;
import dev.llmcls.eval.Evaluator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's source, without a browser: what may and may not appear in it. {@link
 * HtmlReportChromiumTest} runs it.
 */
class HtmlReportTest {
    @TempDir Path dir;

    private String page() throws IOException {
        Path run = dir.resolve("run.jsonl");
        Files.writeString(
                run,
                "{\"id\":\"0\",\"text\":\"</script><script>alert(1)</script> &"
                        + " \\u2028\",\"gold\":\"World\",\"output\":\"label: Sports"
                        + " <!--\",\"error\":null}\n");
        Evaluation evaluation =
                Evaluator.evaluate(
                        List.of(new Evaluator.Input(run, LabelSet.parse(LabelSet.AG_NEWS))),
                        new Evaluator.Options(0, 2000, 1, 100));
        return HtmlReport.render(evaluation, "2026-11-25T00:00:00Z");
    }

    @Test
    void dataCannotCloseItsScriptElement() throws IOException {
        String page = page();
        assertEquals(2, count(page, "<script"), "the data block and the page's script only");
        assertEquals(2, count(page, "</script>"));
        assertTrue(
                page.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"),
                "the text is in the data, escaped");
        assertFalse(page.contains("<!--"), "no comment opener from the data either");
        assertFalse(page.contains("\u2028"), "no raw line separator");
    }

    @Test
    void contentSecurityPolicyAllowsExactlyThePagesOwnScriptAndNoFetch() throws Exception {
        String page = page();
        Matcher csp =
                Pattern.compile(
                                "content=\"default-src 'none'; style-src 'unsafe-inline';"
                                        + " script-src '(sha256-[^']+)'\"")
                        .matcher(page);
        assertTrue(csp.find(), "CSP with a script hash and default-src 'none'");
        int start = page.lastIndexOf("<script>") + "<script>".length();
        String script = page.substring(start, page.indexOf("</script>", start));
        String hash =
                "sha256-"
                        + Base64.getEncoder()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(script.getBytes(StandardCharsets.UTF_8)));
        assertEquals(hash, csp.group(1));
    }

    @Test
    void escapeCoversMarkupAndQuotes() {
        assertEquals(
                "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                HtmlReport.escape("<a href=\"x\" title='y'>&</a>"));
    }

    /** How often {@code needle} occurs in {@code text}. */
    static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
