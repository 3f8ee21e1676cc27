/**
 * Model inspection with scikit-learn's definitions (`sklearn.inspection`):
 *
 * - **Permutation importance** (Breiman 2001; scikit-learn's `permutation_importance`): for each
 *   input column and each of `nRepeats` repeats, the column's values are permuted across the rows
 *   (breaking its link to the target while keeping its distribution) and the model is scored
 *   again; the importance is the baseline score minus the permuted score, for any scorer
 *   (scikit-learn scorer names; for a loss named plainly, e.g. `rmse`, the permuted loss minus the
 *   baseline, so that larger is more important either way). Reported per repeat, with the mean
 *   and the population standard deviation (NumPy's `std`, ddof 0).
 * - **Partial dependence and ICE** (Friedman 2001; Goldstein et al. 2015), scikit-learn's
 *   "brute" method: for each grid value the column is set to it in every row and the model's
 *   output — the prediction, or the class probabilities (a binary classifier's positive class
 *   only) — is recorded per row (ICE) and averaged (partial dependence). The grid is
 *   scikit-learn's: the column's unique values when there are fewer than `gridResolution` (or the
 *   column is categorical), else `gridResolution` evenly spaced points between the
 *   `percentiles` of the column computed as SciPy's `mquantiles` (plotting positions with
 *   α = β = 0.4).
 *
 * Both work on the model's input columns, through its preprocessing (a pipeline is one model).
 */
import { InvalidInputError, show, Rng } from "../core/index.js";
import { type Column, cellValue, isMissing, takeColumn, type Frame } from "../data/index.js";
import { classTarget, numericTarget, type Fitted, isClassifier, isRegressor } from "../estimator/index.js";
import { type Scorer, scorer as scorerByName } from "../metrics/index.js";

/** Options of `permutationImportance`. */
export interface PermutationImportanceOptions {
  /** The target column of `data`. */
  target: string;
  /** scikit-learn scorer names (default: "accuracy" for classifiers, "r2" for regressors — the estimators' `score`). */
  scoring?: string | readonly string[];
  /** Permutations per column (default 5, as scikit-learn). */
  nRepeats?: number;
  /** Seed of the permutations (default 0). */
  seed?: number;
  /** Input columns to permute (default: every input column of the model, in its order). */
  columns?: readonly string[];
  /**
   * The row order of a permuted column for a repeat: `permuted[i] = original[index[i]]`. Default:
   * an independent seeded permutation per column and repeat. Given, e.g., to replay scikit-learn's
   * own permutations.
   */
  permutation?: (column: string, repeat: number, nRows: number) => ArrayLike<number>;
}

/** The score drop per permuted column and repeat (Breiman 2001; scikit-learn's `permutation_importance`). */
export interface PermutationImportance {
  columns: string[];
  nRepeats: number;
  /** Per scorer: the baseline score and columns × repeats importances (row-major), mean and std per column. */
  scores: Record<string, { baseline: number; importances: Float64Array; mean: Float64Array; std: Float64Array }>;
}

/** What a scorer needs, from a model's outputs on rows with a known target. */
interface Truth {
  score(model: Fitted, data: Frame, s: Scorer): number;
  task: "binary" | "multiclass" | "regression";
}

function truthFor(model: Fitted, data: Frame, target: string): Truth {
  if (!data.has(target)) {
    throw new InvalidInputError(`target column ${show(target)} is not in the data; columns are ${show(data.names, 200)}`, { path: "target", expected: `one of ${data.names.join(", ")}`, received: target });
  }
  if (isRegressor(model)) {
    const y = numericTarget(data, target);
    return { task: "regression", score: (m, d, s) => s.score(y, (m as typeof model).predict(d)) };
  }
  if (!isClassifier(model)) throw new InvalidInputError(`a ${model.spec.kind} is not a model`, { path: "model", expected: "a classifier or regressor", received: model.spec.kind });
  const classes = model.classes;
  const K = classes.length;
  const y = classTarget(data, target, classes).y;
  return {
    task: K === 2 ? "binary" : "multiclass",
    score(m, d, s) {
      const c = m as typeof model;
      if (s.input === "labels") {
        const pred = c.predict(d);
        const index = new Map(classes.map((l, k) => [l, k]));
        const map = pred.categories.map((l) => index.get(l) ?? K);
        return s.score(y, Int32Array.from(pred.codes, (code) => (code < 0 ? K : map[code])));
      }
      const proba = c.predictProba(d);
      if (s.input === "proba" || K > 2) return s.score(y, proba);
      return s.score(y, Float64Array.from({ length: d.nRows }, (_, i) => proba[2 * i + 1]));
    },
  };
}

function scorersOf(model: Fitted, task: Truth["task"], scoring: string | readonly string[] | undefined): Scorer[] {
  const names = scoring === undefined ? [isClassifier(model) ? "accuracy" : "r2"] : typeof scoring === "string" ? [scoring] : [...scoring];
  if (names.length === 0) throw new InvalidInputError("scoring names no scorer", { path: "scoring", expected: "at least one scikit-learn scorer name", received: [] });
  return names.map((n) => {
    const s = scorerByName(n);
    if (!s.tasks.includes(task)) throw new InvalidInputError(`scorer ${show(n)} applies to ${s.tasks.join(" and ")} tasks, not ${task}`, { path: "scoring", expected: `a scorer for ${task} tasks`, received: n });
    return s;
  });
}

function inputColumns(model: Fitted, data: Frame, columns: readonly string[] | undefined): string[] {
  const inputs = model.signature.inputs.map((c) => c.name);
  const chosen = columns ? [...columns] : inputs;
  for (const c of chosen) {
    if (!inputs.includes(c)) throw new InvalidInputError(`column ${show(c)} is not an input of the model; its inputs are ${show(inputs, 200)}`, { path: "columns", expected: `one of ${inputs.join(", ")}`, received: c });
    if (!data.has(c)) throw new InvalidInputError(`column ${show(c)} is not in the data`, { path: "columns", expected: `a column of the data`, received: c });
  }
  return chosen;
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new InvalidInputError(`${name} must be a whole number ≥ ${min}, got ${show(v)}`, { path: name, expected: `an integer ≥ ${min}`, received: v });
}

/**
 * Permutation importance of the model's input columns on labelled rows (scikit-learn's
 * definition; see the module comment).
 *
 * @example
 * const pi = permutationImportance(model, test, { target: "churned", scoring: ["roc_auc", "accuracy"], nRepeats: 10, seed: 1 });
 * pi.scores.roc_auc.mean   // one value per column of pi.columns
 */
export function permutationImportance(model: Fitted, data: Frame, options: PermutationImportanceOptions): PermutationImportance {
  const nRepeats = options.nRepeats ?? 5;
  checkCount("nRepeats", nRepeats, 1);
  const truth = truthFor(model, data, options.target);
  const scorers = scorersOf(model, truth.task, options.scoring);
  const columns = inputColumns(model, data, options.columns);
  const n = data.nRows;
  if (n < 2) throw new InvalidInputError(`permutation importance needs at least 2 rows, got ${n}`, { path: "data", expected: "≥ 2 rows", received: n });
  const rng = new Rng(options.seed ?? 0);
  const scores: PermutationImportance["scores"] = {};
  const baselines = scorers.map((s) => truth.score(model, data, s));
  const imp = scorers.map(() => new Float64Array(columns.length * nRepeats));
  columns.forEach((c, ci) => {
    const original = data.column(c);
    for (let t = 0; t < nRepeats; t++) {
      const index = options.permutation ? checkPermutation(options.permutation(c, t, n), n, c, t) : rng.permutation(n);
      const permuted = data.withColumn(c, takeColumn(original, index));
      scorers.forEach((s, si) => {
        const v = truth.score(model, permuted, s);
        imp[si][ci * nRepeats + t] = s.greaterIsBetter ? baselines[si] - v : v - baselines[si];
      });
    }
  });
  scorers.forEach((s, si) => {
    const mean = new Float64Array(columns.length);
    const std = new Float64Array(columns.length);
    for (let ci = 0; ci < columns.length; ci++) {
      const row = imp[si].subarray(ci * nRepeats, (ci + 1) * nRepeats);
      let m = 0;
      for (const v of row) m += v;
      m /= nRepeats;
      let ss = 0;
      for (const v of row) ss += (v - m) * (v - m);
      mean[ci] = m;
      std[ci] = Math.sqrt(ss / nRepeats);
    }
    scores[s.name] = { baseline: baselines[si], importances: imp[si], mean, std };
  });
  return { columns, nRepeats, scores };
}

function checkPermutation(p: ArrayLike<number>, n: number, column: string, repeat: number): Int32Array {
  const out = Int32Array.from(p);
  const seen = new Uint8Array(n);
  let ok = out.length === n;
  for (let i = 0; ok && i < n; i++) {
    const v = out[i];
    if (v !== p[i] || v < 0 || v >= n || seen[v]) ok = false;
    else seen[v] = 1;
  }
  if (!ok) throw new InvalidInputError(`the permutation for column ${show(column)}, repeat ${repeat} is not a permutation of 0 … ${n - 1}`, { path: "permutation", expected: `each of 0 … ${n - 1} once`, received: Array.from(p).slice(0, 20) });
  return out;
}

/** Options of `partialDependence`. */
export interface PartialDependenceOptions {
  /** Grid points for a numeric column with at least this many unique values (default 100, as scikit-learn). */
  gridResolution?: number;
  /** The grid's ends as quantiles of the column (default [0.05, 0.95]). */
  percentiles?: readonly [number, number];
  /** Rows whose ICE curves are kept (default all); the average is always over every row. */
  iceRows?: ArrayLike<number>;
}

/** A partial-dependence curve (Friedman 2001) and its ICE curves (Goldstein et al. 2015) for one column. */
export interface PartialDependence {
  column: string;
  /** The grid: numbers, or category labels (strings) for categorical and boolean columns. */
  grid: (number | string)[];
  /** What each output is: the target (regression), the positive class (binary), or each class. */
  outputNames: string[];
  /** outputs × grid: the mean output with the column set to each grid value. */
  average: Float64Array;
  /** outputs × ICE rows × grid (row-major): each row's output with the column set to each grid value. */
  individual: Float64Array;
  iceRows: Int32Array;
}

/**
 * SciPy's `mquantiles` (α = β = 0.4) of sorted finite values: with m = α + p(1 − α − β),
 * a = n·p + m, k = ⌊clip(a, 1, n − 1)⌋ and γ = clip(a − k, 0, 1), the quantile is
 * (1 − γ)·x[k − 1] + γ·x[k] (x from 0).
 * @example
 * ```ts
 * mquantile(Float64Array.of(1, 2, 3, 4, 5), 0.5); // 3
 * ```
 */
export function mquantile(sorted: Float64Array, p: number, alpha = 0.4, beta = 0.4): number {
  const n = sorted.length;
  const m = alpha + p * (1 - alpha - beta);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * sorted[k - 1] + gamma * sorted[k];
}

/**
 * scikit-learn's grid for one column (see the module comment).
 * @example
 * ```ts
 * const grid = partialDependenceGrid(frame.column("Income"), 20);
 * ```
 */
export function partialDependenceGrid(col: Column, gridResolution = 100, percentiles: readonly [number, number] = [0.05, 0.95]): (number | string)[] {
  checkCount("gridResolution", gridResolution, 2);
  const [lo, hi] = percentiles;
  if (!(lo >= 0 && hi <= 1 && lo < hi)) throw new InvalidInputError(`percentiles must be two numbers in [0, 1], the first smaller, got ${show(percentiles)}`, { path: "percentiles", expected: "[low, high] with 0 ≤ low < high ≤ 1", received: percentiles as unknown as number[] });
  const n = col.kind === "text" ? col.values.length : col.kind === "categorical" ? col.codes.length : col.values.length;
  if (col.kind === "categorical" || col.kind === "boolean" || col.kind === "text") {
    const labels = new Set<string>();
    for (let i = 0; i < n; i++) if (!isMissing(col, i)) labels.add(String(cellValue(col, i)));
    return [...labels].sort();
  }
  const finite: number[] = [];
  for (let i = 0; i < n; i++) if (!isMissing(col, i) && Number.isFinite(col.values[i])) finite.push(col.values[i]);
  const sorted = Float64Array.from(finite).sort();
  if (sorted.length === 0) throw new InvalidInputError("the column has no values to build a grid from", { path: "column", expected: "at least one non-missing value", received: 0 });
  const unique: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique.push(sorted[i]);
  if (unique.length < gridResolution) return unique;
  const start = mquantile(sorted, lo);
  const stop = mquantile(sorted, hi);
  if (Math.abs(stop - start) <= 1e-8 + 1e-5 * Math.abs(stop)) {
    throw new InvalidInputError(`percentiles ${show(percentiles)} of the column are too close to each other to build a grid`, { path: "percentiles", expected: "percentiles further apart", received: percentiles as unknown as number[] });
  }
  // numpy.linspace: start + i·step, the last point exactly `stop`
  const step = (stop - start) / (gridResolution - 1);
  const grid = Array.from({ length: gridResolution }, (_, i) => i * step + start);
  grid[gridResolution - 1] = stop;
  return grid;
}

/** `col` (of `n` rows) with every row set to `value`. */
function constantColumn(col: Column, value: number | string, n: number): Column {
  switch (col.kind) {
    case "numeric":
    case "datetime":
      return { kind: col.kind, values: new Float64Array(n).fill(value as number) };
    case "categorical": {
      let code = col.categories.indexOf(value as string);
      const categories = code < 0 ? [...col.categories, value as string] : col.categories;
      if (code < 0) code = categories.length - 1;
      return { kind: "categorical", codes: new Int32Array(n).fill(code), categories };
    }
    case "boolean":
      return { kind: "boolean", values: new Uint8Array(n).fill(value === "true" ? 1 : 0) };
    case "text":
      return { kind: "text", values: new Array<string | null>(n).fill(value as string) };
  }
}

/** The explained outputs (rows × outputs) and their names. */
function outputsOf(model: Fitted): { names: string[]; width: number; predict(d: Frame): Float64Array } {
  if (isRegressor(model)) return { names: [(model.signature.output as { target: string }).target], width: 1, predict: (d) => model.predict(d) };
  if (!isClassifier(model)) throw new InvalidInputError(`a ${model.spec.kind} is not a model`, { path: "model", expected: "a classifier or regressor", received: model.spec.kind });
  const K = model.classes.length;
  if (K === 2) {
    return { names: [model.classes[1]], width: 1, predict: (d) => {
      const p = model.predictProba(d);
      return Float64Array.from({ length: d.nRows }, (_, i) => p[2 * i + 1]);
    } };
  }
  return { names: [...model.classes], width: K, predict: (d) => model.predictProba(d) };
}

/**
 * Partial dependence and ICE of one input column (scikit-learn's "brute" method; see the module comment).
 *
 * @example
 * const pd = partialDependence(model, test, "age", { gridResolution: 20 });
 * // pd.grid[g], pd.average[k·G + g]: mean output k with age = grid[g]; pd.individual: per row
 */
export function partialDependence(model: Fitted, data: Frame, column: string, options: PartialDependenceOptions = {}): PartialDependence {
  const inputs = model.signature.inputs.map((c) => c.name);
  if (!inputs.includes(column)) throw new InvalidInputError(`column ${show(column)} is not an input of the model; its inputs are ${show(inputs, 200)}`, { path: "column", expected: `one of ${inputs.join(", ")}`, received: column });
  if (!data.has(column)) throw new InvalidInputError(`column ${show(column)} is not in the data`, { path: "column", expected: "a column of the data", received: column });
  const n = data.nRows;
  if (n === 0) throw new InvalidInputError("the data has no rows", { path: "data", expected: "at least one row", received: 0 });
  const col = data.column(column);
  const grid = partialDependenceGrid(col, options.gridResolution ?? 100, options.percentiles ?? [0.05, 0.95]);
  const out = outputsOf(model);
  const K = out.width;
  const G = grid.length;
  const iceRows = options.iceRows ? Int32Array.from(options.iceRows) : Int32Array.from({ length: n }, (_, i) => i);
  for (const r of iceRows) if (!(r >= 0 && r < n)) throw new InvalidInputError(`ICE row ${show(r)} is out of range: the data has ${n} rows`, { path: "iceRows", expected: `0 … ${n - 1}`, received: r });
  const average = new Float64Array(K * G);
  const individual = new Float64Array(K * iceRows.length * G);
  for (let g = 0; g < G; g++) {
    const pred = out.predict(data.withColumn(column, constantColumn(col, grid[g], n)));
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += pred[i * K + k];
      average[k * G + g] = s / n;
      for (let q = 0; q < iceRows.length; q++) individual[(k * iceRows.length + q) * G + g] = pred[iceRows[q] * K + k];
    }
  }
  return { column, grid, outputNames: out.names, average, individual, iceRows };
}

