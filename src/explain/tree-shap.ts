/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles"): the Shapley values of each feature for a row, where the value
 * of a feature subset S is the tree's expected output given x_S, taking at a split on a feature
 * outside S both branches weighted by their training cover. Polynomial time instead of the
 * exponential sum over subsets: Algorithm 2's path recursion (`tree-shap-path.ts`), or, where they
 * fit, Fast TreeSHAP v2's per-model tables (Yang 2021; `tree-shap-tables.ts`) that let a row walk
 * each tree once, carrying the bit mask of the features it has followed.
 *
 * A plan (`layoutTreeShap`) decides every tree's kind (tables indexed by mask, by pattern, or the
 * recursion) for the whole model at once, cheaply; each tree's tables are built when a thread first
 * needs them (`planTree`), so threads build the trees of their share while others explain rows.
 * A row's way at a split is read from the view's bins when it has them (`binned`: a code per
 * feature and per node the set of codes going left) in the kernel's own loop.
 *
 * Summation order (the same on any thread count): the trees are cut into fixed groups
 * (`treeShapGroups`); a row's values are summed tree by tree within a group, from zero, and the
 * groups' sums are added in group order. So a thread can explain one group for many rows while
 * another explains the next, and the bytes do not depend on who did what.
 *
 * Attributions are in the model's raw output space (log-odds for binary GBDT, logits per class,
 * log-mean for Poisson, values otherwise): base + Σ φ = raw output, exactly up to rounding.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { TreeEnsembleView } from "../estimator/index.js";
import { PathBuffer, type Walk, recurse } from "./tree-shap-path.js";
import { type MaskedTables, TABLE_BUDGET, type TreeTables, buildTables, maskTables, tableSizes } from "./tree-shap-tables.js";

/** TreeSHAP values: rows × outputs × features, and the base value per output. */
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

/** Per-tree facts the recursion needs: depth (for the path buffer), split nodes and expected value. */
interface TreeFacts {
  maxDepth: number;
  splits: Int32Array;
  /** Cover-weighted mean of the leaves, per output (one value or `nOutputs`). */
  expected: Float64Array;
}

function treeFacts(v: TreeEnsembleView, root: number, width: number): TreeFacts {
  const expected = new Float64Array(width);
  let maxDepth = 0;
  const rootCover = v.cover[root];
  const splits: number[] = [];
  const stack: number[] = [root, 0];
  while (stack.length) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    if (depth > maxDepth) maxDepth = depth;
    if (v.feature[node] < 0) {
      const share = rootCover > 0 ? v.cover[node] / rootCover : 0;
      for (let k = 0; k < width; k++) expected[k] += share * v.value[node * v.valueStride + k];
    } else {
      splits.push(node);
      stack.push(v.left[node], depth + 1, v.right[node], depth + 1);
    }
  }
  return { maxDepth, splits: Int32Array.from(splits), expected };
}


/**
 * How the kernel reads a row's way at a split without a call per node: a code per (row, column),
 * each node's code column, and per node the 256-bit set of codes that go left. With the view's
 * bins (`TreeEnsembleView.binned`) the codes are the rows' bin codes and a node's column is its
 * feature; otherwise each row block's directions are filled from `goesLeft` (one column per node,
 * code 1: left).
 */
interface Routing {
  codes: Uint8Array;
  width: number;
  col: Int32Array;
  leftCodes: Uint32Array;
  /** The codes are a row block's directions, filled per block. */
  perBlock: boolean;
}

function routingOf(v: TreeEnsembleView, blockRows: number): Routing {
  const nodes = v.feature.length;
  if (v.binned) return { codes: v.binned.codes, width: v.featureNames.length, col: v.feature, leftCodes: v.binned.leftCodes, perBlock: false };
  const leftCodes = new Uint32Array(nodes * 8);
  for (let n = 0; n < nodes; n++) leftCodes[n * 8] = 2;
  return { codes: new Uint8Array(blockRows * nodes), width: nodes, col: Int32Array.from({ length: nodes }, (_, n) => n), leftCodes, perBlock: true };
}

/**
 * Add one single-output tree's values for the block's rows (row i's codes at `base[i]`, its
 * values at `(r0 + i)·stride + po` of `phi`): the masks are carried down the top splits
 * (branch-free: the split's feature bit is kept on the side the row takes), then every block adds
 * its table row for (mask at its root, directions at its splits).
 */
function addMasked(mt: MaskedTables, rt: Routing, base: Int32Array, n: number, r0: number, masks: Int32Array, phi: Float64Array, stride: number, po: number): void {
  const { splitNode, splitSlot, splitBit, splitLeft, splitRight, blockSlot, blockSplitsAt, blockSplits, blockOffset, features, weights } = mt;
  const { codes, col, leftCodes } = rt;
  const nTop = splitNode.length;
  const nBlocks = blockSlot.length;
  const T = mt.T;
  const full = (1 << T) - 1;
  for (let i = 0; i < n; i++) {
    const cb = base[i];
    const out = (r0 + i) * stride + po;
    masks[0] = full;
    for (let s = 0; s < nTop; s++) {
      const node = splitNode[s];
      const c = codes[cb + col[node]];
      const goLeft = (leftCodes[(node << 3) | (c >>> 5)] >>> (c & 31)) & 1;
      const mask = masks[splitSlot[s]];
      const b = mask & splitBit[s];
      const off = mask ^ b;
      masks[splitLeft[s]] = off | (b & -goLeft);
      masks[splitRight[s]] = off | (b & (goLeft - 1));
    }
    for (let k = 0; k < nBlocks; k++) {
      let index = masks[blockSlot[k]];
      const end = blockSplitsAt[k + 1];
      for (let j = blockSplitsAt[k]; j < end; j++) {
        const node = blockSplits[j];
        const c = codes[cb + col[node]];
        index = (index << 1) | ((leftCodes[(node << 3) | (c >>> 5)] >>> (c & 31)) & 1);
      }
      const at = blockOffset[k] + index * T;
      for (let j = 0; j < T; j++) phi[out + features[j]] += weights[at + j];
    }
  }
}

/** Row i's directions at a tree's split nodes, into `left[node]`. */
function directions(rt: Routing, cb: number, splits: Int32Array, left: Uint8Array): void {
  const { codes, col, leftCodes } = rt;
  for (let s = 0; s < splits.length; s++) {
    const node = splits[s];
    const c = codes[cb + col[node]];
    left[node] = (leftCodes[(node << 3) | (c >>> 5)] >>> (c & 31)) & 1;
  }
}

/**
 * Add one tree's values for the row whose directions are in `left`, from the leaves' tables. The
 * masks (tree-local bits of the features the row has followed from the root) are pushed down in
 * one pass over the tree's split nodes in order (a parent always precedes its children), then each
 * leaf reads its pattern from its mask.
 */
function addFromTables(v: TreeEnsembleView, tb: TreeTables, left: Uint8Array, masks: Int32Array, phi: Float64Array, po: number, M: number, output: number, scale: number): void {
  const splits = tb.splits;
  const L = v.left;
  const R = v.right;
  masks[tb.splits.length > 0 ? splits[0] : tb.leaves[0]] = -1;
  for (let s = 0; s < splits.length; s++) {
    const node = splits[s];
    const mask = masks[node];
    const off = mask & ~(1 << tb.bit[node]);
    if (left[node] === 1) {
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


/** Bytes of row directions held at once (rows per block = this / nodes, at most 64). */
const BLOCK_BYTES = 1 << 20;

/** Options of `treeShap`. */
export interface TreeShapOptions {
  /** Rows to explain (default all). */
  rows?: Int32Array;
  /**
   * "tables" (default): Fast TreeSHAP v2's per-leaf tables where they fit, the recursion elsewhere;
   * "recursion": Algorithm 2 of Lundberg et al. for every tree.
   */
  algorithm?: "tables" | "recursion";
  /** A plan made earlier for the same model (`layoutTreeShap` or `planTreeShap`), reused across calls (e.g. per request); its trees are built as they are needed. */
  plan?: TreeShapPlan;
}

/** Tree kinds of a plan: the recursion, pattern-indexed tables, mask-indexed tables. */
export const KIND_RECURSION = 0;
export const KIND_PATTERN = 1;
export const KIND_MASKED = 2;

/**
 * What TreeSHAP precomputes per model, independent of the rows: each tree's expected value (in the
 * base values), depth, split nodes and kind, decided for the whole model at once under one table
 * budget; and the trees' tables, built per tree when first needed (`planTree`) — mask-indexed for
 * single-output trees where they fit, pattern-indexed elsewhere, none for trees left to the
 * recursion. Plain data (typed arrays), so worker threads can take it as it is.
 */
export interface TreeShapPlan {
  baseValues: Float64Array;
  maxDepth: number;
  /** Per tree, its split nodes (where trees without mask-indexed tables need the row's directions). */
  splits: Int32Array[];
  /** Per tree: `KIND_RECURSION`, `KIND_PATTERN` or `KIND_MASKED`. */
  kinds: Int8Array;
  /** Built tables (null until built, and for trees of the other kinds). */
  tables: (TreeTables | null)[];
  masked: (MaskedTables | null)[];
}

/**
 * A plan with every tree's kind decided and no table built yet (see `TreeShapPlan`): one pass over
 * the nodes. The kinds are those of a sequential build under `TABLE_BUDGET` weights: pattern tables
 * for the trees in order while they fit, then mask-indexed tables for single-output trees in order.
 *
 * @example
 * const model = await gbdtClassifier({ maxIter: 100 }).fit(train, { target: "churned" });
 * const plan = layoutTreeShap(model.treeView(rows)); // kinds decided; tables are built where needed
 * const shap = treeShap(model.treeView(rows), { plan }); // later calls reuse the tables built
 */
export function layoutTreeShap(v: TreeEnsembleView, algorithm: TreeShapOptions["algorithm"] = "tables"): TreeShapPlan {
  const K = v.nOutputs;
  let maxDepth = 0;
  const baseValues = Float64Array.from(v.base.length === K ? v.base : new Float64Array(K));
  const splits: Int32Array[] = [];
  const kinds = new Int8Array(v.nTrees);
  const sizes: ReturnType<typeof tableSizes>[] = [];
  for (let t = 0; t < v.nTrees; t++) {
    const out = v.treeOutput[t];
    const f = treeFacts(v, v.treeRoot[t], out >= 0 ? 1 : v.valueStride);
    splits.push(f.splits);
    if (f.maxDepth > maxDepth) maxDepth = f.maxDepth;
    if (out >= 0) baseValues[out] += v.treeScale * f.expected[0];
    else for (let k = 0; k < K; k++) baseValues[k] += v.treeScale * f.expected[k];
    if (algorithm !== "recursion") sizes.push(tableSizes(v, v.treeRoot[t]));
  }
  let left = TABLE_BUDGET;
  for (let t = 0; t < sizes.length; t++) {
    const p = sizes[t].pattern;
    if (p !== null && p <= left) {
      left -= p;
      kinds[t] = KIND_PATTERN;
    }
  }
  for (let t = 0; t < sizes.length; t++) {
    const m = sizes[t].masked;
    if (kinds[t] === KIND_PATTERN && v.treeOutput[t] >= 0 && m !== null && m <= left) {
      left -= m;
      kinds[t] = KIND_MASKED;
    }
  }
  return { baseValues, maxDepth, splits, kinds, tables: new Array<TreeTables | null>(v.nTrees).fill(null), masked: new Array<MaskedTables | null>(v.nTrees).fill(null) };
}

/** Build tree `t`'s tables into the plan if its kind has tables and they are not built yet. */
export function planTree(v: TreeEnsembleView, plan: TreeShapPlan, t: number): void {
  const kind = plan.kinds[t];
  if (kind === KIND_RECURSION || plan.tables[t] || plan.masked[t]) return;
  const unlimited = { left: Infinity };
  const tb = buildTables(v, v.treeRoot[t], unlimited);
  const mt = tb && kind === KIND_MASKED ? maskTables(v, tb, v.treeRoot[t], v.treeScale, unlimited) : null;
  if (!tb || (kind === KIND_MASKED && !mt)) throw new Error(`TreeSHAP plan: tree ${t}'s tables do not match its layout`);
  if (mt) plan.masked[t] = mt;
  else plan.tables[t] = tb;
}

/**
 * The per-model precomputation of `treeShap` with every tree built (see `TreeShapPlan`).
 * @example
 * ```ts
 * const view = treeViewOf(model, frame);
 * const plan = planTreeShap(view);
 * const shap = treeShap(view, { plan });
 * ```
 */
export function planTreeShap(v: TreeEnsembleView, algorithm: TreeShapOptions["algorithm"] = "tables"): TreeShapPlan {
  const plan = layoutTreeShap(v, algorithm);
  for (let t = 0; t < v.nTrees; t++) planTree(v, plan, t);
  return plan;
}

/** At most this many tree groups; at least this many trees per group below that. */
const MAX_GROUPS = 32;
const MIN_GROUP_TREES = 4;

/**
 * The fixed tree groups of the summation order (see the module's notes): group g is trees
 * `starts[g] … starts[g + 1] − 1`. Depends on the number of trees only.
 */
export function treeShapGroups(nTrees: number): Int32Array {
  const G = Math.max(1, Math.min(MAX_GROUPS, Math.ceil(nTrees / MIN_GROUP_TREES)));
  const size = Math.ceil(nTrees / G);
  const count = Math.max(1, Math.ceil(nTrees / Math.max(1, size)));
  return Int32Array.from({ length: count + 1 }, (_, g) => Math.min(nTrees, g * size));
}

/** Rows per block when the view routes by bins: a tree's tables stay in cache while the block's rows read them. */
const BINNED_BLOCK_ROWS = 512;

/**
 * Rows per block: every tree of a group is applied to a block's rows before the next tree. With
 * bins, many rows (a tree's tables are read by all of them while in cache); otherwise the block's
 * directions (rows × nodes bytes) must stay in cache, at most 64 rows.
 */
export function treeShapBlockRows(v: TreeEnsembleView): number {
  if (v.binned) return BINNED_BLOCK_ROWS;
  return Math.max(1, Math.min(64, Math.floor(BLOCK_BYTES / Math.max(1, v.feature.length))));
}

/** Scratch buffers of one thread. */
export interface TreeShapScratch {
  routing: Routing;
  /** Per row of a block: where its codes start. */
  base: Int32Array;
  left: Uint8Array;
  masks: Int32Array;
  walk: Walk;
  /** A block's sums over one tree group (block rows × outputs × features). */
  acc: Float64Array;
  /** The block whose directions `routing` holds (views without bins), as rows array and first row. */
  routed: { rows: Int32Array | null; r0: number };
}

export function treeShapScratch(v: TreeEnsembleView, plan: TreeShapPlan): TreeShapScratch {
  const nodes = v.feature.length;
  const blockRows = treeShapBlockRows(v);
  const left = new Uint8Array(nodes);
  return {
    routing: routingOf(v, blockRows),
    base: new Int32Array(blockRows),
    left,
    masks: new Int32Array(nodes),
    walk: { v, left, path: new PathBuffer(plan.maxDepth + 1), phi: new Float64Array(0), M: v.featureNames.length, output: 0, scale: v.treeScale },
    acc: new Float64Array(blockRows * v.nOutputs * v.featureNames.length),
    routed: { rows: null, r0: -1 },
  };
}

/**
 * Add trees `t0 … t1 − 1` for `rows[r0 … r1)` (at most one block) into `out`, row i of `rows` at
 * row `i − outRow0` of `out` (rows × outputs × features), building the trees' tables first where
 * the plan lacks them. Each row's sums run over the trees in order, whichever thread runs it.
 */
export function treeShapRange(v: TreeEnsembleView, plan: TreeShapPlan, rows: Int32Array, r0: number, r1: number, out: Float64Array, outRow0: number, t0: number, t1: number, scratch: TreeShapScratch): void {
  const M = v.featureNames.length;
  const K = v.nOutputs;
  const n = r1 - r0;
  const { routing, base, left, masks, walk, routed } = scratch;
  const width = routing.width;
  if (routing.perBlock) {
    if (routed.rows !== rows || routed.r0 !== r0) {
      for (let i = 0; i < n; i++) v.goesLeft(rows[r0 + i], routing.codes.subarray(i * width, (i + 1) * width));
      routed.rows = rows;
      routed.r0 = r0;
    }
    for (let i = 0; i < n; i++) base[i] = i * width;
  } else for (let i = 0; i < n; i++) base[i] = rows[r0 + i] * width;
  for (let t = t0; t < t1; t++) {
    planTree(v, plan, t);
    const mt = plan.masked[t];
    if (mt) {
      addMasked(mt, routing, base, n, r0 - outRow0, masks, out, K * M, v.treeOutput[t] * M);
      continue;
    }
    const tb = plan.tables[t];
    const splits = plan.splits[t];
    walk.output = v.treeOutput[t];
    for (let i = 0; i < n; i++) {
      const r = r0 + i - outRow0;
      directions(routing, base[i], splits, left);
      if (tb) addFromTables(v, tb, left, masks, out, r * K * M, M, v.treeOutput[t], v.treeScale);
      else {
        walk.phi = out.subarray(r * K * M, (r + 1) * K * M);
        recurse(walk, v.treeRoot[t], 0, 0, 1, 1, -1);
      }
    }
  }
}

/**
 * Add the values of `rows[r0 … r1)` (at most one block) into `values` (rows × outputs × features,
 * row i at position i of `rows`), group by group in the fixed summation order.
 */
export function treeShapBlock(v: TreeEnsembleView, plan: TreeShapPlan, rows: Int32Array, r0: number, r1: number, values: Float64Array, groups: Int32Array, scratch: TreeShapScratch): void {
  const KM = v.nOutputs * v.featureNames.length;
  const n = (r1 - r0) * KM;
  const acc = scratch.acc;
  for (let g = 0; g + 1 < groups.length; g++) {
    acc.fill(0, 0, n);
    treeShapRange(v, plan, rows, r0, r1, acc, r0, groups[g], groups[g + 1], scratch);
    const at = r0 * KM;
    for (let x = 0; x < n; x++) values[at + x] += acc[x];
  }
}

/** The rows to explain, checked. */
export function treeShapRows(v: TreeEnsembleView, rows: Int32Array | undefined): Int32Array {
  const out = rows ?? Int32Array.from({ length: v.nRows }, (_, i) => i);
  for (const r of out) if (!(r >= 0 && r < v.nRows)) throw new InvalidInputError(`row ${show(r)} is out of range: the data has ${v.nRows} rows`, { path: "rows", expected: `0 … ${v.nRows - 1}`, received: r });
  return out;
}

/**
 * SHAP values of every row of a tree ensemble's view (see `TreeEnsembleView`), in raw output space,
 * on the calling thread (`treeShapParallel` in `tree-shap-pool.ts` uses worker threads).
 *
 * @example
 * const model = await gbdtClassifier({ maxIter: 100 }).fit(train, { target: "churned" });
 * const shap = treeShap(model.treeView(rows));
 * // shap.values[(r·K + k)·M + j]: feature j's share of row r's raw score k; shap.baseValues[k] + Σ_j = the raw score
 */
export function treeShap(v: TreeEnsembleView, options: TreeShapOptions = {}): TreeShapResult {
  const M = v.featureNames.length;
  const K = v.nOutputs;
  const rows = treeShapRows(v, options.rows);
  const plan = options.plan ?? layoutTreeShap(v, options.algorithm);
  const values = new Float64Array(rows.length * K * M);
  const scratch = treeShapScratch(v, plan);
  const block = treeShapBlockRows(v);
  const groups = treeShapGroups(v.nTrees);
  for (let r0 = 0; r0 < rows.length; r0 += block) treeShapBlock(v, plan, rows, r0, Math.min(rows.length, r0 + block), values, groups, scratch);
  return { featureNames: v.featureNames, nOutputs: K, nRows: rows.length, values, baseValues: plan.baseValues, link: v.link };
}
