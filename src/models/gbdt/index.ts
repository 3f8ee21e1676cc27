/**
 * Histogram gradient boosting in the style of LightGBM (Ke et al., NeurIPS 2017), XGBoost `hist`
 * (Chen & Guestrin, KDD 2016) and scikit-learn's HistGradientBoosting:
 *
 * - `gbdtClassifier(params)` / `gbdtRegressor(params)`: specs with camelCase parameters (see
 *   `classifierSchema` / `regressorSchema`); `fit(frame, { target, weights, rng, threads, validation })`.
 * - Fitted models: `predict`, `predictProba` (classifier), `predictRow` / `predictProbaRow` for one
 *   row (µs), `rawScores`, `featureImportance("gain" | "split")`, `history` (per-iteration train /
 *   validation loss; "iteration" events go to the active observer), `save()` to flat typed buffers.
 *
 * Pipeline: quantile binning into ≤ 255 bins + a missing bin (binning.ts) → per iteration,
 * gradients of the loss (losses.ts) → leaf-wise trees from gradient histograms with subtraction
 * (grow.ts, histogram.ts, split.ts, partition.ts), native categorical splits, monotonic bounds →
 * early stopping (early-stopping.ts). Heavy steps run as tasks over row blocks, shared with workers
 * of the core worker pool over shared memory (engine.ts, kernel.ts); results are identical for any
 * thread count. Prediction walks flat arrays (predict.ts), large batches on all cores (predict-pool.ts).
 * Bins, gradients, starting scores, splits (ties included) and leaf values follow scikit-learn
 * 1.2's HistGradientBoosting, so with early stopping off and below its 200,000-row binning
 * sample the predictions equal scikit-learn's (test/models/gbdt/reference.test.ts).
 */
import { defineEstimator } from "../../estimator/index.js";
import { fitClassifier, fitRegressor } from "./fit.js";
import { GbdtClassifierModel, GbdtRegressorModel, partsFromArtifact } from "./model.js";
import { checkGbdtParams, classifierSchema, regressorSchema } from "./params.js";

/**
 * Gradient-boosted trees for classification: binary log loss, or softmax with one tree per class
 * per iteration. `gbdtClassifier({ maxLeaves: 31, learningRate: 0.1 })`.
 * @example
 * ```ts
 * const model = await gbdtClassifier({ maxLeaves: 31, learningRate: 0.1, maxIter: 200 }).fit(frame, { target: "Status" });
 * const proba = model.predictProba(frame);
 * ```
 */
export const gbdtClassifier = defineEstimator<GbdtClassifierModel>({
  kind: "gbdt-classifier",
  role: "classifier",
  schema: classifierSchema,
  doc: "histogram gradient-boosted trees for classification (leaf-wise, native categorical splits, early stopping)",
  needsTarget: true,
  checkParams: checkGbdtParams,
  fit: (params, data, options, spec) => fitClassifier(params, data, options, spec),
  load(artifact, spec) {
    const { parts, classes } = partsFromArtifact(artifact);
    return new GbdtClassifierModel(spec, artifact.signature, parts, classes!);
  },
});

/**
 * Gradient-boosted trees for regression: squared, absolute, Huber, quantile or Poisson loss.
 * `gbdtRegressor({ loss: "quantile", quantile: 0.9 })`.
 * @example
 * ```ts
 * const model = await gbdtRegressor({ loss: "quantile", quantile: 0.9 }).fit(frame, { target: "price" });
 * ```
 */
export const gbdtRegressor = defineEstimator<GbdtRegressorModel>({
  kind: "gbdt-regressor",
  role: "regressor",
  schema: regressorSchema,
  doc: "histogram gradient-boosted trees for regression (squared, absolute, huber, quantile, poisson losses)",
  needsTarget: true,
  checkParams: checkGbdtParams,
  fit: (params, data, options, spec) => fitRegressor(params, data, options, spec),
  load(artifact, spec) {
    return new GbdtRegressorModel(spec, artifact.signature, partsFromArtifact(artifact).parts);
  },
});

export { GbdtClassifierModel, GbdtRegressorModel } from "./model.js";
export type { GbdtHistory, ImportanceType, RowInput } from "./model.js";
export { classifierSchema, regressorSchema, REGRESSION_LOSSES } from "./params.js";
export type { RegressionLoss } from "./params.js";
export { AUTO_EARLY_STOPPING_ROWS } from "./fit.js";
