package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Everything {@code evaluate} found: each run's scores and the paired comparisons with the
 * baseline. {@code examples} (for the HTML report) lists examples where the runs' strict answers
 * differ, or that a lone run got wrong, up to a limit; {@code examplesTotal} counts them all.
 */
@JsonPropertyOrder({"runs", "comparisons"})
public record Evaluation(
        List<RunEvaluation> runs,
        List<Comparison> comparisons,
        @JsonIgnore List<ExampleRow> examples,
        @JsonIgnore long examplesTotal) {
    public Evaluation {
        runs = List.copyOf(runs);
        comparisons = List.copyOf(comparisons);
        examples = List.copyOf(examples);
    }
}
