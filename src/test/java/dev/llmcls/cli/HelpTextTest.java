package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import org.junit.jupiter.api.Test;

/** What {@code --help} promises must be what the commands do. */
class HelpTextTest {
    /** Defect: the help said "never more" while the limit applies to each server. */
    @Test
    void concurrencyHelpSaysTheLimitIsPerServer() {
        CliRun help = CliRun.of("classify", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Requests in flight at once per server (--base-url), never more; N servers have N "
                + "times as many."), text);
    }

    @Test
    void verboseIsDeclaredOnceAndListedForEveryCommand() {
        for (String command : new String[] {"classify", "evaluate"}) {
            String help = CliRun.of(command, "--help").out();
            assertTrue(help.contains("-v, --verbose"), command + ": " + help);
        }
        assertTrue(CliRun.of("--help").out().contains("-v, --verbose"));
    }

    @Test
    void enumOptionsListTheirValues() {
        String text = CliRun.of("classify", "--help").out().replaceAll("\\s+", " ");
        assertTrue(text.contains("basic, reason, carp, carp-zh, similarity, knn"), text);
        assertFalse(text.contains("CARP_ZH"), text);
    }
}
