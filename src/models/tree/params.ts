/**
 * Parameters shared by trees and forests (scikit-learn's names in camelCase, same defaults and
 * meanings) and their resolution into numbers for one fit.
 */
import { z } from "zod";
import { checkClassWeight, InvalidInputError, show, type Json } from "../../core/index.js";
import { type ParamDef, jsonParam } from "../../estimator/index.js";
import type { CriterionName, GrowSettings } from "./grow.js";

export const CLASSIFIER_CRITERIA = ["gini", "entropy", "log_loss"] as const;
export const REGRESSOR_CRITERIA = ["squared_error", "absolute_error"] as const;

/** The growth parameters of one tree, with their defaults for a single tree. */
export function growParamSchema(role: "classifier" | "regressor"): Record<string, ParamDef> {
  return {
    criterion:
      role === "classifier"
        ? z.enum(CLASSIFIER_CRITERIA).default("gini").describe("split quality: gini impurity, or entropy (= log_loss)")
        : z.enum(REGRESSOR_CRITERIA).default("squared_error").describe("split quality: squared error (mean leaves) or absolute error (median leaves)"),
    maxDepth: z.int().min(1).nullable().default(null).describe("deepest level a tree may reach (null: grow until leaves are pure or too small)"),
    minSamplesSplit: z.number().gt(0).default(2).describe("rows a node needs to be split: an integer ≥ 2, or a fraction in (0, 1) of the training rows"),
    minSamplesLeaf: z.number().gt(0).default(1).describe("rows each leaf keeps at least: an integer ≥ 1, or a fraction in (0, 1) of the training rows"),
    minWeightFractionLeaf: z.number().min(0).max(0.5).default(0).describe("fraction of the total sample weight each leaf keeps at least"),
    maxFeatures: maxFeaturesParam(null),
    maxLeafNodes: z.int().min(2).nullable().default(null).describe("grow best-first up to this many leaves (null: unlimited, depth-first)"),
    minImpurityDecrease: z.number().min(0).default(0).describe("split only when the weighted impurity decrease is at least this"),
    ccpAlpha: z.number().min(0).default(0).describe("minimal cost-complexity pruning: collapse subtrees whose effective alpha is ≤ this (0: no pruning)"),
  };
}

/** The `maxFeatures` parameter with a given default (null for trees; forests differ by role). */
export function maxFeaturesParam(defaultValue: number | "sqrt" | "log2" | null): ParamDef {
  return z
    .union([z.number().min(0), z.enum(["sqrt", "log2"])])
    .nullable()
    .default(defaultValue)
    .describe('features tried per split: "sqrt", "log2", a fraction in (0, 1] of them (1 = all), an integer count > 1, or null for all');
}

/** The `classWeight` parameter: null, "balanced" (and "balanced_subsample" for forests), or { label: weight }. */
export function classWeightParam(allowSubsample: boolean): ParamDef {
  const modes = allowSubsample ? ["balanced", "balanced_subsample"] : ["balanced"];
  return jsonParam((v: Json) => checkClassWeight(v, modes)).nullable().default(null).describe(`class weights: null, ${modes.map((m) => `"${m}"`).join(", ")}, or an object { label: weight }`);
}

/** Checks across values that the schema cannot express; a message naming the parameter, or null. */
export function checkGrowParams(params: Readonly<Record<string, Json>>): string | null {
  const mss = params.minSamplesSplit as number;
  if (!(mss < 1) && !(Number.isInteger(mss) && mss >= 2)) return `parameter "minSamplesSplit": got ${show(mss)}, expected an integer ≥ 2 or a fraction in (0, 1)`;
  const msl = params.minSamplesLeaf as number;
  if (!(msl < 1) && !Number.isInteger(msl)) return `parameter "minSamplesLeaf": got ${show(msl)}, expected an integer ≥ 1 or a fraction in (0, 1)`;
  const mf = params.maxFeatures;
  if (typeof mf === "number" && (!(mf > 0) || (mf > 1 && !Number.isInteger(mf)))) {
    return `parameter "maxFeatures": got ${show(mf)}, expected "sqrt", "log2", a fraction in (0, 1], an integer count > 1, or null`;
  }
  return null;
}

/** Features to try per split for `maxFeatures` over `p` features (scikit-learn's rule). */
export function resolveMaxFeatures(maxFeatures: Json, p: number): number {
  if (maxFeatures === null) return p;
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(p)));
  if (maxFeatures === "log2") return Math.max(1, Math.floor(Math.log2(p)));
  const v = maxFeatures as number;
  if (v <= 1) return Math.max(1, Math.floor(v * p));
  if (v > p) {
    throw new InvalidInputError(`parameter "maxFeatures" is ${v}, but the data has only ${p} feature${p === 1 ? "" : "s"}`, { path: "maxFeatures", expected: `at most ${p}`, received: v });
  }
  return v;
}

/**
 * Growth settings for one tree: `nRows` training rows (fractions of rows are of this), `p`
 * features, `weightSum` the total sample weight.
 */
export function resolveGrowSettings(params: Readonly<Record<string, Json>>, nRows: number, p: number, weightSum: number, random: boolean): GrowSettings {
  const msl = params.minSamplesLeaf as number;
  const minSamplesLeaf = msl < 1 ? Math.ceil(msl * nRows) : msl;
  const mss = params.minSamplesSplit as number;
  let minSamplesSplit = mss < 1 ? Math.max(2, Math.ceil(mss * nRows)) : mss;
  minSamplesSplit = Math.max(minSamplesSplit, 2 * minSamplesLeaf);
  return {
    criterion: params.criterion as CriterionName,
    maxDepth: params.maxDepth === null ? Infinity : (params.maxDepth as number),
    minSamplesSplit,
    minSamplesLeaf,
    minWeightLeaf: (params.minWeightFractionLeaf as number) * weightSum,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, p),
    maxLeafNodes: params.maxLeafNodes === null ? 0 : (params.maxLeafNodes as number),
    minImpurityDecrease: params.minImpurityDecrease as number,
    random,
  };
}
