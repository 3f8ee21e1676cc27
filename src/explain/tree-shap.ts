/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2): the Shapley values of each feature for a row, where
 * the value of a feature subset S is the tree's expected output given x_S, taking at a split on a
 * feature outside S both branches weighted by their training cover. Polynomial time: O(L·D²) per
 * tree and row (L leaves, D depth), instead of the exponential sum over subsets.
 *
 * The recursion keeps the path of unique features from the root: for each, the fraction of "zero"
 * paths (feature not in S: cover share) and "one" paths (feature in S: 1 if the row goes that way),
 * and the permutation weights of each subset size, extended at every split and unwound when a
 * feature repeats. At a leaf each feature on the path gets (one − zero) · leaf value, weighted by the
 * sum of the path's weights with that feature removed.
 *
 * Speed (Yang 2021, "Fast TreeSHAP", v2): a leaf's contribution depends on the row only through
 * which of its path's unique features the row follows all the way (each feature's "one" fraction is
 * 0 or 1; its "zero" fraction is fixed by the covers). So for every leaf and each of the 2^U
 * patterns of its U unique features the weights are computed once per model; a row then walks each
 * tree once, carrying the bit mask of the features it has followed, and adds the leaf's row of
 * weights times its value. Trees whose tables would be too large use the recursion above.
 *
 * Attributions are in the model's raw output space (log-odds for binary GBDT, logits per class,
 * log-mean for Poisson, values otherwise): base + Σ φ = raw output, exactly up to rounding.
 */
import { InvalidInputError, show } from "../core/errors.js";
import type { TreeEnsembleView } from "../estimator/tree-view.js";

export interface TreeShapResult {
  /** Features in attribution order. */
  featureNames: readonly string[];
  /** Raw outputs per row. */
  nOutputs: number;
  nRows: number;
  /** rows × outputs × features, row-major: values[(r·K + k)·M + j]. */
  values: Float64Array;
  /** Expected raw output per output (the same for every row): base + Σ cover-weighted leaf values. */
  baseValues: Float64Array;
  link: TreeEnsembleView["link"];
}

/** Per-tree facts the recursion needs: depth (for the path buffer) and expected value. */
interface TreeFacts {
  maxDepth: number;
  /** Cover-weighted mean of the leaves, per output (one value or `nOutputs`). */
  expected: Float64Array;
}

function treeFacts(v: TreeEnsembleView, root: number, width: number): TreeFacts {
  const expected = new Float64Array(width);
  let maxDepth = 0;
  const rootCover = v.cover[root];
  const stack: number[] = [root, 0];
  while (stack.length) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    if (depth > maxDepth) maxDepth = depth;
    if (v.feature[node] < 0) {
      const share = rootCover > 0 ? v.cover[node] / rootCover : 0;
      for (let k = 0; k < width; k++) expected[k] += share * v.value[node * v.valueStride + k];
    } else {
      stack.push(v.left[node], depth + 1, v.right[node], depth + 1);
    }
  }
  return { maxDepth, expected };
}

/** The path buffer: one segment per depth, each a copy of the parent's path extended by one element. */
class PathBuffer {
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
function extend(p: PathBuffer, at: number, depth: number, zero: number, one: number, feature: number): void {
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
function unwind(p: PathBuffer, at: number, depth: number, index: number): void {
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
function unwoundSum(p: PathBuffer, at: number, depth: number, index: number): number {
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

interface Walk {
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

function recurse(s: Walk, node: number, at: number, depth: number, zero: number, one: number, feature: number): void {
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

/** Leaves' tables for one tree (Fast TreeSHAP v2), or null when the tree is explained by the recursion. */
interface TreeTables {
  /** Per node: the tree-local bit of its split feature (leaves: unused). */
  bit: Int32Array;
  /** Per node (leaves only): offset of the leaf's table in `weights`, its U, offset of its features in `features`. */
  tableAt: Int32Array;
  unique: Int32Array;
  featuresAt: Int32Array;
  /** Per leaf, its U features: global index and tree-local bit. */
  features: Int32Array;
  bits: Int32Array;
  /** Per leaf: 2^U patterns × U weights. */
  weights: Float64Array;
  /** Split nodes with every parent before its children; the leaves. */
  splits: Int32Array;
  leaves: Int32Array;
}

/** Bytes of row directions held at once (rows per block = this / nodes, at most 64). */
const BLOCK_BYTES = 1 << 20;

/** Table budget per model, in weights (8 bytes each). */
const TABLE_BUDGET = 16_000_000;
/** Above this many unique features on one path a tree is explained by the recursion. */
const MAX_TABLE_UNIQUE = 16;

function buildTables(v: TreeEnsembleView, root: number, budget: { left: number }): TreeTables | null {
  // tree-local feature bits
  const local = new Map<number, number>();
  const nodes: number[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    nodes.push(node);
    const f = v.feature[node];
    if (f >= 0) {
      if (!local.has(f)) local.set(f, local.size);
      stack.push(v.left[node], v.right[node]);
    }
  }
  if (local.size > 30) return null;
  const bit = new Int32Array(v.feature.length);
  for (const n of nodes) if (v.feature[n] >= 0) bit[n] = local.get(v.feature[n])!;
  const tableAt = new Int32Array(v.feature.length).fill(-1);
  const unique = new Int32Array(v.feature.length);
  const featuresAt = new Int32Array(v.feature.length);
  const features: number[] = [];
  const bits: number[] = [];
  const chunks: Float64Array[] = [];
  let size = 0;
  // depth-first with the path's unique features and their zero fractions
  const pathFeature: number[] = [];
  const pathZero: number[] = [];
  const path = new PathBuffer(MAX_TABLE_UNIQUE + 2);
  let ok = true;
  const visit = (node: number): void => {
    if (!ok) return;
    const f = v.feature[node];
    if (f < 0) {
      const U = pathFeature.length;
      if (U > MAX_TABLE_UNIQUE) {
        ok = false;
        return;
      }
      const count = (1 << U) * U;
      if (size + count > budget.left) {
        ok = false;
        return;
      }
      const table = new Float64Array(count);
      for (let pattern = 0; pattern < 1 << U; pattern++) {
        extend(path, 0, 0, 1, 1, -1);
        let dead = false;
        for (let i = 0; i < U; i++) {
          const one = (pattern >>> i) & 1;
          if (one === 0 && pathZero[i] === 0) dead = true;
          extend(path, 0, i + 1, pathZero[i], one, i);
        }
        if (dead) continue;
        for (let i = 1; i <= U; i++) table[pattern * U + i - 1] = unwoundSum(path, 0, U, i) * (path.one[i] - path.zero[i]);
      }
      tableAt[node] = size;
      unique[node] = U;
      featuresAt[node] = features.length;
      for (let i = 0; i < U; i++) {
        features.push(pathFeature[i]);
        bits.push(local.get(pathFeature[i])!);
      }
      chunks.push(table);
      size += count;
      return;
    }
    const cover = v.cover[node];
    const i = pathFeature.indexOf(f);
    for (const child of [v.left[node], v.right[node]]) {
      const share = cover > 0 ? v.cover[child] / cover : 0;
      if (i >= 0) {
        const before = pathZero[i];
        pathZero[i] = before * share;
        visit(child);
        pathZero[i] = before;
      } else {
        pathFeature.push(f);
        pathZero.push(share);
        visit(child);
        pathFeature.pop();
        pathZero.pop();
      }
    }
  };
  visit(root);
  if (!ok) return null;
  budget.left -= size;
  const weights = new Float64Array(size);
  let at = 0;
  for (const c of chunks) {
    weights.set(c, at);
    at += c.length;
  }
  // breadth-first order: a parent before its children
  const splits: number[] = [];
  const leaves: number[] = [];
  const queue = [root];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    if (v.feature[node] < 0) leaves.push(node);
    else {
      splits.push(node);
      queue.push(v.left[node], v.right[node]);
    }
  }
  return { bit, tableAt, unique, featuresAt, features: Int32Array.from(features), bits: Int32Array.from(bits), weights, splits: Int32Array.from(splits), leaves: Int32Array.from(leaves) };
}

/**
 * Add one tree's values for the row whose directions are in `left`, from the leaves' tables. The
 * masks (tree-local bits of the features the row has followed from the root) are pushed down in
 * one pass over the tree's split nodes in order (a parent always precedes its children), then each
 * leaf reads its pattern from its mask.
 */
function addFromTables(v: TreeEnsembleView, tb: TreeTables, left: Uint8Array, lo: number, masks: Int32Array, phi: Float64Array, po: number, M: number, output: number, scale: number): void {
  const splits = tb.splits;
  const L = v.left;
  const R = v.right;
  masks[tb.splits.length > 0 ? splits[0] : tb.leaves[0]] = -1;
  for (let s = 0; s < splits.length; s++) {
    const node = splits[s];
    const mask = masks[node];
    const off = mask & ~(1 << tb.bit[node]);
    if (left[lo + node] === 1) {
      masks[L[node]] = mask;
      masks[R[node]] = off;
    } else {
      masks[L[node]] = off;
      masks[R[node]] = mask;
    }
  }
  const leaves = tb.leaves;
  const bits = tb.bits;
  const features = tb.features;
  const weights = tb.weights;
  for (let l = 0; l < leaves.length; l++) {
    const node = leaves[l];
    const mask = masks[node];
    const U = tb.unique[node];
    const fa = tb.featuresAt[node];
    let pattern = 0;
    for (let i = 0; i < U; i++) pattern |= ((mask >>> bits[fa + i]) & 1) << i;
    const at = tb.tableAt[node] + pattern * U;
    if (output >= 0) {
      const value = v.value[node] * scale;
      const base = po + output * M;
      for (let i = 0; i < U; i++) phi[base + features[fa + i]] += weights[at + i] * value;
    } else {
      for (let k = 0; k < v.nOutputs; k++) {
        const value = v.value[node * v.valueStride + k] * scale;
        for (let i = 0; i < U; i++) phi[po + k * M + features[fa + i]] += weights[at + i] * value;
      }
    }
  }
}

export interface TreeShapOptions {
  /** Rows to explain (default all). */
  rows?: Int32Array;
  /**
   * "tables" (default): Fast TreeSHAP v2's per-leaf tables where they fit, the recursion elsewhere;
   * "recursion": Algorithm 2 of Lundberg et al. for every tree.
   */
  algorithm?: "tables" | "recursion";
}

/**
 * SHAP values of every row of a tree ensemble's view (see `TreeEnsembleView`), in raw output space.
 *
 * @example
 * const model = await gbdtClassifier({ maxIter: 100 }).fit(train, { target: "churned" });
 * const shap = treeShap(model.treeView(rows));
 * // shap.values[(r·K + k)·M + j]: feature j's share of row r's raw score k; shap.baseValues[k] + Σ_j = the raw score
 */
export function treeShap(v: TreeEnsembleView, options: TreeShapOptions = {}): TreeShapResult {
  const M = v.featureNames.length;
  const K = v.nOutputs;
  const rows = options.rows ?? Int32Array.from({ length: v.nRows }, (_, i) => i);
  for (const r of rows) if (!(r >= 0 && r < v.nRows)) throw new InvalidInputError(`row ${show(r)} is out of range: the data has ${v.nRows} rows`, { path: "rows", expected: `0 … ${v.nRows - 1}`, received: r });
  const facts: TreeFacts[] = [];
  let maxDepth = 0;
  const baseValues = Float64Array.from(v.base.length === K ? v.base : new Float64Array(K));
  for (let t = 0; t < v.nTrees; t++) {
    const out = v.treeOutput[t];
    const f = treeFacts(v, v.treeRoot[t], out >= 0 ? 1 : v.valueStride);
    facts.push(f);
    if (f.maxDepth > maxDepth) maxDepth = f.maxDepth;
    if (out >= 0) baseValues[out] += v.treeScale * f.expected[0];
    else for (let k = 0; k < K; k++) baseValues[k] += v.treeScale * f.expected[k];
  }
  const budget = { left: TABLE_BUDGET };
  const tables = Array.from({ length: v.nTrees }, (_, t) => (options.algorithm === "recursion" ? null : buildTables(v, v.treeRoot[t], budget)));
  const values = new Float64Array(rows.length * K * M);
  const nodes = v.feature.length;
  // rows in blocks, trees in the outer loop within a block: a tree's tables stay in cache across the block's rows
  const block = Math.max(1, Math.min(64, Math.floor(BLOCK_BYTES / Math.max(1, nodes))));
  const left = new Uint8Array(block * nodes);
  const masks = new Int32Array(nodes);
  const walk: Walk = { v, left, path: new PathBuffer(maxDepth + 1), phi: new Float64Array(K * M), M, output: 0, scale: v.treeScale };
  for (let r0 = 0; r0 < rows.length; r0 += block) {
    const r1 = Math.min(rows.length, r0 + block);
    for (let r = r0; r < r1; r++) v.goesLeft(rows[r], left.subarray((r - r0) * nodes, (r - r0 + 1) * nodes));
    for (let t = 0; t < v.nTrees; t++) {
      const tb = tables[t];
      if (tb) {
        for (let r = r0; r < r1; r++) addFromTables(v, tb, left, (r - r0) * nodes, masks, values, r * K * M, M, v.treeOutput[t], v.treeScale);
      } else {
        walk.output = v.treeOutput[t];
        for (let r = r0; r < r1; r++) {
          walk.left = left.subarray((r - r0) * nodes, (r - r0 + 1) * nodes);
          walk.phi = values.subarray(r * K * M, (r + 1) * K * M);
          recurse(walk, v.treeRoot[t], 0, 0, 1, 1, -1);
        }
      }
    }
  }
  return { featureNames: v.featureNames, nOutputs: K, nRows: rows.length, values, baseValues, link: v.link };
}
