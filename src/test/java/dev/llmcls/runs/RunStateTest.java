package dev.llmcls.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run's state from its manifest's status, its lock holder's life, how quiet it is and how far it
 * got.
 */
class RunStateTest {
    @ParameterizedTest(
            name = "status {0}, holder alive {1}, quiet {2} s, {3}/{4} answered, {5} errors: {6}")
    @CsvSource(
            nullValues = "null",
            textBlock =
                    """
                    # a live holder runs, whatever the manifest says (a resumed run has not rewritten it yet)
                    running,                true,  0,     3, 9, 0, RUNNING
                    complete,               true,  0,     9, 9, 0, RUNNING
                    # the manifest says running and the holder is gone: killed
                    running,                false, 0,     3, 9, 0, STOPPED
                    running,                false, 99999, 9, 9, 0, STOPPED
                    # no manifest status at all and nobody holds it
                    null,                   false, 0,     0, 9, 0, STOPPED
                    # another host: judged by the last write
                    running,                null,  30,    3, 9, 0, RUNNING
                    running,                null,  3600,  3, 9, 0, STOPPED
                    # ended
                    complete,               false, 0,     9, 9, 0, COMPLETE
                    complete,               null,  0,     9, 9, 0, COMPLETE
                    finished_with_failures, false, 0,     7, 9, 2, PARTIAL
                    stopped,                false, 0,     4, 9, 0, PARTIAL
                    stopped,                null,  10,    4, 9, 0, PARTIAL
                    # a complete status that does not add up is not called complete
                    complete,               false, 0,     8, 9, 0, PARTIAL
                    complete,               false, 0,     9, 9, 1, PARTIAL
                    """)
    void statesFollowTheManifestTheLockAndTheCounts(
            String status,
            Boolean alive,
            long quietSeconds,
            long answered,
            long total,
            long errors,
            RunState expected) {
        assertEquals(
                expected,
                RunState.of(
                        status, alive, Duration.ofSeconds(quietSeconds), answered, total, errors));
    }
}
