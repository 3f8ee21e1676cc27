/**
 * Parameter importance, fANOVA-style as Optuna's `FanovaImportanceEvaluator` (Hutter, Hoos &
 * Leyton-Brown, "An Efficient Approach for Assessing Hyperparameter Importance", ICML 2014): a
 * random forest (Keel's `forestRegressor`) learns the objective from the complete trials'
 * parameters; each tree's variance over the search space is decomposed (`fanova.ts`), and a
 * parameter's importance is the share of a tree's variance its marginal explains, averaged over
 * the trees and normalised to sum 1.
 */
import { InvalidInputError } from "../core/index.js";
import { Frame } from "../data/index.js";
import { forestRegressor } from "../models/forest/index.js";
import { type Distribution, isSingle, sameDistribution, toInternal } from "./distributions.js";
import { decomposeTree, type FanovaTree } from "./fanova.js";
import type { FrozenTrial } from "./study.js";

/** Options of the hyperparameter importance (fANOVA over a random forest fitted to the trials, Hutter et al. 2014): the parameters, the forest's size and depth, and the seed. */
export interface ImportanceOptions {
  /** The parameters to assess (default: those every complete trial has, with one distribution). */
  params?: readonly string[];
  /** Trees in the forest (64, as Optuna). */
  nTrees?: number;
  /** Deepest level of a tree (64, as Optuna). */
  maxDepth?: number;
  /** The forest's seed (0). */
  seed?: number;
  /**
   * Encode log-scale parameters by their logarithm, so the marginals average over the space the
   * sampler draws from (true, as the original fANOVA's ConfigSpace does); Optuna 3.1 passes the
   * raw values (false).
   */
  logScale?: boolean;
}

/** The trials' parameters as the forest sees them: numeric columns as-is (or their log), categorical ones one-hot. */
export interface EncodedTrials {
  /** Parameters assessed (name order), with their distributions; single-valued ones left out. */
  params: string[];
  distributions: Distribution[];
  /** Rows × columns, row-major. */
  x: Float64Array;
  y: Float64Array;
  /** Per column: its range [low, high]. */
  low: Float64Array;
  high: Float64Array;
  /** Per parameter: its columns (several for a one-hot parameter). */
  groups: number[][];
  /** Parameters with one possible value: importance 0. */
  single: string[];
}

/** The complete trials with a finite value and the search space to assess, as Optuna chooses them. */
export function encodeTrials(trials: readonly FrozenTrial[], options: Pick<ImportanceOptions, "params" | "logScale"> = {}): EncodedTrials {
  const complete = trials.filter((t) => t.state === "complete");
  if (complete.length < 2) {
    throw new InvalidInputError(`parameter importance needs at least 2 complete trials; the study has ${complete.length}`, { path: "trials", received: complete.length, expected: "at least 2 complete trials" });
  }
  const space = new Map<string, Distribution>();
  if (options.params === undefined) {
    // the intersection search space: parameters in every complete trial, with one distribution
    for (const [name, d] of Object.entries(complete[0].distributions)) space.set(name, d);
    for (const t of complete.slice(1)) {
      for (const [name, d] of space) if (!t.distributions[name] || !sameDistribution(t.distributions[name], d)) space.delete(name);
    }
  } else {
    if (!Array.isArray(options.params) || options.params.some((p) => typeof p !== "string")) {
      throw new InvalidInputError(`params ${JSON.stringify(options.params)} is invalid; expected an array of parameter names`, { path: "params", received: options.params, expected: "an array of parameter names" });
    }
    for (const t of complete) {
      if (!options.params.every((name) => t.distributions[name])) continue;
      for (const name of options.params) {
        const d = space.get(name);
        if (d === undefined) space.set(name, t.distributions[name]);
        else if (!sameDistribution(d, t.distributions[name])) {
          throw new InvalidInputError(`parameter "${name}" has different distributions across trials; importance needs one search space`, { path: `params.${name}`, received: t.distributions[name], expected: JSON.stringify(d) });
        }
      }
    }
    const unknown = options.params.filter((name) => !complete.some((t) => t.distributions[name]));
    if (unknown.length > 0 || space.size < options.params.length) {
      const why = unknown.length > 0 ? `no complete trial has ${unknown.map((n) => JSON.stringify(n)).join(", ")}` : "no complete trial has all of them";
      throw new InvalidInputError(`params ${JSON.stringify(options.params)}: ${why}`, { path: "params", received: options.params, expected: "names of parameters the complete trials have" });
    }
  }
  const names = [...space.keys()].sort();
  const used = complete.filter((t) => names.every((n) => n in t.params) && Number.isFinite(t.value));
  if (used.length < 2) {
    throw new InvalidInputError(`parameter importance needs at least 2 complete trials with all of ${JSON.stringify(names)} and a finite value; the study has ${used.length}`, { path: "trials", received: used.length, expected: "at least 2 such trials" });
  }
  const logScale = options.logScale ?? true;
  const params: string[] = [];
  const distributions: Distribution[] = [];
  const single: string[] = [];
  const groups: number[][] = [];
  const low: number[] = [];
  const high: number[] = [];
  for (const name of names) {
    const d = space.get(name)!;
    if (isSingle(d)) {
      single.push(name);
      continue;
    }
    params.push(name);
    distributions.push(d);
    if (d.type === "categorical") {
      groups.push(d.choices.map((_, k) => low.length + k));
      for (let k = 0; k < d.choices.length; k++) low.push(0), high.push(1);
    } else {
      const tr = (v: number) => (logScale && d.log ? Math.log(v) : v);
      groups.push([low.length]);
      low.push(tr(d.low));
      high.push(tr(d.high));
    }
  }
  const p = low.length;
  const x = new Float64Array(used.length * p);
  const y = new Float64Array(used.length);
  used.forEach((t, i) => {
    y[i] = t.value!;
    params.forEach((name, k) => {
      const d = distributions[k];
      const g = groups[k];
      if (d.type === "categorical") x[i * p + g[toInternal(d, t.params[name])]] = 1;
      else x[i * p + g[0]] = logScale && d.log ? Math.log(t.params[name] as number) : (t.params[name] as number);
    });
  });
  return { params, distributions, x, y, low: Float64Array.from(low), high: Float64Array.from(high), groups, single };
}

/**
 * Averages the trees' fANOVA: per group, the mean over the trees with a positive variance of
 * V_S / V (each V_S clipped at 0), as Optuna's `_Fanova.get_importance`. Throws when every tree is
 * constant (the objective did not vary).
 */
export function fanovaImportance(trees: readonly FanovaTree[], low: ArrayLike<number>, high: ArrayLike<number>, groups: readonly (readonly number[])[]): Float64Array {
  const sum = new Float64Array(groups.length);
  let used = 0;
  for (const tree of trees) {
    const d = decomposeTree(tree, low, high, groups);
    if (!(d.variance > 0)) continue;
    used++;
    for (let g = 0; g < groups.length; g++) sum[g] += d.marginal[g] / d.variance;
  }
  if (used === 0) throw new InvalidInputError("parameter importance: every tree of the forest is constant (the complete trials' values do not vary)", { path: "trials", expected: "complete trials whose values differ" });
  for (let g = 0; g < groups.length; g++) sum[g] /= used;
  return sum;
}

/**
 * How much of the objective's variation each parameter explains: fANOVA (Hutter, Hoos &
 * Leyton-Brown, ICML 2014) over a random forest fitted to the complete trials, as Optuna's
 * `FanovaImportanceEvaluator` — numeric parameters as they are (log-scale ones by their log,
 * see `logScale`), categorical ones one-hot with the marginal taken over all their columns.
 * Returns importances summing to 1, most important first (single-valued parameters get 0; equal
 * shares when no parameter explains anything). Needs at least 2 complete trials.
 * @example
 * const importance = await parameterImportance(study); // { learningRate: 0.71, maxLeaves: 0.21, … }
 */
export async function parameterImportance(study: { readonly trials: readonly FrozenTrial[] } | readonly FrozenTrial[], options: ImportanceOptions = {}): Promise<Record<string, number>> {
  const trials = Array.isArray(study) ? (study as readonly FrozenTrial[]) : (study as { readonly trials: readonly FrozenTrial[] }).trials;
  const nTrees = options.nTrees ?? 64;
  const maxDepth = options.maxDepth ?? 64;
  const seed = options.seed ?? 0;
  for (const [key, v, min] of [["nTrees", nTrees, 1], ["maxDepth", maxDepth, 1], ["seed", seed, 0]] as const) {
    if (!Number.isInteger(v) || v < min) throw new InvalidInputError(`${key} ${JSON.stringify(v)} is invalid; expected an integer ≥ ${min}`, { path: key, received: v, expected: `an integer ≥ ${min}` });
  }
  const enc = encodeTrials(trials, options);
  const out: Record<string, number> = {};
  if (enc.params.length > 0) {
    const p = enc.low.length;
    const columns: Record<string, Float64Array> = {};
    for (let j = 0; j < p; j++) columns[`x${j}`] = Float64Array.from({ length: enc.y.length }, (_, i) => enc.x[i * p + j]);
    columns.y = enc.y;
    const model = await forestRegressor({ nEstimators: nTrees, maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1, seed }).fit(Frame.fromColumns(columns), { target: "y" });
    const t = model.trees;
    const index = model.featureNames.map((name) => Number(name.slice(1))); // the forest's feature k is column index[k]
    const feature = Int32Array.from(t.feature, (f) => (f < 0 ? f : index[f]));
    for (let i = 0; i < t.nodeCount; i++) {
      if (t.catOffset[i] >= 0) throw new Error("parameter importance: the forest made a categorical split on numeric columns");
    }
    const trees = Array.from(model.roots, (root) => ({ feature, threshold: t.threshold, left: t.left, right: t.right, value: t.value, root }));
    const imp = fanovaImportance(trees, enc.low, enc.high, enc.groups);
    const total = imp.reduce((a, b) => a + b, 0);
    enc.params.forEach((name, k) => (out[name] = total > 0 ? imp[k] / total : 1 / enc.params.length));
  }
  for (const name of enc.single) out[name] = 0;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}
