package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The scores of one run file. {@code records} counts examples: a record superseded by a newer one is not counted. */
@JsonPropertyOrder({"file", "records", "seed", "errors"})
public record RunEvaluation(String file, long records, SeedScore seed, long errors, @JsonIgnore int truncatedLines) {
}
