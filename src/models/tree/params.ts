/**
 * Parameters shared by trees and forests (scikit-learn's names in camelCase, same defaults and
 * meanings) and their resolution into numbers for one fit.
 */
import { checkClassWeight } from "../../core/class-weight.js";
import { InvalidInputError, show } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";
import type { ParamDef } from "../../estimator/params.js";
import type { CriterionName, GrowSettings } from "./grow.js";

export const CLASSIFIER_CRITERIA = ["gini", "entropy", "log_loss"] as const;
export const REGRESSOR_CRITERIA = ["squared_error", "absolute_error"] as const;

/** The growth parameters of one tree, with their defaults for a single tree. */
export function growParamSchema(role: "classifier" | "regressor"): Record<string, ParamDef> {
  return {
    criterion:
      role === "classifier"
        ? { type: "enum", values: CLASSIFIER_CRITERIA, default: "gini", doc: "split quality: gini impurity, or entropy (= log_loss)" }
        : { type: "enum", values: REGRESSOR_CRITERIA, default: "squared_error", doc: "split quality: squared error (mean leaves) or absolute error (median leaves)" },
    maxDepth: { type: "number", default: null, min: 1, integer: true, nullable: true, doc: "deepest level a tree may reach (null: grow until leaves are pure or too small)" },
    minSamplesSplit: { type: "number", default: 2, min: 0, exclusiveMin: true, doc: "rows a node needs to be split: an integer ≥ 2, or a fraction in (0, 1) of the training rows" },
    minSamplesLeaf: { type: "number", default: 1, min: 0, exclusiveMin: true, doc: "rows each leaf keeps at least: an integer ≥ 1, or a fraction in (0, 1) of the training rows" },
    minWeightFractionLeaf: { type: "number", default: 0, min: 0, max: 0.5, doc: "fraction of the total sample weight each leaf keeps at least" },
    maxFeatures: {
      type: "numberOrEnum",
      values: ["sqrt", "log2"],
      default: null,
      min: 0,
      nullable: true,
      doc: "features tried per split: \"sqrt\", \"log2\", a fraction in (0, 1] of them (1 = all), an integer count > 1, or null for all",
    },
    maxLeafNodes: { type: "number", default: null, min: 2, integer: true, nullable: true, doc: "grow best-first up to this many leaves (null: unlimited, depth-first)" },
    minImpurityDecrease: { type: "number", default: 0, min: 0, doc: "split only when the weighted impurity decrease is at least this" },
    ccpAlpha: { type: "number", default: 0, min: 0, doc: "minimal cost-complexity pruning: collapse subtrees whose effective alpha is ≤ this (0: no pruning)" },
  };
}

/** The `classWeight` parameter: null, "balanced" (and "balanced_subsample" for forests), or { label: weight }. */
export function classWeightParam(allowSubsample: boolean): ParamDef {
  const modes = allowSubsample ? ["balanced", "balanced_subsample"] : ["balanced"];
  return {
    type: "json",
    default: null,
    doc: `class weights: null, ${modes.map((m) => `"${m}"`).join(", ")}, or an object { label: weight }`,
    check: (v: Json) => checkClassWeight(v, modes),
  };
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
