package dev.llmcls.runs;

import java.time.Duration;

/**
 * Where a run stands: {@link #RUNNING} (its lock's holder is alive), {@link #COMPLETE} (it ended
 * with every example answered), {@link #PARTIAL} (it ended, by itself or by a stop it was given,
 * with examples unanswered or failed: run it again to resume), {@link #STOPPED} (it never ended:
 * the manifest still says running and the lock's holder is gone, killed or its machine lost; run it
 * again to resume).
 */
public enum RunState {
    RUNNING,
    COMPLETE,
    PARTIAL,
    STOPPED;

    /**
     * How long a run on another host may go unwritten and still count as running: its pid cannot be
     * checked.
     */
    static final Duration OTHER_HOST_QUIET = Duration.ofMinutes(10);

    /**
     * The state of a run whose manifest's {@code status} is {@code status} (null: none), whose lock
     * holder is {@code alive} (null: on another host, or no holder known: judged by {@code quiet},
     * the time since the output was last written), with {@code answered} of {@code total} examples
     * answered and {@code errors} failed.
     */
    public static RunState of(
            String status, Boolean alive, Duration quiet, long answered, long total, long errors) {
        boolean ended = status != null && !status.equals("running");
        if (Boolean.TRUE.equals(alive)) {
            return RUNNING;
        }
        if (!ended) {
            return alive == null && quiet.compareTo(OTHER_HOST_QUIET) < 0 ? RUNNING : STOPPED;
        }
        return answered >= total && errors == 0 ? COMPLETE : PARTIAL;
    }
}
