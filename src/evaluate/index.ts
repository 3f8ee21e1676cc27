/**
 * evaluate/: honest evaluation — bootstrap intervals, curves, fairness, slices, calibration,
 * thresholds, comparison with a champion, robustness probes, the report — and cross-validation
 * (its own surface, `evaluate/cv/`). This file is the folder's public surface.
 */
export { bootstrapIntervals, bootstrapRoundsFor } from "./bootstrap.js";
export type { Interval } from "./bootstrap.js";
export { MAX_CURVE_POINTS, binaryCurves } from "./curves.js";
export type { TestCurves } from "./curves.js";
export { fairnessReport } from "./fairness.js";
export type { FairnessReport } from "./fairness.js";
export { evaluateModel } from "./model-evaluation.js";
export type { ModelEvaluation } from "./model-evaluation.js";
export { oneStandardErrorChoice } from "./one-standard-error.js";
export type { OneSeChoice } from "./one-standard-error.js";
export { perfectScores } from "./perfect-score.js";
export { biasBreaches, biasToHtml, pretrainingBias } from "./pretraining-bias.js";
export type { PretrainingBiasReport } from "./pretraining-bias.js";
export { hBars, lineChart, num, parallelCoordinates, pct, table } from "./report-charts.js";
export type { ParallelAxis, ParallelLine, Series } from "./report-charts.js";
export { evaluationToHtml } from "./report-html.js";
export { describeProbe, robustnessProbes } from "./robustness.js";
export type { RobustnessReport } from "./robustness.js";
export { orderClasses, predictionsFor, scoreFitted, scorePredictions } from "./score.js";
export type { Predictions, ScoreJob } from "./score.js";
export { groupsOf, subgroupMetrics } from "./subgroups.js";
export { chooseThreshold, parseCosts } from "./threshold.js";
export type { ThresholdRule } from "./threshold.js";
