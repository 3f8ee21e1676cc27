/**
 * Error slices: the subgroups of rows where a model does significantly worse than on the rest,
 * found automatically over every column (Slice Finder: Chung, Kraska, Polyzotis, Tae & Whang,
 * "Slice Finder: Automated Data Slicing for Model Validation", ICDE 2019).
 *
 * A slice is one column's group (a category, a value, or a quantile bin of a numeric column, as
 * `groupsOf` cuts them) or the crossing of two columns' groups. For each slice S against its
 * counterpart S′ (all other rows), on a per-row loss ψ:
 * - effect size φ = (ψ̄_S − ψ̄_S′) / √((σ²_S + σ²_S′) / 2) (the paper's §II-B);
 * - Welch's t-test of ψ̄_S > ψ̄_S′ (one-sided), p-value from Student's t;
 * - the false discovery rate over all slices tested is held at `alpha` by Benjamini–Hochberg
 *   ("Controlling the false discovery rate", JRSS B 57, 1995): a slice is reported when its BH
 *   q-value ≤ alpha and φ ≥ `minEffect`.
 * A two-column slice is reported only when its effect exceeds both of its one-column parents'
 * (else a single column says the same). Slices are ranked by effect size, largest first.
 */
import type { Column, Frame } from "../data/index.js";
import { welchTest } from "../core/index.js";
import { groupsOf } from "./subgroups.js";

export interface ErrorSlice {
  /** "column=group" parts joined by " & ". */
  slice: string;
  columns: string[];
  groups: string[];
  /** Rows in the slice. */
  size: number;
  /** size / all rows. */
  share: number;
  /** Mean loss in the slice and on the other rows. */
  loss: number;
  rest_loss: number;
  effect_size: number;
  t: number;
  df: number;
  /** One-sided Welch p-value (slice loss > rest loss). */
  p_value: number;
  /** Benjamini–Hochberg adjusted p-value over all slices tested. */
  q_value: number;
}

export interface ErrorSliceReport {
  /** The per-row loss ("error" = 1 − correct, "absolute_error", ...). */
  loss: string;
  overall_loss: number;
  rows: number;
  /** Slices tested (the m of the FDR control). */
  tested: number;
  alpha: number;
  min_effect: number;
  min_size: number;
  correction: "benjamini-hochberg";
  /** Significant slices, largest effect first (at most `limit`). */
  slices: ErrorSlice[];
}

export interface ErrorSliceOptions {
  /** Slices smaller than this are not tested (default max(30, 1% of rows)). */
  minSize?: number;
  /** False discovery rate (default 0.05). */
  alpha?: number;
  /** Smallest effect size reported (default 0.2, Cohen's "small"). */
  minEffect?: number;
  /** Quantile bins for numeric columns (default 4). */
  bins?: number;
  /** Cross columns in pairs (default true). */
  pairs?: boolean;
  /** Slices returned at most (default 20). */
  limit?: number;
}

interface Partition {
  column: string;
  labels: string[];
  group: Int32Array;
}

interface Tested {
  columns: string[];
  groups: string[];
  size: number;
  loss: number;
  rest: number;
  effect: number;
  t: number;
  df: number;
  p: number;
  parents?: [number, number];
}

/**
 * Significant error slices of per-row `loss` (higher is worse) over the columns of `features`
 * (text columns are skipped).
 *
 * @example
 * const loss = Float64Array.from(yTrue, (y, i) => (y === yPred[i] ? 0 : 1));
 * const r = errorSlices(test.drop(["Status"]), loss, "error");
 * r.slices[0]  // { slice: "Home=rent & Age=[18, 26)", size: 112, loss: 0.41, rest_loss: 0.19, effect_size: 0.5, p_value: 1e-6, q_value: 3e-5, ... }
 */
export function errorSlices(features: Frame, loss: Float64Array, lossName: string, options: ErrorSliceOptions = {}): ErrorSliceReport {
  const n = loss.length;
  const minSize = options.minSize ?? Math.max(30, Math.ceil(0.01 * n));
  const alpha = options.alpha ?? 0.05;
  const minEffect = options.minEffect ?? 0.2;
  const limit = options.limit ?? 20;
  let total = 0;
  for (let i = 0; i < n; i++) total += loss[i];
  const mean = total / n;
  // sums of centred losses keep the variances accurate
  const centred = Float64Array.from(loss, (v) => v - mean);
  let sumAll = 0;
  let sqAll = 0;
  for (const v of centred) {
    sumAll += v;
    sqAll += v * v;
  }
  const partitions: Partition[] = [];
  for (const name of features.names) {
    const col: Column = features.column(name);
    if (col.kind === "text") continue;
    const g = groupsOf(col, { bins: options.bins ?? 4 });
    if (g.labels.length < 2) continue;
    partitions.push({ column: name, labels: g.labels, group: g.group });
  }

  const tested: Tested[] = [];
  const testCells = (columns: string[], labelOf: (k: number) => string[], count: Float64Array, sum: Float64Array, sq: Float64Array, parentsOf?: (k: number) => [number, number]) => {
    const index = new Int32Array(count.length).fill(-1);
    for (let k = 0; k < count.length; k++) {
      const n1 = count[k];
      const n2 = n - n1;
      if (n1 < minSize || n2 < minSize) continue;
      const m1 = sum[k] / n1;
      const m2 = (sumAll - sum[k]) / n2;
      const v1 = Math.max(0, (sq[k] - n1 * m1 * m1) / (n1 - 1));
      const v2 = Math.max(0, (sqAll - sq[k] - n2 * m2 * m2) / (n2 - 1));
      const w = welchTest(n1, m1, v1, n2, m2, v2);
      const pooled = Math.sqrt((v1 + v2) / 2);
      index[k] = tested.length;
      tested.push({ columns, groups: labelOf(k), size: n1, loss: m1 + mean, rest: m2 + mean, effect: pooled > 0 ? (m1 - m2) / pooled : NaN, t: w.t, df: w.df, p: w.p_greater, ...(parentsOf ? { parents: parentsOf(k) } : {}) });
    }
    return index;
  };
  const singles: Int32Array[] = partitions.map((part) => {
    const K = part.labels.length;
    const count = new Float64Array(K);
    const sum = new Float64Array(K);
    const sq = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const k = part.group[i];
      if (k < 0) continue;
      count[k]++;
      sum[k] += centred[i];
      sq[k] += centred[i] * centred[i];
    }
    return testCells([part.column], (k) => [part.labels[k]], count, sum, sq);
  });
  if (options.pairs ?? true) {
    for (let a = 0; a < partitions.length; a++) {
      for (let b = a + 1; b < partitions.length; b++) {
        const A = partitions[a];
        const B = partitions[b];
        const KB = B.labels.length;
        const cells = A.labels.length * KB;
        const count = new Float64Array(cells);
        const sum = new Float64Array(cells);
        const sq = new Float64Array(cells);
        for (let i = 0; i < n; i++) {
          const ka = A.group[i];
          const kb = B.group[i];
          if (ka < 0 || kb < 0) continue;
          const k = ka * KB + kb;
          count[k]++;
          sum[k] += centred[i];
          sq[k] += centred[i] * centred[i];
        }
        testCells([A.column, B.column], (k) => [A.labels[Math.floor(k / KB)], B.labels[k % KB]], count, sum, sq, (k) => [singles[a][Math.floor(k / KB)], singles[b][k % KB]]);
      }
    }
  }

  const q = benjaminiHochberg(tested.map((s) => s.p));
  const effectOf = (i: number) => (i >= 0 ? tested[i].effect : -Infinity);
  const found: ErrorSlice[] = [];
  tested.forEach((s, i) => {
    if (!(q[i] <= alpha) || !(s.effect >= minEffect)) return;
    if (s.parents && !(s.effect > Math.max(effectOf(s.parents[0]), effectOf(s.parents[1])))) return;
    found.push({
      slice: s.columns.map((c, j) => `${c}=${s.groups[j]}`).join(" & "),
      columns: s.columns,
      groups: s.groups,
      size: s.size,
      share: s.size / n,
      loss: s.loss,
      rest_loss: s.rest,
      effect_size: s.effect,
      t: s.t,
      df: s.df,
      p_value: s.p,
      q_value: q[i],
    });
  });
  found.sort((x, y) => y.effect_size - x.effect_size || y.size - x.size);
  return { loss: lossName, overall_loss: mean, rows: n, tested: tested.length, alpha, min_effect: minEffect, min_size: minSize, correction: "benjamini-hochberg", slices: found.slice(0, limit) };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} min(1, m · p_(j) / j) over
 * the p-values sorted ascending; NaN p-values are not counted in m and get NaN.
 */
export function benjaminiHochberg(p: readonly number[]): Float64Array {
  const order = p.map((_, i) => i).filter((i) => Number.isFinite(p[i])).sort((a, b) => p[a] - p[b]);
  const m = order.length;
  const q = new Float64Array(p.length).fill(NaN);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    running = Math.min(running, (m * p[order[r]]) / (r + 1));
    q[order[r]] = running;
  }
  return q;
}
