/**
 * Walking trees stored as flat arrays. A row goes left when its value is ≤ the threshold (or its
 * category's bit is set, for partition splits); a missing value — NaN, which includes categories
 * the model never saw — goes the way the split learned for missing values. No allocation per row.
 */
import type { TreeArrays } from "./tree-arrays.js";

/**
 * The leaf a row reaches from `root`. Feature f of the row is `X[base + f * stride]`: a
 * row-major matrix of p columns has base = i·p, stride 1; a column-major one of n rows base = i,
 * stride n.
 */
export function leafOf(t: TreeArrays, root: number, X: Float64Array, base: number, stride: number): number {
  const { feature, left, right } = t;
  let node = root;
  while (left[node] >= 0) node = goesLeft(t, node, X[base + feature[node] * stride]) ? left[node] : right[node];
  return node;
}

/** Whether value `v` of its feature goes left at split `node`: ≤ threshold, or the category's bit set; NaN follows `missingLeft`. */
export function goesLeft(t: TreeArrays, node: number, v: number): boolean {
  if (v !== v) return t.missingLeft[node] === 1;
  const co = t.catOffset[node];
  return co < 0 ? v <= t.threshold[node] : ((t.catBits[co + (v >>> 5)] >>> (v & 31)) & 1) === 1;
}

/** Rows of a row-major matrix: n rows of p features. */
export interface FeatureRows {
  X: Float64Array;
  n: number;
  p: number;
}

/** Leaf index of every row for the tree at `root`. */
export function applyTree(t: TreeArrays, root: number, rows: FeatureRows, out: Int32Array = new Int32Array(rows.n)): Int32Array {
  const { X, n, p } = rows;
  for (let i = 0; i < n; i++) out[i] = leafOf(t, root, X, i * p, 1);
  return out;
}

/**
 * Sum, into `out` (n × nOutputs, row-major), each tree's leaf value times `scale`. Trees are the
 * outer loop so one tree's nodes stay in cache while all rows walk it.
 */
export function accumulateLeafValues(t: TreeArrays, roots: ArrayLike<number>, rows: FeatureRows, out: Float64Array, scale: number): void {
  const k = t.nOutputs;
  const value = t.value;
  const { X, n, p } = rows;
  for (let r = 0; r < roots.length; r++) {
    const root = roots[r];
    if (k === 1) {
      for (let i = 0; i < n; i++) out[i] += value[leafOf(t, root, X, i * p, 1)] * scale;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const src = leafOf(t, root, X, i * p, 1) * k;
      const dst = i * k;
      for (let c = 0; c < k; c++) out[dst + c] += value[src + c] * scale;
    }
  }
}

/** Index of the largest value in each row of a rows × k matrix (first one on ties). */
export function argmaxRows(values: Float64Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bv = values[i * k];
    for (let c = 1; c < k; c++) {
      const v = values[i * k + c];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
