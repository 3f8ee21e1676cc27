/**
 * SHAP values for any fitted Keel model (Lundberg & Lee 2017, "A unified approach to
 * interpreting model predictions"), one method per model family:
 *
 * - **trees** (decision tree, forest, GBDT): exact path-dependent TreeSHAP (`tree-shap.ts`); the
 *   expectation of an absent feature follows the training covers, so no background is needed.
 * - **linear** (linear / ridge / lasso / elastic net, logistic): exact interventional SHAP with
 *   independent features, as SHAP's `LinearExplainer` with an independent masker: for the raw
 *   score f(x) = w·x + b, φ_j = w_j (x_j − μ_j) and the base value is w·μ + b, with μ the mean of
 *   the background rows' features.
 * - **kernel** (every other model: k-NN, naive Bayes, dummies, ...): KernelSHAP, the weighted
 *   least-squares regression of the coalition values on the coalitions with the Shapley kernel
 *   π(z) = (M − 1) / (C(M, |z|) · |z| · (M − |z|)), solved with the efficiency constraint. The value
 *   of a coalition S is the link of the model's output averaged over a seeded background sample
 *   with the features outside S taken from the background row (interventional, as SHAP's
 *   `KernelExplainer`). With few players every coalition is enumerated and the result is the
 *   exact Shapley value of that game; otherwise coalitions are drawn from the kernel (sizes with
 *   probability ∝ (M − 1)/(s (M − s)), each paired with its complement).
 *
 * Outputs: a regressor has one (its prediction; a Poisson GBDT its log-mean), a binary classifier
 * one — the positive (second) class's log-odds for GBDT and logistic models, its probability for
 * trees, forests and kernel-explained models (which have no margin) — and a multiclass model one
 * per class. The link that maps the explained output to the prediction is stated.
 *
 * Attribution is per encoded feature (what the model sees after a pipeline's preprocessing) and,
 * summing the parts each input column produced (`features/provenance.ts`: one-hot columns,
 * missing indicators, date parts), per input column. KernelSHAP plays the input columns as the
 * players directly (each column's encoded parts enter or leave together).
 */
import { InvalidInputError, show, Rng } from "../core/index.js";
import { type Column, takeColumn, Frame } from "../data/index.js";
import { numericFeatures, hasTreeView, type Fitted, isClassifier, isRegressor, isTransformer, type Transformer } from "../estimator/index.js";
import { rawModelOf } from "./explain-model.js";
import { featureSources } from "../features/index.js";
import { type TreeShapPlan, type TreeShapResult, layoutTreeShap, treeShap } from "./tree-shap.js";
import { treeShapParallel } from "./tree-shap-pool.js";

/** How SHAP values are computed: TreeSHAP, exact linear SHAP, or KernelSHAP. */
export type ShapMethod = "tree" | "linear" | "kernel";
/** From the explained output to the prediction: identity, σ (logit), softmax over outputs, exp (log). */
export type ShapLink = "identity" | "logit" | "softmax" | "log";

/** Options of `explain`. */
export interface ExplainOptions {
  /** Rows of `data` to explain, in this order (default: every row, in file order). */
  rows?: ArrayLike<number>;
  /** "auto" (default): trees → tree, linear models → linear, anything else → kernel. */
  method?: "auto" | ShapMethod;
  /**
   * Rows standing for "feature unknown" (linear: their feature means; kernel: a sample of them).
   * Default: `data` itself. Not used by TreeSHAP.
   */
  background?: Frame;
  /** KernelSHAP: background rows sampled (seeded) from `background` (default 100, at most its rows). */
  backgroundSize?: number;
  /** KernelSHAP: coalitions per row when they are not all enumerated (default 2·M + 2048, as SHAP). */
  nSamples?: number;
  /** KernelSHAP: link for a classifier's probabilities, "identity" (default) or "logit" (log-odds; infinite at 0 or 1). */
  kernelLink?: "identity" | "logit";
  /** Seed of the background sample and of the coalitions (default 0). */
  seed?: number;
  /** Also return the values per encoded feature. */
  perFeature?: boolean;
}

/** Attributions over one set of features: rows × outputs × features, row-major. */
export interface ShapValues {
  featureNames: readonly string[];
  values: Float64Array;
}

/** SHAP values (Lundberg & Lee 2017) of some rows: base values plus one value per output and input column (and per encoded feature when asked). */
export interface ShapExplanation {
  method: ShapMethod;
  link: ShapLink;
  /** What each output is: the target (regression), the positive class (binary), or each class. */
  outputNames: readonly string[];
  nOutputs: number;
  /** The explained rows of the data, in output order. */
  rows: Int32Array;
  /** Expected explained output per output (the same for every row). */
  baseValues: Float64Array;
  /** Per input column of the model (columns the model does not use get 0). */
  byColumn: ShapValues;
  /** Per encoded feature, with the input column each comes from (when `perFeature`). */
  byFeature?: ShapValues & { sources: readonly string[] };
}

/** The model's pieces: the preprocessing (if any), the final model, and where its features come from. */
interface ModelParts {
  final: Fitted;
  features(data: Frame): Frame;
  /** The final model's input features, in its order, and the input column of each. */
  featureNames: string[];
  sources: string[];
  /** The model's input columns. */
  inputs: string[];
}

function partsOf(model: Fitted): ModelParts {
  model = rawModelOf(model);
  const inputs = model.signature.inputs.map((c) => c.name);
  const p = model as Fitted & { steps?: readonly Fitted[]; features?(d: Frame): Frame };
  const last = p.steps?.at(-1);
  if (p.steps && last && typeof p.features === "function" && !isTransformer(last)) {
    const transformers = p.steps.slice(0, -1) as Transformer[];
    const final = last;
    const featureNames = final.signature.inputs.map((c) => c.name);
    const sourceOf = new Map<string, string>();
    if (transformers.length > 0) {
      const lastT = transformers[transformers.length - 1];
      const composed = (model as unknown as { featureSources: readonly string[] }).featureSources ?? featureSources(lastT);
      lastT.featureNames.forEach((f, j) => sourceOf.set(f, composed[j]));
    }
    const sources = featureNames.map((f) => sourceOf.get(f) ?? f);
    return { final, features: (d) => p.features!(d), featureNames, sources, inputs };
  }
  return { final: model, features: (d) => d, featureNames: inputs, sources: inputs, inputs };
}

/** Linear raw scores: rows of weights over the final model's inputs, intercepts, and the link. */
interface LinearForm {
  coef: Float64Array;
  intercept: Float64Array;
  nOutputs: number;
  link: ShapLink;
}

function linearForm(final: Fitted): LinearForm | null {
  const m = final as unknown as { coef?: unknown; intercept?: unknown; nCoefRows?: number; multiClass?: string };
  if (!(m.coef instanceof Float64Array)) return null;
  if (isRegressor(final) && typeof m.intercept === "number") return { coef: m.coef, intercept: Float64Array.of(m.intercept), nOutputs: 1, link: "identity" };
  if (isClassifier(final) && m.intercept instanceof Float64Array && typeof m.nCoefRows === "number") {
    if (m.nCoefRows === 1) {
      // two classes: ovr gives σ(d); multinomial softmax(−d, d) = σ(2d), so the log-odds are 2d
      const scale = m.multiClass === "multinomial" ? 2 : 1;
      return { coef: m.coef.map((w) => w * scale), intercept: m.intercept.map((b) => b * scale), nOutputs: 1, link: "logit" };
    }
    // multinomial: per-class logits (softmax link); ovr: per-class one-vs-rest log-odds before normalising
    return { coef: m.coef, intercept: m.intercept, nOutputs: m.nCoefRows, link: m.multiClass === "multinomial" ? "softmax" : "logit" };
  }
  return null;
}

function outputNamesOf(final: Fitted, nOutputs: number): string[] {
  if (isClassifier(final)) return nOutputs === 1 ? [final.classes[final.classes.length - 1]] : [...final.classes];
  const out = final.signature.output as { target?: string };
  return [out.target ?? "prediction"];
}

function checkRows(rows: ArrayLike<number> | undefined, n: number): Int32Array {
  if (rows === undefined) return Int32Array.from({ length: n }, (_, i) => i);
  const out = Int32Array.from(rows as ArrayLike<number>);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new InvalidInputError(`row ${show(r)} is out of range: the data has ${n} rows (numbered from 0)`, { path: "rows", expected: `integers 0 … ${n - 1}`, received: r });
  }
  return out;
}

/**
 * A model prepared for explaining rows one request at a time: the background's features (linear
 * means, the kernel sample) are computed once. `explain(model, data)` is this in one call.
 *
 * @example
 * const explainer = shapExplainer(model, { background: reference });
 * const e = explainer.explain(Frame.fromRows([request]));   // e.byColumn.values: 1 × outputs × columns
 */
export interface ShapExplainer {
  method: ShapMethod;
  /** Explain rows of `data` on the calling thread (default: every row). */
  explain(data: Frame, rows?: ArrayLike<number>): ShapExplanation;
  /** The same, with TreeSHAP's row blocks on up to `threads` worker threads (default: all available). */
  explainAsync(data: Frame, rows?: ArrayLike<number>, threads?: number): Promise<ShapExplanation>;
}

/**
 * A reusable explainer for `model`: the method, background and plan are prepared once, then each call explains new rows (as a server does per request).
 * @example
 * ```ts
 * const explainer = shapExplainer(model, { background: train });
 * const e = explainer.explain(Frame.fromRows([{ Income: 120, Age: 31 }]));
 * ```
 */
export function shapExplainer(model: Fitted, options: Omit<ExplainOptions, "rows"> = {}): ShapExplainer {
  if (!isClassifier(model) && !isRegressor(model)) {
    throw new InvalidInputError(`a ${model.spec.kind} is not a model; SHAP explains classifiers and regressors`, { path: "model", expected: "a classifier or regressor", received: model.spec.kind });
  }
  const parts = partsOf(model);
  const linear = linearForm(parts.final);
  const auto: ShapMethod = hasTreeView(parts.final) ? "tree" : linear ? "linear" : "kernel";
  const method = options.method && options.method !== "auto" ? options.method : auto;
  if (method === "tree" && !hasTreeView(parts.final)) throw new InvalidInputError(`method "tree" needs a tree model; ${parts.final.spec.kind} has no trees`, { path: "method", expected: auto, received: method });
  if (method === "linear" && !linear) throw new InvalidInputError(`method "linear" needs a linear model; ${parts.final.spec.kind} is not one`, { path: "method", expected: auto, received: method });
  if (options.backgroundSize !== undefined && !(Number.isInteger(options.backgroundSize) && options.backgroundSize >= 1)) {
    throw new InvalidInputError(`backgroundSize must be a whole number ≥ 1, got ${show(options.backgroundSize)}`, { path: "backgroundSize", expected: "an integer ≥ 1", received: options.backgroundSize });
  }
  if (options.nSamples !== undefined && !(Number.isInteger(options.nSamples) && options.nSamples >= 2)) {
    throw new InvalidInputError(`nSamples must be a whole number ≥ 2, got ${show(options.nSamples)}`, { path: "nSamples", expected: "an integer ≥ 2", received: options.nSamples });
  }
  const seed = options.seed ?? 0;
  // background state, computed on first use (from options.background, else the first data explained)
  let linearMean: Float64Array | null = null;
  let kernelBackground: Frame | null = null;
  const backgroundFor = (data: Frame): Frame => {
    const bg = options.background ?? data;
    if (bg.nRows === 0) throw new InvalidInputError("the background has no rows; linear and kernel SHAP need rows standing for unknown features", { path: "background", expected: "at least one row", received: 0 });
    return bg;
  };

  // TreeSHAP's tables depend on the model only: laid out once, each tree built when first needed, reused by every call
  let treePlan: TreeShapPlan | null = null;
  const planFor = (F: Frame): TreeShapPlan => (treePlan ??= layoutTreeShap((parts.final as unknown as { treeView(d: Frame): import("../estimator/index.js").TreeEnsembleView }).treeView(F.slice(0, 0))));

  const explainRows = (data: Frame, rowsArg: ArrayLike<number> | undefined, precomputed?: TreeShapResult): ShapExplanation => {
    const rows = checkRows(rowsArg, data.nRows);
    const picked = rows.length === data.nRows && rows.every((r, i) => r === i) ? data : data.take(rows);
    let byFeature: { featureNames: string[]; values: Float64Array } | null = null;
    let byColumn: Float64Array | null = null;
    let baseValues: Float64Array;
    let link: ShapLink;
    let nOutputs: number;
    const F = parts.features(picked);
    if (method === "tree") {
      const r = precomputed ?? treeShap((parts.final as unknown as { treeView(d: Frame): import("../estimator/index.js").TreeEnsembleView }).treeView(F), { plan: planFor(F) });
      const positiveOnly = isClassifier(parts.final) && parts.final.classes.length === 2 && r.nOutputs === 2;
      nOutputs = positiveOnly ? 1 : r.nOutputs;
      link = r.link;
      const M = r.featureNames.length;
      if (positiveOnly) {
        const v = new Float64Array(rows.length * M);
        for (let i = 0; i < rows.length; i++) v.set(r.values.subarray((i * 2 + 1) * M, (i * 2 + 2) * M), i * M);
        byFeature = { featureNames: [...r.featureNames], values: v };
        baseValues = Float64Array.of(r.baseValues[1]);
      } else {
        byFeature = { featureNames: [...r.featureNames], values: r.values };
        baseValues = r.baseValues;
      }
    } else if (method === "linear") {
      const lf = linear!;
      nOutputs = lf.nOutputs;
      link = lf.link;
      const names = parts.featureNames;
      const M = names.length;
      if (!linearMean) {
        const B = numericFeatures(parts.features(backgroundFor(data)), names, parts.final.spec.kind);
        linearMean = Float64Array.from(B.columns, (c) => mean(c));
      }
      const X = numericFeatures(F, names, parts.final.spec.kind);
      const v = new Float64Array(rows.length * nOutputs * M);
      baseValues = new Float64Array(nOutputs);
      for (let k = 0; k < nOutputs; k++) {
        let base = lf.intercept[k];
        for (let j = 0; j < M; j++) base += lf.coef[k * M + j] * linearMean[j];
        baseValues[k] = base;
        for (let j = 0; j < M; j++) {
          const w = lf.coef[k * M + j];
          const mu = linearMean[j];
          const col = X.columns[j];
          for (let i = 0; i < rows.length; i++) v[(i * nOutputs + k) * M + j] = w * (col[i] - mu);
        }
      }
      byFeature = { featureNames: [...names], values: v };
    } else {
      if (!kernelBackground) {
        const bg = backgroundFor(data);
        const size = Math.min(bg.nRows, options.backgroundSize ?? 100);
        const sample = size === bg.nRows ? Int32Array.from({ length: size }, (_, i) => i) : new Rng(seed).sampleWithoutReplacement(bg.nRows, size).sort();
        kernelBackground = parts.features(bg.take(sample));
      }
      const game = kernelGame(parts.final, options.kernelLink ?? "identity");
      nOutputs = game.nOutputs;
      link = game.link;
      const columnPlayers = groupsOf(parts.featureNames, parts.inputs.filter((c) => parts.sources.includes(c)), parts.sources);
      const col = kernelShap(game, F, kernelBackground, parts.featureNames, columnPlayers.groups, { nSamples: options.nSamples, seed });
      baseValues = col.base;
      byColumn = scatterColumns(col.values, rows.length, nOutputs, columnPlayers.names, parts.inputs);
      if (options.perFeature) {
        const single = parts.featureNames.map((_, j) => [j]);
        const feat = kernelShap(game, F, kernelBackground, parts.featureNames, single, { nSamples: options.nSamples, seed });
        byFeature = { featureNames: [...parts.featureNames], values: feat.values };
      }
    }
    if (!byColumn) byColumn = sumByColumn(byFeature!, rows.length, nOutputs, parts);
    const out: ShapExplanation = {
      method,
      link,
      outputNames: outputNamesOf(parts.final, nOutputs),
      nOutputs,
      rows,
      baseValues,
      byColumn: { featureNames: [...parts.inputs], values: byColumn },
    };
    if (options.perFeature && byFeature) {
      const sourceOf = new Map(parts.featureNames.map((f, j) => [f, parts.sources[j]]));
      out.byFeature = { ...byFeature, sources: byFeature.featureNames.map((f) => sourceOf.get(f) ?? f) };
    }
    return out;
  };
  const explainAsync = async (data: Frame, rowsArg?: ArrayLike<number>, threads?: number): Promise<ShapExplanation> => {
    if (method !== "tree") return explainRows(data, rowsArg);
    const rows = checkRows(rowsArg, data.nRows);
    const F = parts.features(rows.length === data.nRows && rows.every((r, i) => r === i) ? data : data.take(rows));
    const r = await treeShapParallel(parts.final, F, { threads, plan: planFor(F) });
    return explainRows(data, rows, r);
  };
  return { method, explain: (data, rows) => explainRows(data, rows), explainAsync };
}

/**
 * SHAP values of `data`'s rows for any fitted model (see the module comment for the method per
 * model family, the outputs and the link).
 *
 * @example
 * const model = await autoPipeline(logistic()).fit(train, { target: "churned" });
 * const e = explain(model, test, { perFeature: true });
 * // e.baseValues[0] + Σ_c e.byColumn.values[r·M + c] = the log-odds of row r (M = input columns)
 */
export function explain(model: Fitted, data: Frame, options: ExplainOptions = {}): ShapExplanation {
  return shapExplainer(model, options).explain(data, options.rows);
}

/**
 * `explain` with TreeSHAP on up to `threads` worker threads (default: all available); other methods as `explain`.
 * @example
 * ```ts
 * const e = await explainAsync(model, test, { threads: 2 });
 * ```
 */
export function explainAsync(model: Fitted, data: Frame, options: ExplainOptions & { threads?: number } = {}): Promise<ShapExplanation> {
  return shapExplainer(model, options).explainAsync(data, options.rows, options.threads);
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Sum per-feature values into the input columns (in `parts.inputs` order) they come from. */
function sumByColumn(f: { featureNames: readonly string[]; values: Float64Array }, nRows: number, K: number, parts: ModelParts): Float64Array {
  const sourceOf = new Map(parts.featureNames.map((n, j) => [n, parts.sources[j]]));
  const colIndex = new Map(parts.inputs.map((c, i) => [c, i]));
  const M = f.featureNames.length;
  const C = parts.inputs.length;
  const target = f.featureNames.map((n) => {
    const c = colIndex.get(sourceOf.get(n) ?? n);
    if (c === undefined) throw new InvalidInputError(`feature ${show(n)} comes from no input column of the model`, { path: "featureSources", expected: `one of ${parts.inputs.join(", ")}`, received: sourceOf.get(n) ?? n });
    return c;
  });
  const out = new Float64Array(nRows * K * C);
  for (let rk = 0; rk < nRows * K; rk++) for (let j = 0; j < M; j++) out[rk * C + target[j]] += f.values[rk * M + j];
  return out;
}

/** Players of the kernel game: one per input column that has features, holding its features' indices. */
function groupsOf(featureNames: readonly string[], columns: readonly string[], sources: readonly string[]): { names: string[]; groups: number[][] } {
  return { names: [...columns], groups: columns.map((c) => featureNames.flatMap((_, j) => (sources[j] === c ? [j] : []))) };
}

/** Values over `players` placed into `columns` order (columns that are no player get 0). */
function scatterColumns(values: Float64Array, nRows: number, K: number, players: readonly string[], columns: readonly string[]): Float64Array {
  const P = players.length;
  const C = columns.length;
  const at = players.map((p) => columns.indexOf(p));
  const out = new Float64Array(nRows * K * C);
  for (let rk = 0; rk < nRows * K; rk++) for (let p = 0; p < P; p++) out[rk * C + at[p]] = values[rk * P + p];
  return out;
}

/** The model's explained outputs for rows of its features (rows × nOutputs), before the link. */
interface KernelGame {
  nOutputs: number;
  link: ShapLink;
  /** The model's output for `frame` (rows × nOutputs): prediction or class probabilities. */
  output(frame: Frame): Float64Array;
  /** The link's inverse applied to an averaged output (identity or logit). */
  transform(p: number): number;
}

function kernelGame(final: Fitted, kernelLink: "identity" | "logit"): KernelGame {
  const transform = kernelLink === "logit" ? (p: number) => Math.log(p / (1 - p)) : (p: number) => p;
  if (isRegressor(final)) return { nOutputs: 1, link: "identity", output: (f) => final.predict(f), transform: (p) => p };
  if (!isClassifier(final)) throw new InvalidInputError(`a ${final.spec.kind} is not a model`, { path: "model", received: final.spec.kind });
  const K = final.classes.length;
  const link: ShapLink = kernelLink === "logit" ? "logit" : "identity";
  if (K === 2) {
    return {
      nOutputs: 1,
      link,
      output: (f) => {
        const p = final.predictProba(f);
        return Float64Array.from({ length: f.nRows }, (_, i) => p[2 * i + 1]);
      },
      transform,
    };
  }
  return { nOutputs: K, link, output: (f) => final.predictProba(f), transform };
}

/** Coalitions as player bit arrays with their regression weights. */
interface Coalitions {
  /** count × P, 1 = the player takes the row's values. */
  z: Uint8Array;
  weight: Float64Array;
  count: number;
}

/** Every coalition except the empty and the full one, weighted by the Shapley kernel. */
function allCoalitions(P: number): Coalitions {
  const count = 2 ** P - 2;
  const z = new Uint8Array(count * P);
  const weight = new Float64Array(count);
  const binom = binomials(P);
  for (let s = 1; s <= count; s++) {
    let size = 0;
    for (let p = 0; p < P; p++) if ((s >>> p) & 1) {
      z[(s - 1) * P + p] = 1;
      size++;
    }
    weight[s - 1] = (P - 1) / (binom[size] * size * (P - size));
  }
  return { z, weight, count };
}

/** `count` coalitions drawn from the Shapley kernel, in complementary pairs, each of weight 1. */
function sampledCoalitions(P: number, count: number, rng: Rng): Coalitions {
  const pairs = Math.max(1, Math.floor(count / 2));
  const z = new Uint8Array(pairs * 2 * P);
  const weight = new Float64Array(pairs * 2).fill(1);
  // subset sizes 1 … P−1 with probability ∝ (P − 1) / (s (P − s)) (the kernel summed over the sizes' subsets)
  const cumulative: number[] = [];
  let total = 0;
  for (let s = 1; s < P; s++) cumulative.push((total += 1 / (s * (P - s))));
  for (let q = 0; q < pairs; q++) {
    const u = rng.float() * total;
    let size = 1;
    while (size < P - 1 && cumulative[size - 1] < u) size++;
    const chosen = rng.sampleWithoutReplacement(P, size);
    const a = 2 * q * P;
    const b = (2 * q + 1) * P;
    for (let p = 0; p < P; p++) z[b + p] = 1;
    for (const p of chosen) {
      z[a + p] = 1;
      z[b + p] = 0;
    }
  }
  return { z, weight, count: pairs * 2 };
}

function binomials(n: number): Float64Array {
  const c = new Float64Array(n + 1);
  c[0] = 1;
  for (let k = 1; k <= n; k++) c[k] = (c[k - 1] * (n - k + 1)) / k;
  return c;
}

/**
 * KernelSHAP over `groups` of the features (each group one player) for every row of `X`, with
 * `background` rows (of the same features) standing for absent players.
 */
function kernelShap(
  game: KernelGame,
  X: Frame,
  background: Frame,
  featureNames: readonly string[],
  groups: readonly number[][],
  options: { nSamples?: number; seed: number },
): { base: Float64Array; values: Float64Array } {
  const K = game.nOutputs;
  const P = groups.length;
  const n = X.nRows;
  const B = background.nRows;
  const values = new Float64Array(n * K * P);
  // base: the link of the mean output over the background
  const bgOut = game.output(background.select(featureNames));
  const base = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let b = 0; b < B; b++) s += bgOut[b * K + k];
    base[k] = game.transform(s / B);
  }
  if (P === 0) return { base, values };
  const fullOut = game.output(X.select(featureNames));
  const budget = options.nSamples ?? 2 * P + 2048;
  const exhaustive = P < 31 && 2 ** P - 2 <= budget;
  const rng = new Rng(options.seed);
  const playerOf = new Int32Array(featureNames.length).fill(-1);
  groups.forEach((g, p) => g.forEach((j) => (playerOf[j] = p)));
  const pool = Frame.concat([X.select(featureNames), background.select(featureNames)]);
  const poolCols: Column[] = featureNames.map((f) => pool.column(f));
  const fixed = exhaustive ? allCoalitions(P) : null;
  for (let r = 0; r < n; r++) {
    const co = fixed ?? sampledCoalitions(P, budget, rng.fork());
    const S = co.count;
    const cols = new Map<string, Column>();
    const index = new Int32Array(S * B);
    featureNames.forEach((f, j) => {
      const p = playerOf[j];
      for (let s = 0; s < S; s++) {
        const own = p >= 0 && co.z[s * P + p] === 1;
        for (let b = 0; b < B; b++) index[s * B + b] = own ? r : n + b;
      }
      cols.set(f, takeColumn(poolCols[j], index));
    });
    const out = game.output(Frame.fromColumns(cols, S * B));
    for (let k = 0; k < K; k++) {
      const vz = new Float64Array(S);
      for (let s = 0; s < S; s++) {
        let sum = 0;
        for (let b = 0; b < B; b++) sum += out[(s * B + b) * K + k];
        vz[s] = game.transform(sum / B);
      }
      const phi = solveKernel(co, vz, P, base[k], game.transform(fullOut[r * K + k]));
      values.set(phi, (r * K + k) * P);
    }
  }
  return { base, values };
}

/**
 * The weighted least squares min Σ π(z)(v(z) − φ0 − z·φ)² subject to Σφ = v(full) − φ0, solved by
 * eliminating the last player (φ_P = Δ − Σ_{j<P} φ_j) and the normal equations.
 */
function solveKernel(co: Coalitions, vz: Float64Array, P: number, phi0: number, full: number): Float64Array {
  const delta = full - phi0;
  const phi = new Float64Array(P);
  if (P === 1) {
    phi[0] = delta;
    return phi;
  }
  const m = P - 1;
  const A = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const x = new Float64Array(m);
  for (let s = 0; s < co.count; s++) {
    const w = co.weight[s];
    const zl = co.z[s * P + m];
    for (let j = 0; j < m; j++) x[j] = co.z[s * P + j] - zl;
    const y = vz[s] - phi0 - zl * delta;
    for (let i = 0; i < m; i++) {
      if (x[i] === 0) continue;
      const wx = w * x[i];
      rhs[i] += wx * y;
      for (let j = 0; j < m; j++) A[i * m + j] += wx * x[j];
    }
  }
  const sol = solveSymmetric(A, rhs, m);
  let rest = delta;
  for (let j = 0; j < m; j++) {
    phi[j] = sol[j];
    rest -= sol[j];
  }
  phi[m] = rest;
  return phi;
}

/** Gaussian elimination with partial pivoting; a (numerically) free direction gets 0. */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A);
  const y = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i]));
  const tiny = scale * 1e-13;
  const pivotRow = new Int32Array(n).fill(-1);
  const used = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    let best = -1;
    let bestAbs = tiny;
    for (let r = 0; r < n; r++) if (!used[r] && Math.abs(a[r * n + c]) > bestAbs) {
      best = r;
      bestAbs = Math.abs(a[r * n + c]);
    }
    if (best < 0) continue;
    used[best] = 1;
    pivotRow[c] = best;
    for (let r = 0; r < n; r++) {
      if (r === best) continue;
      const f = a[r * n + c] / a[best * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[best * n + k];
      y[r] -= f * y[best];
    }
  }
  const x = new Float64Array(n);
  for (let c = 0; c < n; c++) if (pivotRow[c] >= 0) x[c] = y[pivotRow[c]] / a[pivotRow[c] * n + c];
  return x;
}

/**
 * Mean |φ| per output and feature over the rows (SHAP's global importance): outputs × features.
 * @example
 * ```ts
 * const e = explain(model, test);
 * const importance = meanAbsShap(e.byColumn, e.rows.length, e.nOutputs);
 * ```
 */
export function meanAbsShap(v: ShapValues, nRows: number, nOutputs: number): Float64Array {
  const M = v.featureNames.length;
  const out = new Float64Array(nOutputs * M);
  for (let r = 0; r < nRows; r++) for (let k = 0; k < nOutputs; k++) for (let j = 0; j < M; j++) out[k * M + j] += Math.abs(v.values[(r * nOutputs + k) * M + j]);
  if (nRows > 0) for (let i = 0; i < out.length; i++) out[i] /= nRows;
  return out;
}

/** SHAP's JSON shape: `values` rows × features (× outputs when several), `base_values` per row (× outputs). */
export interface ShapJson {
  method: ShapMethod;
  link: ShapLink;
  output_names: string[];
  feature_names: string[];
  base_values: number[] | number[][];
  values: number[][] | number[][][];
  /** Row numbers of the file (from 0) the values belong to. */
  rows: number[];
  /** Mean |SHAP| per feature (per output when several), features ordered as `feature_names`. */
  importance: number[] | number[][];
}

/**
 * `e` over input columns (or encoded features with `perFeature`) in SHAP's names and shapes.
 * @example
 * ```ts
 * writeFileSync("shap.json", JSON.stringify(toShapJson(explain(model, test))));
 * ```
 */
export function toShapJson(e: ShapExplanation, perFeature = false): ShapJson {
  const v = perFeature ? e.byFeature : e.byColumn;
  if (!v) throw new InvalidInputError("the explanation has no per-feature values: explain with perFeature", { path: "perFeature", expected: "true", received: false });
  const K = e.nOutputs;
  const M = v.featureNames.length;
  const n = e.rows.length;
  const single = K === 1;
  const values = Array.from(e.rows, (_, r) =>
    Array.from({ length: M }, (_, j) => (single ? v.values[r * M + j] : Array.from({ length: K }, (_, k) => v.values[(r * K + k) * M + j]))),
  ) as number[][] | number[][][];
  const base = Array.from(e.rows, () => (single ? e.baseValues[0] : Array.from(e.baseValues))) as number[] | number[][];
  const imp = meanAbsShap(v, n, K);
  const importance = single ? Array.from(imp) : Array.from({ length: M }, (_, j) => Array.from({ length: K }, (_, k) => imp[k * M + j]));
  return { method: e.method, link: e.link, output_names: [...e.outputNames], feature_names: [...v.featureNames], base_values: base, values, rows: Array.from(e.rows), importance };
}
