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
 * A row's way at a split is read from the view's bins when it has them (`binned`: a code per
 * feature and per node the set of codes going left) in the kernel's own loop; the trees run one at
 * a time over blocks of rows, so a tree's tables are read by the whole block while in cache.
 *
 * Attributions are in the model's raw output space (log-odds for binary GBDT, logits per class,
 * log-mean for Poisson, values otherwise): base + Σ φ = raw output, exactly up to rounding.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { TreeEnsembleView } from "../estimator/index.js";

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

/** Bytes of row directions held at once (rows per block = this / nodes, at most 64). */
const BLOCK_BYTES = 1 << 20;

/** Table budget per model, in weights (8 bytes each). */
const TABLE_BUDGET = 16_000_000;
/** Trees with more distinct features than this keep pattern-indexed tables. */
const MAX_MASK_BITS = 10;
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

function maskTables(v: TreeEnsembleView, tb: TreeTables, root: number, scale: number, budget: { left: number }): MaskedTables | null {
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

/** Options of `treeShap`. */
export interface TreeShapOptions {
  /** Rows to explain (default all). */
  rows?: Int32Array;
  /**
   * "tables" (default): Fast TreeSHAP v2's per-leaf tables where they fit, the recursion elsewhere;
   * "recursion": Algorithm 2 of Lundberg et al. for every tree.
   */
  algorithm?: "tables" | "recursion";
  /** A plan made earlier for the same model (`planTreeShap`), reused across calls (e.g. per request). */
  plan?: TreeShapPlan;
}

/**
 * What TreeSHAP precomputes per model, independent of the rows: each tree's expected value (in the
 * base values), depth, split nodes, and tables — mask-indexed for single-output trees where they
 * fit, pattern-indexed elsewhere, none for trees left to the recursion. Plain data (typed arrays),
 * so worker threads can take it as it is.
 */
export interface TreeShapPlan {
  baseValues: Float64Array;
  maxDepth: number;
  /** Per tree, its split nodes (where trees without mask-indexed tables need the row's directions). */
  splits: Int32Array[];
  tables: (TreeTables | null)[];
  masked: (MaskedTables | null)[];
}

/**
 * The per-model precomputation of `treeShap` (see `TreeShapPlan`).
 * @example
 * ```ts
 * const view = treeViewOf(model, frame);
 * const plan = planTreeShap(view);
 * const shap = treeShap(view, { plan });
 * ```
 */
export function planTreeShap(v: TreeEnsembleView, algorithm: TreeShapOptions["algorithm"] = "tables"): TreeShapPlan {
  const K = v.nOutputs;
  let maxDepth = 0;
  const baseValues = Float64Array.from(v.base.length === K ? v.base : new Float64Array(K));
  const splits: Int32Array[] = [];
  for (let t = 0; t < v.nTrees; t++) {
    const out = v.treeOutput[t];
    const f = treeFacts(v, v.treeRoot[t], out >= 0 ? 1 : v.valueStride);
    splits.push(f.splits);
    if (f.maxDepth > maxDepth) maxDepth = f.maxDepth;
    if (out >= 0) baseValues[out] += v.treeScale * f.expected[0];
    else for (let k = 0; k < K; k++) baseValues[k] += v.treeScale * f.expected[k];
  }
  const budget = { left: TABLE_BUDGET };
  const tables = Array.from({ length: v.nTrees }, (_, t) => (algorithm === "recursion" ? null : buildTables(v, v.treeRoot[t], budget)));
  const masked = tables.map((tb, t) => (tb && v.treeOutput[t] >= 0 ? maskTables(v, tb, v.treeRoot[t], v.treeScale, budget) : null));
  // the pattern tables of mask-indexed trees are not read again
  for (let t = 0; t < tables.length; t++) if (masked[t]) tables[t] = null;
  return { baseValues, maxDepth, splits, tables, masked };
}

/** Rows per block when the view routes by bins: a tree's tables stay in cache while the block's rows read them. */
const BINNED_BLOCK_ROWS = 512;

/**
 * Rows per block: every tree is applied to a block's rows before the next tree. With bins, many
 * rows (a tree's tables are read by all of them while in cache); otherwise the block's directions
 * (rows × nodes bytes) must stay in cache, at most 64 rows.
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
  };
}

/**
 * Add the values of `rows[r0 … r1)` (at most one block) into `values` (rows × outputs × features,
 * row i at position i of `rows`). Each row's sums run over the trees in order, whichever thread
 * runs the block, so results do not depend on the thread count.
 */
export function treeShapBlock(v: TreeEnsembleView, plan: TreeShapPlan, rows: Int32Array, r0: number, r1: number, values: Float64Array, scratch: TreeShapScratch): void {
  const M = v.featureNames.length;
  const K = v.nOutputs;
  const n = r1 - r0;
  const { routing, base, left, masks, walk } = scratch;
  const width = routing.width;
  if (routing.perBlock) {
    for (let i = 0; i < n; i++) {
      v.goesLeft(rows[r0 + i], routing.codes.subarray(i * width, (i + 1) * width));
      base[i] = i * width;
    }
  } else for (let i = 0; i < n; i++) base[i] = rows[r0 + i] * width;
  for (let t = 0; t < v.nTrees; t++) {
    const mt = plan.masked[t];
    if (mt) {
      addMasked(mt, routing, base, n, r0, masks, values, K * M, v.treeOutput[t] * M);
      continue;
    }
    const tb = plan.tables[t];
    const splits = plan.splits[t];
    walk.output = v.treeOutput[t];
    for (let i = 0; i < n; i++) {
      const r = r0 + i;
      directions(routing, base[i], splits, left);
      if (tb) addFromTables(v, tb, left, masks, values, r * K * M, M, v.treeOutput[t], v.treeScale);
      else {
        walk.phi = values.subarray(r * K * M, (r + 1) * K * M);
        recurse(walk, v.treeRoot[t], 0, 0, 1, 1, -1);
      }
    }
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
  const plan = options.plan ?? planTreeShap(v, options.algorithm);
  const values = new Float64Array(rows.length * K * M);
  const scratch = treeShapScratch(v, plan);
  const block = treeShapBlockRows(v);
  for (let r0 = 0; r0 < rows.length; r0 += block) treeShapBlock(v, plan, rows, r0, Math.min(rows.length, r0 + block), values, scratch);
  return { featureNames: v.featureNames, nOutputs: K, nRows: rows.length, values, baseValues: plan.baseValues, link: v.link };
}
