package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The calibration figures of one run read one way ({@code variant}): {@code confidence} (the run's
 * own probability of its prediction: {@code confidence}, else the largest of {@code label_probs}),
 * {@code vote_share} (the majority's share of sampled answers), {@code contextual} or {@code batch}
 * (the label distributions divided by the content-free or the run's mean distribution, then the
 * arg-max). Over the {@code examples} that carry what the variant reads ({@code accuracy} is over
 * those too); {@code brier} and {@code nll} need full distributions (null otherwise). {@code
 * versusRaw} compares a calibrated variant's predictions with the raw ones (McNemar). {@code
 * boundedExamples} (the {@code confidence} reading of a {@code --confidence} run whose records
 * carry {@code labels_unlisted}): the examples with a label the server did not list among its top
 * alternatives, whose probability was bounded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "file",
    "variant",
    "examples",
    "accuracy",
    "ece",
    "ece_bins",
    "brier",
    "nll",
    "auroc",
    "auroc_ci95",
    "aurc",
    "accuracy_at_coverage",
    "bounded_examples",
    "reference",
    "versus_raw",
    "reliability",
    "risk_coverage"
})
public record CalibrationResult(
        String file,
        String variant,
        long examples,
        double accuracy,
        double ece,
        @JsonProperty("ece_bins") int eceBins,
        Double brier,
        Double nll,
        Double auroc,
        @JsonProperty("auroc_ci95") Interval aurocCi95,
        double aurc,
        @JsonProperty("accuracy_at_coverage") Map<String, Double> accuracyAtCoverage,
        Map<String, Double> reference,
        @JsonProperty("versus_raw") VersusRaw versusRaw,
        List<Calibration.Bin> reliability,
        @JsonProperty("risk_coverage") List<Calibration.Point> riskCoverage,
        @JsonProperty("bounded_examples") Long boundedExamples) {

    public CalibrationResult(
            String file,
            String variant,
            long examples,
            double accuracy,
            double ece,
            int eceBins,
            Double brier,
            Double nll,
            Double auroc,
            Interval aurocCi95,
            double aurc,
            Map<String, Double> accuracyAtCoverage,
            Map<String, Double> reference,
            VersusRaw versusRaw,
            List<Calibration.Bin> reliability,
            List<Calibration.Point> riskCoverage) {
        this(
                file,
                variant,
                examples,
                accuracy,
                ece,
                eceBins,
                brier,
                nll,
                auroc,
                aurocCi95,
                aurc,
                accuracyAtCoverage,
                reference,
                versusRaw,
                reliability,
                riskCoverage,
                null);
    }

    /**
     * This result with the count of examples whose confidence bounds unlisted labels (null: not
     * known).
     */
    public CalibrationResult withBoundedExamples(Long bounded) {
        return new CalibrationResult(
                file,
                variant,
                examples,
                accuracy,
                ece,
                eceBins,
                brier,
                nll,
                auroc,
                aurocCi95,
                aurc,
                accuracyAtCoverage,
                reference,
                versusRaw,
                reliability,
                riskCoverage,
                bounded);
    }

    /**
     * Raw and calibrated predictions on the same examples: accuracies, discordant counts, McNemar's
     * exact p.
     */
    @JsonPropertyOrder({
        "pairs",
        "raw_accuracy",
        "calibrated_accuracy",
        "only_raw_right",
        "only_calibrated_right",
        "mcnemar_p"
    })
    public record VersusRaw(
            long pairs,
            @JsonProperty("raw_accuracy") double rawAccuracy,
            @JsonProperty("calibrated_accuracy") double calibratedAccuracy,
            @JsonProperty("only_raw_right") long onlyRawRight,
            @JsonProperty("only_calibrated_right") long onlyCalibratedRight,
            @JsonProperty("mcnemar_p") double mcnemarP) {}
}
