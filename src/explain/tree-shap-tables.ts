/**
 * TreeSHAP's per-tree tables (Yang 2021, "Fast TreeSHAP", v2): a leaf's contribution depends on the
 * row only through which of its path's unique features the row follows all the way, so for every
 * leaf and each of the 2^U patterns of its U unique features the weights are computed once per
 * model (`buildTables`); single-output trees then fold them, with the leaf values, into tables
 * indexed by the tree-local feature mask (`maskTables`). `tableSizes` gives both sizes without
 * building anything, so a plan can decide every tree's kind before any tree is built.
 */
import type { TreeEnsembleView } from "../estimator/index.js";
import { PathBuffer, extend, unwoundSum } from "./tree-shap-path.js";

/** Leaves' tables for one tree (Fast TreeSHAP v2), or null when the tree is explained by the recursion. */
export interface TreeTables {
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

/** Table budget per model, in weights (8 bytes each). */
export const TABLE_BUDGET = 16_000_000;
/** Trees with more distinct features than this keep pattern-indexed tables. */
const MAX_MASK_BITS = 10;
/** Above this many unique features on one path a tree is explained by the recursion. */
const MAX_TABLE_UNIQUE = 16;

export function buildTables(v: TreeEnsembleView, root: number, budget: { left: number }): TreeTables | null {
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
 * A single-output tree's tables indexed by the tree-local feature mask (the bits of the tree's T
 * features the row has followed at every split on them so far), with the leaf values and the tree
 * scale folded in. The tree is cut into a top part and "blocks": subtrees of at most
 * `BLOCK_HEIGHT` levels of splits. A row carries its mask down the top part split by split; a
 * block then contributes one row of T weights indexed by the mask at its root and the row's
 * directions at the block's splits — the sum, precomputed, of its leaves' Fast TreeSHAP v2
 * weights for the masks those directions give each leaf. So a row pays per block what it paid
 * per leaf, and per top split what it paid per split.
 *
 * A leaf's mask keeps the bits of features off its path at 1, so most rows of a table are never
 * read: that is the price of indexing by the mask itself instead of gathering a pattern bit by bit.
 */
export interface MaskedTables {
  /** Tree-local features (mask width) and their global indices. */
  T: number;
  features: Int32Array;
  /** Top splits, parents first: global node (for the row's direction), its feature's bit (1 << bit), and where each child's mask goes (local slot). */
  splitNode: Int32Array;
  splitSlot: Int32Array;
  splitBit: Int32Array;
  splitLeft: Int32Array;
  splitRight: Int32Array;
  /** Blocks: the slot of the mask at its root, its splits' global nodes (`blockSplitsAt[b] … blockSplitsAt[b + 1]`), its table offset. */
  blockSlot: Int32Array;
  blockSplitsAt: Int32Array;
  blockSplits: Int32Array;
  blockOffset: Int32Array;
  /** Per block: 2^T masks × 2^S direction patterns × T weights. */
  weights: Float64Array;
  /** Mask slots per row (top splits' children). */
  slots: number;
}

/** Levels of splits a block spans (a block has at most 2^BLOCK_HEIGHT − 1 splits). Flights GBDT (31 leaves): 3 levels take 0.57 → 0.47 s CPU for 10,000 rows, with 11 → 22 MB of tables. */
const BLOCK_HEIGHT = 3;

export function maskTables(v: TreeEnsembleView, tb: TreeTables, root: number, scale: number, budget: { left: number }): MaskedTables | null {
  let T = 0;
  for (let s = 0; s < tb.splits.length; s++) T = Math.max(T, tb.bit[tb.splits[s]] + 1);
  if (T > MAX_MASK_BITS) return null;
  // subtree heights (levels of splits below and including a node)
  const height = new Map<number, number>();
  const heightOf = (n: number): number => {
    const known = height.get(n);
    if (known !== undefined) return known;
    const h = v.feature[n] < 0 ? 0 : 1 + Math.max(heightOf(v.left[n]), heightOf(v.right[n]));
    height.set(n, h);
    return h;
  };
  heightOf(root);
  const features = new Int32Array(T);
  for (let s = 0; s < tb.splits.length; s++) features[tb.bit[tb.splits[s]]] = v.feature[tb.splits[s]];
  // top splits breadth-first; a child with a small subtree becomes a block
  const top: number[] = [];
  const blocks: number[] = [];
  const slotOf = new Map<number, number>();
  // bits of the features split on above a node: the only bits of its mask that can be 0
  const above = new Map<number, number>([[root, 0]]);
  let slots = 0;
  const queue = [root];
  slotOf.set(root, slots++);
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q];
    if (heightOf(n) <= BLOCK_HEIGHT) {
      blocks.push(n);
      continue;
    }
    top.push(n);
    for (const c of [v.left[n], v.right[n]]) {
      slotOf.set(c, slots++);
      above.set(c, above.get(n)! | (1 << tb.bit[n]));
      queue.push(c);
    }
  }
  // each block's splits in a fixed order (breadth-first), and its table size
  const blockSplitLists = blocks.map((b) => {
    const list: number[] = [];
    const q = [b];
    for (let i = 0; i < q.length; i++) if (v.feature[q[i]] >= 0) {
      list.push(q[i]);
      q.push(v.left[q[i]], v.right[q[i]]);
    }
    return list;
  });
  let size = 0;
  for (const list of blockSplitLists) size += (1 << T) * (1 << list.length) * T;
  if (size > budget.left) return null;
  budget.left -= size;
  // on shared memory: worker threads take the plan without copying the tables
  const weights = new Float64Array(new SharedArrayBuffer(Math.max(8, size * 8)), 0, size);
  const blockOffset = new Int32Array(blocks.length);
  let at = 0;
  blocks.forEach((b, bi) => {
    const list = blockSplitLists[bi];
    const S = list.length;
    const index = new Map(list.map((n, i) => [n, i]));
    blockOffset[bi] = at;
    // only masks a row can bring: every bit outside `above` set (the other rows stay 0, never read)
    const free = above.get(b)!;
    const fixed = ((1 << T) - 1) & ~free;
    for (let sub = free; ; sub = (sub - 1) & free) {
      const m = fixed | sub;
      for (let dirs = 0; dirs < 1 << S; dirs++) {
        const out = at + ((m << S) | dirs) * T;
        // carry the mask down the block with these directions (bit S − 1 − i: split i goes left)
        const stack: number[] = [b, m];
        while (stack.length) {
          const mask = stack.pop()!;
          const n = stack.pop()!;
          if (v.feature[n] < 0) {
            const U = tb.unique[n];
            const fa = tb.featuresAt[n];
            let pattern = 0;
            for (let i = 0; i < U; i++) pattern |= ((mask >>> tb.bits[fa + i]) & 1) << i;
            const src = tb.tableAt[n] + pattern * U;
            const value = v.value[n] * scale;
            for (let i = 0; i < U; i++) weights[out + tb.bits[fa + i]] += tb.weights[src + i] * value;
            continue;
          }
          const i = index.get(n)!;
          const goLeft = ((dirs >>> (S - 1 - i)) & 1) === 1;
          const off = mask & ~(1 << tb.bit[n]);
          stack.push(v.left[n], goLeft ? mask : off, v.right[n], goLeft ? off : mask);
        }
      }
      if (sub === 0) break;
    }
    at += (1 << T) * (1 << S) * T;
  });
  const blockSplitsAt = new Int32Array(blocks.length + 1);
  blockSplitLists.forEach((l, i) => (blockSplitsAt[i + 1] = blockSplitsAt[i] + l.length));
  return {
    T,
    features,
    splitNode: Int32Array.from(top),
    splitSlot: Int32Array.from(top, (n) => slotOf.get(n)!),
    splitBit: Int32Array.from(top, (n) => 1 << tb.bit[n]),
    splitLeft: Int32Array.from(top, (n) => slotOf.get(v.left[n])!),
    splitRight: Int32Array.from(top, (n) => slotOf.get(v.right[n])!),
    blockSlot: Int32Array.from(blocks, (b) => slotOf.get(b)!),
    blockSplitsAt,
    blockSplits: Int32Array.from(blockSplitLists.flat()),
    blockOffset,
    weights,
    slots,
  };
}

/**
 * The weights `buildTables` and `maskTables` would allocate for the tree at `root` (no budget),
 * or null where they would give up (too many features on a path or in the tree), found without
 * computing any weight: a plan decides every tree's kind from these before building any tree.
 */
export function tableSizes(v: TreeEnsembleView, root: number): { pattern: number | null; masked: number | null } {
  const local = new Map<number, number>();
  let pattern = 0;
  let tooDeep = false;
  const path: number[] = [];
  const visit = (node: number): number => {
    const f = v.feature[node];
    if (f < 0) {
      const U = path.length;
      if (U > MAX_TABLE_UNIQUE) tooDeep = true;
      else pattern += (1 << U) * U;
      return 0;
    }
    if (!local.has(f)) local.set(f, local.size);
    const fresh = !path.includes(f);
    if (fresh) path.push(f);
    const h = 1 + Math.max(visit(v.left[node]), visit(v.right[node]));
    if (fresh) path.pop();
    return h;
  };
  const heights = new Map<number, number>();
  const heightOf = (n: number): number => {
    let h = heights.get(n);
    if (h === undefined) heights.set(n, (h = v.feature[n] < 0 ? 0 : 1 + Math.max(heightOf(v.left[n]), heightOf(v.right[n]))));
    return h;
  };
  visit(root);
  if (local.size > 30 || tooDeep) return { pattern: null, masked: null };
  const T = local.size;
  if (T > MAX_MASK_BITS) return { pattern, masked: null };
  // blocks as `maskTables` cuts them, each 2^T masks × 2^S direction patterns × T weights
  let masked = 0;
  const queue = [root];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q];
    if (heightOf(n) <= BLOCK_HEIGHT) {
      let S = 0;
      const sub = [n];
      for (let i = 0; i < sub.length; i++) if (v.feature[sub[i]] >= 0) {
        S++;
        sub.push(v.left[sub[i]], v.right[sub[i]]);
      }
      masked += (1 << T) * (1 << S) * T;
    } else queue.push(v.left[n], v.right[n]);
  }
  return { pattern, masked };
}
