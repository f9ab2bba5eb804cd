/**
 * Experiments: one YAML file declares a grid of {@code classify} runs (factors, levels, replicates,
 * exclusions); this package reads it ({@link dev.llmcls.experiment.ExperimentFile}), expands it
 * into cells ({@link dev.llmcls.experiment.Grid}), runs the cells side by side ({@link
 * dev.llmcls.experiment.StudyRunner}) and reports the study: leaderboards, factor effects with
 * Holm's correction ({@link dev.llmcls.experiment.StudyReport}). Which keys are options, and what
 * their values mean, is {@code classify}'s own option model, applied in {@code cli}.
 *
 * <p>May depend on {@code core}, {@code data}, {@code eval}, {@code run} and {@code report}; never
 * on {@code cli}.
 */
package dev.llmcls.experiment;
