/**
 * `elastic-net` and `lasso`: least squares with L1 and L2 penalties, as scikit-learn's
 * `ElasticNet` and `Lasso`. Minimises
 *   1/(2n)·Σᵢ sᵢ·(yᵢ − xᵢ·w − b)² + α·r·‖w‖₁ + ½·α·(1−r)·‖w‖²
 * with r = l1Ratio (1 for lasso) and sample weights rescaled to sum to n. Solved by coordinate
 * descent (`coordinate-descent.ts`) on the centred data with scikit-learn's duality-gap stopping
 * rule, so `tol` and `maxIter` mean what they mean there. `positive` keeps coefficients ≥ 0;
 * `selection: "random"` updates a random feature each step (seeded by the fit's `rng`).
 */
import { z } from "zod";
import { Rng, emit, observing, type Json } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { defineEstimator, modelSignature, type FitOptions, type ParamSchema, type Spec, featureNames, numericFeatures, regressionTarget } from "../../estimator/index.js";
import { centerData } from "./center.js";
import { enetCoordinateDescent } from "./coordinate-descent.js";
import { type FittedLinearRegressor, LinearRegressorModel } from "./fitted-linear.js";

const common: ParamSchema = {
  alpha: z.number().min(0).default(1).describe("penalty strength α"),
  fitIntercept: z.boolean().default(true).describe("fit an intercept"),
  tol: z.number().min(0).default(1e-4).describe("stopping tolerance (duality gap relative to ‖y‖²)"),
  maxIter: z.int().min(1).default(1000).describe("coordinate-descent epochs at most"),
  positive: z.boolean().default(false).describe("constrain coefficients to be ≥ 0"),
  selection: z.enum(["cyclic", "random"]).default("cyclic").describe("feature order"),
  seed: z.int().default(0).describe("seed for random selection when no rng is passed"),
};

/**
 * Spec factory for "elastic-net": least squares with penalty α(ρ‖w‖₁ + (1−ρ)/2 ‖w‖²₂), fitted by coordinate descent (Friedman, Hastie & Tibshirani 2010), as scikit-learn's `ElasticNet`.
 * @example
 * ```ts
 * const model = await autoPipeline(elasticNet({ alpha: 0.1, l1Ratio: 0.5 })).fit(frame, { target: "price" });
 * ```
 */
export const elasticNet = defineEstimator<FittedLinearRegressor>({
  kind: "elastic-net",
  role: "regressor",
  doc: "Elastic net (L1 + L2 penalised least squares, coordinate descent)",
  needsTarget: true,
  schema: { ...common, l1Ratio: z.number().min(0).max(1).default(0.5).describe("share of L1 in the penalty") },
  fit: (params, data, options, spec) => fitEnet("elastic-net", params, params.l1Ratio as number, data, options, spec),
  load: (artifact, spec) => LinearRegressorModel.load(artifact, spec),
});

/**
 * Spec factory for "lasso": least squares with an L1 penalty α‖w‖₁ (Tibshirani 1996), coordinate descent, as scikit-learn's `Lasso`.
 * @example
 * ```ts
 * const model = await autoPipeline(lasso({ alpha: 0.01 })).fit(frame, { target: "price" });
 * ```
 */
export const lasso = defineEstimator<FittedLinearRegressor>({
  kind: "lasso",
  role: "regressor",
  doc: "Lasso (L1-penalised least squares, coordinate descent)",
  needsTarget: true,
  schema: common,
  fit: (params, data, options, spec) => fitEnet("lasso", params, 1, data, options, spec),
  load: (artifact, spec) => LinearRegressorModel.load(artifact, spec),
});

async function fitEnet(kind: string, params: Readonly<Record<string, Json>>, l1Ratio: number, data: Frame, options: FitOptions, spec: Spec): Promise<FittedLinearRegressor> {
  const target = options.target!;
  const names = featureNames(data, target);
  const X = numericFeatures(data, names, kind);
  const y = regressionTarget(data, target, kind);
  const n = data.nRows;
  const fitIntercept = params.fitIntercept as boolean;
  const alpha = params.alpha as number;
  let sw: Float64Array | null = null;
  if (options.weights) {
    let s = 0;
    for (let i = 0; i < n; i++) s += options.weights[i];
    sw = new Float64Array(n);
    for (let i = 0; i < n; i++) sw[i] = (options.weights[i] * n) / s;
  }
  const c = centerData(X.columns, y, sw, fitIntercept);
  const random = params.selection === "random";
  const res = enetCoordinateDescent(c.cols, c.y, {
    l1: alpha * l1Ratio * n,
    l2: alpha * (1 - l1Ratio) * n,
    tol: params.tol as number,
    maxIter: params.maxIter as number,
    positive: params.positive as boolean,
    rng: random ? (options.rng ?? new Rng(params.seed as number)) : null,
    onEpoch: observing() ? (epoch, objective) => emit({ type: "iteration", iteration: epoch, losses: { loss: objective / n } }) : undefined,
  });
  let intercept = 0;
  if (fitIntercept) {
    intercept = c.yOffset;
    for (let j = 0; j < res.w.length; j++) intercept -= c.xOffset[j] * res.w[j];
  }
  return new LinearRegressorModel(spec, modelSignature(data, target, "regression"), res.w, intercept, res.nIter, { dualGap: res.gap, converged: res.converged ? 1 : 0 });
}
