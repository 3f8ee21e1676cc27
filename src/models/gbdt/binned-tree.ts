/**
 * Applying a just-grown tree to binned rows during training: to the validation rows (for early
 * stopping) and to training rows left out of the iteration's subsample. Every split is a bin set,
 * so numeric and categorical splits are one test.
 */
import type { GrownTree } from "./grow.js";
import { BITSET_WORDS } from "./split.js";

export interface BinnedTree {
  feature: Int32Array;
  bits: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  /** Shrunk leaf values. */
  value: Float64Array;
}

export function binnedTree(t: GrownTree, leafValue: Float64Array): BinnedTree {
  return {
    feature: Int32Array.from(t.feature),
    bits: Uint32Array.from(t.bits),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: leafValue,
  };
}

/**
 * raw[r·K + k] += tree(row r) for the rows `rows[0..count)` (or 0..count−1 when `rows` is null)
 * of the row-major bin matrix, rows `stride` bytes apart.
 */
export function addBinnedTree(t: BinnedTree, bins: Uint8Array, stride: number, rows: Int32Array | null, count: number, raw: Float64Array, K: number, k: number): void {
  const feature = t.feature;
  const bits = t.bits;
  const left = t.left;
  const right = t.right;
  for (let i = 0; i < count; i++) {
    const r = rows ? rows[i] : i;
    const ro = r * stride;
    let node = 0;
    for (;;) {
      const f = feature[node];
      if (f < 0) break;
      const bin = bins[ro + f];
      node = (bits[node * BITSET_WORDS + (bin >>> 5)] >>> (bin & 31)) & 1 ? left[node] : right[node];
    }
    raw[r * K + k] += t.value[node];
  }
}
