/**
 * Parameters of the histogram gradient-boosting estimators, declared once as `ParamSchema`s (names
 * and defaults follow scikit-learn's HistGradientBoosting* and LightGBM, in camelCase), and read
 * into a typed `GbdtSettings` record for the trainer.
 */
import { z } from "zod";
import { type ClassWeightParam, checkClassWeight, type Json } from "../../core/index.js";
import { type ParamDef, type ParamSchema, jsonParam } from "../../estimator/index.js";

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
  maxIter: z.int().min(1).default(100).describe("boosting iterations (trees per class)"),
  learningRate: z.number().gt(0).default(0.1).describe("shrinkage applied to every leaf value"),
  maxLeaves: z.int().min(2).nullable().default(31).describe("leaves per tree (null: no limit)"),
  maxDepth: z.int().min(1).nullable().default(null).describe("depth limit (null: none)"),
  minSamplesLeaf: z.int().min(1).default(20).describe("fewest training rows in a leaf"),
  minHessian: z.number().min(0).default(1e-3).describe("smallest hessian sum in a leaf"),
  l2Regularization: z.number().min(0).default(0).describe("L2 penalty λ on leaf values"),
  maxBins: z.int().min(2).max(255).default(255).describe("bins per feature for non-missing values (≤ 255)"),
  subsample: z.number().gt(0).max(1).default(1).describe("fraction of rows drawn (without replacement) for each iteration"),
  colsampleByTree: z.number().gt(0).max(1).default(1).describe("fraction of features drawn for each tree"),
  categorical: jsonParam(checkCategorical).default("auto").describe(`native categorical features: column names ([] for none: categorical columns are then read as their codes), or "auto" (the frame's categorical columns)`),
  monotonic: jsonParam(checkMonotonic).nullable().default(null).describe("monotonic constraints: column → -1 (decreasing), 0, 1 (increasing)"),
  earlyStopping: z.literal(["auto", true, false]).default("auto").describe(`"auto": on when the training data has more than 10,000 rows`),
  validationFraction: z.number().gt(0).max(1).default(0.1).describe("share of rows held out for early stopping"),
  nIterNoChange: z.int().min(1).default(10).describe("stop after this many iterations without improvement"),
  tol: z.number().min(0).default(1e-7).describe("the improvement that counts, in loss units"),
  seed: z.int().default(0).describe("random seed (subsampling, validation split, binning sample)"),
  threads: z.int().min(1).nullable().default(null).describe("worker threads for histogram building (null: all)"),
};

export const classifierSchema: ParamSchema = {
  ...common,
  loss: z.enum(["log_loss"]).default("log_loss").describe("binary log loss, or multinomial (softmax) for more than two classes"),
  classWeight: jsonParam((v) => checkClassWeight(v)).nullable().default(null).describe(`null, "balanced", or class label → weight`),
};

export const regressorSchema: ParamSchema = {
  ...common,
  loss: z.enum(REGRESSION_LOSSES).default("squared_error").describe("squared_error | absolute_error | huber | quantile | poisson"),
  quantile: z.number().gt(0).max(1).default(0.5).describe("the quantile predicted by loss quantile (0 < q < 1)"),
  huberDelta: z.number().gt(0).default(1).describe("residual size where the Huber loss turns from squared to absolute"),
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
