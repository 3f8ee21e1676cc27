/**
 * `metrics/`: pure functions over typed arrays, with scikit-learn 1.2's definitions. Classes are
 * codes 0..K−1 (`Int32Array`), scores and probabilities `Float64Array` (binary: one per row;
 * multiclass: rows × classes, row-major), every function takes an optional `sampleWeight`.
 */
export type { Numbers, WeightOption } from "./check.js";
export { accuracy, balancedAccuracy, type AccuracyOptions, type BalancedAccuracyOptions } from "./accuracy.js";
export {
  precision,
  recall,
  f1,
  fbeta,
  precisionRecallF,
  perLabelScores,
  type Average,
  type PrfOptions,
  type PerLabelScores,
} from "./precision-recall-f.js";
export { confusionMatrix, type ConfusionMatrix, type ConfusionMatrixOptions } from "./confusion-matrix.js";
export { matthewsCorrcoef } from "./matthews.js";
export { cohenKappa, type CohenKappaOptions } from "./cohen-kappa.js";
export { logLoss, type LogLossOptions } from "./log-loss.js";
export { brierScore, type BrierOptions } from "./brier.js";
export { calibrationCurve, expectedCalibrationError, type CalibrationCurve, type CalibrationOptions, type CalibrationStrategy } from "./calibration.js";
export { rocAuc, rocCurve, type RocAucOptions, type RocCurve, type RocCurveOptions } from "./roc.js";
export {
  averagePrecision,
  precisionRecallCurve,
  type AveragePrecisionOptions,
  type PrecisionRecallCurve,
  type PrecisionRecallOptions,
} from "./precision-recall.js";
export { bestThreshold, metricFromCounts, THRESHOLD_METRICS, type BestThreshold, type BestThresholdOptions, type ThresholdMetric } from "./best-threshold.js";
export {
  meanAbsoluteError,
  meanSquaredError,
  rootMeanSquaredError,
  meanAbsolutePercentageError,
  r2,
  explainedVariance,
  meanPoissonDeviance,
} from "./regression.js";
export { medianAbsoluteError } from "./median-absolute-error.js";
export { ndcg, mapAtK, type NdcgOptions, type RankingOptions } from "./ranking.js";
export { argsortDescending } from "./argsort.js";
export {
  scorer,
  scorers,
  scorerNames,
  scorersFor,
  defaultMetrics,
  type Scorer,
  type ScorerInput,
  type ScoreOptions,
  type MetricTask,
} from "./scorers.js";
export { binaryCurve, binaryInput, type BinaryCurve, type BinaryInput } from "./binary-curve.js";
