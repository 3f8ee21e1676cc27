/**
 * The path recursion of exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent
 * individualized feature attribution for tree ensembles", Algorithm 2), used for trees whose
 * tables (`tree-shap-tables.ts`) would be too large, and the path arithmetic the tables are built
 * with.
 *
 * The recursion keeps the path of unique features from the root: for each, the fraction of "zero"
 * paths (feature not in S: cover share) and "one" paths (feature in S: 1 if the row goes that way),
 * and the permutation weights of each subset size, extended at every split and unwound when a
 * feature repeats. At a leaf each feature on the path gets (one − zero) · leaf value, weighted by the
 * sum of the path's weights with that feature removed. O(L·D²) per tree and row (L leaves, D depth).
 */
import type { TreeEnsembleView } from "../estimator/index.js";

/** The path buffer: one segment per depth, each a copy of the parent's path extended by one element. */
export class PathBuffer {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

/** Add a feature with the given zero / one fractions to the path at `at` of length `depth` (then depth + 1). */
export function extend(p: PathBuffer, at: number, depth: number, zero: number, one: number, feature: number): void {
  const w = p.weight;
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  w[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    w[at + i + 1] += (one * w[at + i] * (i + 1)) / (depth + 1);
    w[at + i] = (zero * w[at + i] * (depth - i)) / (depth + 1);
  }
}

/** Remove element `index` from the path at `at` whose last element is at `depth` (undoing `extend`). */
export function unwind(p: PathBuffer, at: number, depth: number, index: number): void {
  const w = p.weight;
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = w[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const t = w[at + i];
      w[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = t - (w[at + i] * zero * (depth - i)) / (depth + 1);
    } else {
      w[at + i] = (w[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1];
    p.zero[at + i] = p.zero[at + i + 1];
    p.one[at + i] = p.one[at + i + 1];
  }
}

/** Σ of the path's weights once element `index` is unwound, without changing the path. */
export function unwoundSum(p: PathBuffer, at: number, depth: number, index: number): number {
  const w = p.weight;
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = w[at + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const t = (next * (depth + 1)) / ((i + 1) * one);
      total += t;
      next = w[at + i] - (t * zero * (depth - i)) / (depth + 1);
    } else {
      total += (w[at + i] / zero) * ((depth + 1) / (depth - i));
    }
  }
  return total;
}

export interface Walk {
  v: TreeEnsembleView;
  left: Uint8Array;
  path: PathBuffer;
  /** φ for the row: outputs × features (+ nothing else). */
  phi: Float64Array;
  M: number;
  /** Output this tree adds to, or −1 for every output. */
  output: number;
  scale: number;
}

export function recurse(s: Walk, node: number, at: number, depth: number, zero: number, one: number, feature: number): void {
  const p = s.path;
  const v = s.v;
  // copy the parent's path into this level's segment, then extend it
  const next = at + depth + 1;
  if (depth > 0) {
    p.feature.copyWithin(next, at, at + depth);
    p.zero.copyWithin(next, at, at + depth);
    p.one.copyWithin(next, at, at + depth);
    p.weight.copyWithin(next, at, at + depth);
  }
  at = depth > 0 ? next : at;
  extend(p, at, depth, zero, one, feature);
  const f = v.feature[node];
  if (f < 0) {
    const M = s.M;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(p, at, depth, i) * (p.one[at + i] - p.zero[at + i]) * s.scale;
      const j = p.feature[at + i];
      if (s.output >= 0) s.phi[s.output * M + j] += w * v.value[node];
      else for (let k = 0; k < v.nOutputs; k++) s.phi[k * M + j] += w * v.value[node * v.valueStride + k];
    }
    return;
  }
  const goLeft = s.left[node] === 1;
  const hot = goLeft ? v.left[node] : v.right[node];
  const cold = goLeft ? v.right[node] : v.left[node];
  const cover = v.cover[node];
  const hotZero = cover > 0 ? v.cover[hot] / cover : 0;
  const coldZero = cover > 0 ? v.cover[cold] / cover : 0;
  let inZero = 1;
  let inOne = 1;
  // a feature already on the path is taken off, its fractions carried into this split
  let k = 1;
  for (; k <= depth; k++) if (p.feature[at + k] === f) break;
  if (k <= depth) {
    inZero = p.zero[at + k];
    inOne = p.one[at + k];
    unwind(p, at, depth, k);
    depth -= 1;
  }
  recurse(s, hot, at, depth + 1, hotZero * inZero, inOne, f);
  recurse(s, cold, at, depth + 1, coldZero * inZero, 0, f);
}
