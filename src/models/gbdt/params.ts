/**
 * Parameters of the histogram gradient-boosting estimators, declared once as `ParamSchema`s (names
 * and defaults follow scikit-learn's HistGradientBoosting* and LightGBM, in camelCase), and read
 * into a typed `GbdtSettings` record for the trainer.
 */
import { type ClassWeightParam, checkClassWeight } from "../../core/class-weight.js";
import type { Json } from "../../core/observe.js";
import type { ParamDef, ParamSchema } from "../../estimator/params.js";

/** Regression losses (scikit-learn's names). */
export const REGRESSION_LOSSES = ["squared_error", "absolute_error", "huber", "quantile", "poisson"] as const;
export type RegressionLoss = (typeof REGRESSION_LOSSES)[number];
export type LossName = RegressionLoss | "log_loss";

function checkCategorical(v: Json): string | null {
  if (v === null || v === "auto") return null;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return null;
  return `"auto" or a list of column names ([] for none)`;
}

function checkMonotonic(v: Json): string | null {
  if (v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) return "null or an object mapping column names to -1, 0 or 1";
  for (const [k, x] of Object.entries(v)) {
    if (x !== -1 && x !== 0 && x !== 1) return `-1, 0 or 1 for column ${JSON.stringify(k)} (an object mapping column names to -1, 0 or 1)`;
  }
  return null;
}

const common: Record<string, ParamDef> = {
  maxIter: { type: "number", default: 100, min: 1, integer: true, doc: "boosting iterations (trees per class)" },
  learningRate: { type: "number", default: 0.1, min: 0, exclusiveMin: true, doc: "shrinkage applied to every leaf value" },
  maxLeaves: { type: "number", default: 31, min: 2, integer: true, nullable: true, doc: "leaves per tree (null: no limit)" },
  maxDepth: { type: "number", default: null, min: 1, integer: true, nullable: true, doc: "depth limit (null: none)" },
  minSamplesLeaf: { type: "number", default: 20, min: 1, integer: true, doc: "fewest training rows in a leaf" },
  minHessian: { type: "number", default: 1e-3, min: 0, doc: "smallest hessian sum in a leaf" },
  l2Regularization: { type: "number", default: 0, min: 0, doc: "L2 penalty λ on leaf values" },
  maxBins: { type: "number", default: 255, min: 2, max: 255, integer: true, doc: "bins per feature for non-missing values (≤ 255)" },
  subsample: { type: "number", default: 1, min: 0, max: 1, exclusiveMin: true, doc: "fraction of rows drawn (without replacement) for each iteration" },
  colsampleByTree: { type: "number", default: 1, min: 0, max: 1, exclusiveMin: true, doc: "fraction of features drawn for each tree" },
  categorical: { type: "json", default: "auto", check: checkCategorical, doc: `native categorical features: column names ([] for none: categorical columns are then read as their codes), or "auto" (the frame's categorical columns)` },
  monotonic: { type: "json", default: null, check: checkMonotonic, doc: "monotonic constraints: column → -1 (decreasing), 0, 1 (increasing)" },
  earlyStopping: { type: "enum", values: ["auto", true, false], default: "auto", doc: `"auto": on when the training data has more than 10,000 rows` },
  validationFraction: { type: "number", default: 0.1, min: 0, max: 1, exclusiveMin: true, doc: "share of rows held out for early stopping" },
  nIterNoChange: { type: "number", default: 10, min: 1, integer: true, doc: "stop after this many iterations without improvement" },
  tol: { type: "number", default: 1e-7, min: 0, doc: "the improvement that counts, in loss units" },
  seed: { type: "number", default: 0, integer: true, doc: "random seed (subsampling, validation split, binning sample)" },
  threads: { type: "number", default: null, min: 1, integer: true, nullable: true, doc: "worker threads for histogram building (null: all)" },
};

export const classifierSchema: ParamSchema = {
  ...common,
  loss: { type: "enum", values: ["log_loss"], default: "log_loss", doc: "binary log loss, or multinomial (softmax) for more than two classes" },
  classWeight: { type: "json", default: null, check: (v) => checkClassWeight(v), doc: `null, "balanced", or class label → weight` },
};

export const regressorSchema: ParamSchema = {
  ...common,
  loss: { type: "enum", values: REGRESSION_LOSSES, default: "squared_error", doc: "squared_error | absolute_error | huber | quantile | poisson" },
  quantile: { type: "number", default: 0.5, min: 0, max: 1, exclusiveMin: true, doc: "the quantile predicted by loss quantile (0 < q < 1)" },
  huberDelta: { type: "number", default: 1, min: 0, exclusiveMin: true, doc: "residual size where the Huber loss turns from squared to absolute" },
};

/** Cross-parameter checks shared by both estimators. */
export function checkGbdtParams(params: Readonly<Record<string, Json>>): string | null {
  if (params.validationFraction === 1) return "validationFraction must be below 1";
  if (params.quantile === 1) return "quantile must be below 1";
  return null;
}

/** The parameters as the trainer reads them. */
export interface GbdtSettings {
  maxIter: number;
  learningRate: number;
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessian: number;
  l2: number;
  maxBins: number;
  subsample: number;
  colsample: number;
  categorical: "auto" | string[] | null;
  monotonic: Record<string, number> | null;
  loss: LossName;
  quantile: number;
  huberDelta: number;
  classWeight: ClassWeightParam;
  earlyStopping: "auto" | boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  seed: number;
  threads: number | null;
}

export function readSettings(p: Readonly<Record<string, Json>>): GbdtSettings {
  return {
    maxIter: p.maxIter as number,
    learningRate: p.learningRate as number,
    maxLeaves: p.maxLeaves === null ? Number.MAX_SAFE_INTEGER : (p.maxLeaves as number),
    maxDepth: p.maxDepth === null ? Number.MAX_SAFE_INTEGER : (p.maxDepth as number),
    minSamplesLeaf: p.minSamplesLeaf as number,
    minHessian: p.minHessian as number,
    l2: p.l2Regularization as number,
    maxBins: p.maxBins as number,
    subsample: p.subsample as number,
    colsample: p.colsampleByTree as number,
    categorical: p.categorical as GbdtSettings["categorical"],
    monotonic: p.monotonic as GbdtSettings["monotonic"],
    loss: p.loss as LossName,
    quantile: (p.quantile as number | undefined) ?? 0.5,
    huberDelta: (p.huberDelta as number | undefined) ?? 1,
    classWeight: (p.classWeight as GbdtSettings["classWeight"] | undefined) ?? null,
    earlyStopping: p.earlyStopping as "auto" | boolean,
    validationFraction: p.validationFraction as number,
    nIterNoChange: p.nIterNoChange as number,
    tol: p.tol as number,
    seed: p.seed as number,
    threads: p.threads as number | null,
  };
}
