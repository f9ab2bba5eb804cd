package dev.llmcls.run.task;

import dev.llmcls.llm.FailureKind;
import dev.llmcls.runfile.RunRecord;
import java.util.List;

/**
 * What processing one example produced: the record to write, why it failed (null when it
 * succeeded), and the cause of every retry on the way.
 */
public record TaskResult(RunRecord record, FailureKind failure, List<FailureKind> retries) {
    public TaskResult {
        retries = List.copyOf(retries);
    }
}
