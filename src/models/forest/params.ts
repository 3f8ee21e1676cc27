/**
 * Parameters of random forests and extra-trees: the tree growth parameters (scikit-learn 1.2
 * defaults for forests: `maxFeatures` "sqrt" for classifiers, 1.0 — all — for regressors) plus
 * the ensemble's own.
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../../core/index.js";
import type { ParamDef } from "../../estimator/index.js";
import { checkGrowParams, classWeightParam, growParamSchema, maxFeaturesParam } from "../tree/index.js";

export type ForestRole = "classifier" | "regressor";

export function forestSchema(role: ForestRole, extraTrees: boolean): Record<string, ParamDef> {
  const grow = growParamSchema(role);
  return {
    nEstimators: z.int().min(1).default(100).describe("number of trees"),
    ...grow,
    maxFeatures: maxFeaturesParam(role === "classifier" ? "sqrt" : 1),
    bootstrap: z.boolean().default(!extraTrees).describe("train each tree on a bootstrap sample of the rows (else on all rows)"),
    maxSamples: z.number().gt(0).nullable().default(null).describe("rows drawn per bootstrap sample: a fraction in (0, 1] of the rows or an integer count (null: as many as there are rows)"),
    oobScore: z.boolean().default(false).describe("score each row with the trees that did not see it (accuracy / R²); needs bootstrap"),
    ...(role === "classifier" ? { classWeight: classWeightParam(true) } : {}),
    seed: z.int().default(0).describe("random seed (bootstrap samples, feature draws, extra-trees thresholds)"),
    threads: z.int().min(1).nullable().default(null).describe("worker threads building trees (null: the fit's `threads` option, else every core — and one for small fits, rows × trees < 200,000); results do not depend on it"),
  };
}

export function checkForestParams(params: Readonly<Record<string, Json>>): string | null {
  const grow = checkGrowParams(params);
  if (grow) return grow;
  const ms = params.maxSamples;
  if (ms !== null && typeof ms === "number" && ms > 1 && !Number.isInteger(ms)) return `parameter "maxSamples": got ${show(ms)}, expected a fraction in (0, 1] or an integer count`;
  if (ms !== null && params.bootstrap === false) return `parameter "maxSamples" is ${show(ms)} but bootstrap is false; set bootstrap to true or maxSamples to null`;
  if (params.oobScore === true && params.bootstrap === false) return `parameter "oobScore" needs bootstrap: true (out-of-bag rows exist only with bootstrap samples)`;
  return null;
}

/** Rows drawn per bootstrap sample (scikit-learn's `_get_n_samples_bootstrap`; fractions round half to even). */
export function bootstrapDraws(maxSamples: Json, n: number): number {
  if (maxSamples === null) return n;
  const v = maxSamples as number;
  if (v <= 1) {
    const x = n * v;
    const r = Math.round(x);
    return Math.max(1, r - x === 0.5 && r % 2 === 1 ? r - 1 : r);
  }
  if (v > n) {
    throw new InvalidInputError(`parameter "maxSamples" is ${v}, but there are only ${n} training rows`, { path: "maxSamples", expected: `at most ${n}`, received: v });
  }
  return v;
}
