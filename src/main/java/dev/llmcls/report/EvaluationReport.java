package dev.llmcls.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.eval.RunEvaluation;
import dev.llmcls.run.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders evaluations for people (an aligned table) and for scripts (JSON). */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    public static String table(List<RunEvaluation> runs) {
        var table = new TextTable(List.of("file", "records", "right", "accuracy", "multi_label", "errors"));
        for (RunEvaluation run : runs) {
            table.add(List.of(run.file(), Long.toString(run.records()), Long.toString(run.seed().right()),
                    String.format(Locale.ROOT, "%.2f%%", 100 * run.seed().accuracy()),
                    Long.toString(run.seed().multiLabel()), Long.toString(run.errors())));
        }
        return table.render();
    }

    public static String json(List<RunEvaluation> runs) {
        try {
            return Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("runs", runs)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
