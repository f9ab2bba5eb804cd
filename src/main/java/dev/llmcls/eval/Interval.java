package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonFormat;

/** A confidence interval; written to JSON as {@code [low, high]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record Interval(double low, double high) {}
