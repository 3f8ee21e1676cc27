/**
 * A predict-time copy of a tree ensemble, packed so that everything a split needs sits in one
 * 16-byte slot (four to a cache line) instead of six parallel arrays. It is derived from
 * `TreeArrays` once per fitted model, never saved, and predicts exactly what `leafOf` does.
 *
 * Each tree's slots are in depth-first preorder, so a split's left child is the next slot and
 * only the right child is stored. One buffer is read as a Float64Array `f` and an Int32Array `i`;
 * slot s is `f[2s]` (8 bytes) then `i[4s+2]`, `i[4s+3]`:
 *
 * - split: `f[2s]` = threshold (numeric) or first `catBits` word (categorical partition);
 *   `i[4s+2]` = feature | `MISSING_LEFT` | `CATEGORICAL`; `i[4s+3]` = the right child's slot.
 * - leaf: `i[4s+2]` = `LEAF` (the sign bit alone), `i[4s+3]` = s itself, so that a leaf is its
 *   own child and lanes walking several rows in step can stay there; its k values sit in place:
 *   `f[2s]` = value 0, `f[2s+2 …]` = values 1…k−1 (a leaf takes 1 + ⌈(k−1)/2⌉ slots), so reaching
 *   a leaf already brought its values into cache.
 */
import type { TreeArrays } from "./tree-arrays.js";

/** Flag of a split's feature word: a categorical-partition split (its `f` word is a `catBits` offset). */
export const CATEGORICAL = 1 << 30;
/** Flag of a split's feature word: missing values go left. */
export const MISSING_LEFT = 1 << 29;
const FEATURE_MASK = MISSING_LEFT - 1;
/** Feature word of a leaf. */
export const LEAF = 1 << 31;

export interface PackedTrees {
  /** The slots as doubles (thresholds, leaf values). */
  f: Float64Array;
  /** The same buffer as 32-bit integers (feature words, right children). */
  i: Int32Array;
  /** First slot of each tree, in tree order; tree r's slots end where tree r + 1's begin. */
  roots: Int32Array;
  /** Slots in use. */
  slots: number;
  /** Per tree: 1 when it has no categorical-partition split (it can be walked four rows at a time). */
  numeric: Uint8Array;
  /** Outputs per leaf. */
  k: number;
  /** Category bitsets, as `TreeArrays.catBits`. */
  catBits: Uint32Array;
}

/**
 * Pack the trees at `roots` of `t` (each tree's reachable nodes, in tree order). With `shared`,
 * the slots and bitsets live on SharedArrayBuffers so worker threads read them without a copy.
 */
export function packTrees(t: TreeArrays, roots: ArrayLike<number>, shared = false): PackedTrees {
  const k = t.nOutputs;
  const leafSlots = 1 + Math.ceil(Math.max(0, k - 1) / 2);
  const { feature, threshold, left, right, missingLeft, catOffset, value } = t;
  let stack: Int32Array<ArrayBuffer> = new Int32Array(64);
  // first pass: slots needed by the reachable nodes
  let slots = 0;
  for (let r = 0; r < roots.length; r++) {
    let top = 0;
    stack[top++] = roots[r];
    while (top > 0) {
      const node = stack[--top];
      if (left[node] < 0) {
        slots += leafSlots;
        continue;
      }
      slots++;
      if (top + 2 > stack.length) stack = grow(stack);
      stack[top++] = right[node];
      stack[top++] = left[node];
    }
  }
  const bytes = Math.max(16, slots * 16);
  const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const f = new Float64Array(buf);
  const iw = new Int32Array(buf);
  const packedRoots = new Int32Array(roots.length);
  const numeric = new Uint8Array(roots.length).fill(1);
  // second pass, preorder: `parents[j]` is the slot whose right child is `stack[j]` (−1 for a
  // left child, which is simply the next slot); the first pass sized the stack for the deepest tree
  let parents: Int32Array<ArrayBuffer> = new Int32Array(stack.length);
  let s = 0;
  for (let r = 0; r < roots.length; r++) {
    packedRoots[r] = s;
    let top = 0;
    stack[top] = roots[r];
    parents[top++] = -1;
    while (top > 0) {
      const node = stack[--top];
      const parent = parents[top];
      if (parent >= 0) iw[4 * parent + 3] = s;
      if (left[node] < 0) {
        iw[4 * s + 2] = LEAF;
        iw[4 * s + 3] = s;
        f[2 * s] = value[node * k];
        for (let c = 1; c < k; c++) f[2 * s + 1 + c] = value[node * k + c];
        s += leafSlots;
        continue;
      }
      const cat = catOffset[node] >= 0;
      if (cat) numeric[r] = 0;
      f[2 * s] = cat ? catOffset[node] : threshold[node];
      iw[4 * s + 2] = feature[node] | (missingLeft[node] === 1 ? MISSING_LEFT : 0) | (cat ? CATEGORICAL : 0);
      if (top + 2 > stack.length) {
        stack = grow(stack);
        parents = grow(parents);
      }
      stack[top] = right[node];
      parents[top++] = s;
      stack[top] = left[node];
      parents[top++] = -1;
      s++;
    }
  }
  let catBits = t.catBits;
  if (shared) {
    catBits = new Uint32Array(new SharedArrayBuffer(Math.max(4, catBits.length * 4)), 0, catBits.length);
    catBits.set(t.catBits);
  }
  return { f, i: iw, roots: packedRoots, numeric, slots, k, catBits };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The leaf slot a row reaches from slot `root`; feature j of the row is `X[base + j]`. The
 * branches are ordered so that the common ones are predictable: missing (rare), then numeric or
 * categorical (the same for most nodes of most models), then the split's own data-dependent test.
 */
export function packedLeaf(f: Float64Array, iw: Int32Array, catBits: Uint32Array, root: number, X: Float64Array, base: number): number {
  let s = root;
  for (;;) {
    const info = iw[4 * s + 2];
    if (info < 0) return s;
    const v = X[base + (info & FEATURE_MASK)];
    const t = f[2 * s];
    let goLeft: boolean;
    if (v !== v) goLeft = (info & MISSING_LEFT) !== 0;
    else if (info < CATEGORICAL) goLeft = v <= t;
    else goLeft = ((catBits[t + (v >>> 5)] >>> (v & 31)) & 1) === 1;
    s = goLeft ? s + 1 : iw[4 * s + 3];
  }
}

/** Leaf slots reached by the four rows of `walk4`. */
const lanes = new Int32Array(4);

/**
 * Walk four rows (features at `X[b + j]`) down one tree in step, into `lanes`. Each step is free
 * of data-dependent branches — `Number(v <= t)` compiles to a flag, not a jump, and the child is
 * chosen by masking — so the four walks overlap instead of stalling on mispredicted branches.
 * A numeric step goes left when `v <= t`, or when v is missing (NaN) and the split sends missing
 * values left; a leaf is masked to stay. Only for trees without categorical-partition splits.
 */
function walk4(f: Float64Array, iw: Int32Array, root: number, X: Float64Array, b0: number, b1: number, b2: number, b3: number): void {
  let s0 = root;
  let s1 = root;
  let s2 = root;
  let s3 = root;
  for (;;) {
    const i0 = iw[4 * s0 + 2];
    const i1 = iw[4 * s1 + 2];
    const i2 = iw[4 * s2 + 2];
    const i3 = iw[4 * s3 + 2];
    if ((i0 & i1 & i2 & i3) < 0) break; // all four at leaves
    const v0 = X[b0 + (i0 & FEATURE_MASK)];
    const v1 = X[b1 + (i1 & FEATURE_MASK)];
    const v2 = X[b2 + (i2 & FEATURE_MASK)];
    const v3 = X[b3 + (i3 & FEATURE_MASK)];
    // (i >>> 29) & 1 is the missing-left bit of a numeric split; ~(i >> 31) is 0 for a leaf
    const c0 = (Number(v0 <= f[2 * s0]) | (Number(v0 !== v0) & (i0 >>> 29))) & ~(i0 >> 31);
    const c1 = (Number(v1 <= f[2 * s1]) | (Number(v1 !== v1) & (i1 >>> 29))) & ~(i1 >> 31);
    const c2 = (Number(v2 <= f[2 * s2]) | (Number(v2 !== v2) & (i2 >>> 29))) & ~(i2 >> 31);
    const c3 = (Number(v3 <= f[2 * s3]) | (Number(v3 !== v3) & (i3 >>> 29))) & ~(i3 >> 31);
    const r0 = iw[4 * s0 + 3];
    const r1 = iw[4 * s1 + 3];
    const r2 = iw[4 * s2 + 3];
    const r3 = iw[4 * s3 + 3];
    // left child (s + 1) when c = 1, else the right child r
    s0 = r0 + ((s0 + 1 - r0) & -c0);
    s1 = r1 + ((s1 + 1 - r1) & -c1);
    s2 = r2 + ((s2 + 1 - r2) & -c2);
    s3 = r3 + ((s3 + 1 - r3) & -c3);
  }
  lanes[0] = s0;
  lanes[1] = s1;
  lanes[2] = s2;
  lanes[3] = s3;
}

/** Add the k values of the leaf at slot s to `out[dst …]`. */
function addLeaf(f: Float64Array, s: number, k: number, out: Float64Array, dst: number): void {
  out[dst] += f[2 * s];
  for (let c = 1; c < k; c++) out[dst + c] += f[2 * s + 1 + c];
}

/** Rows per tree pass from which a tree is first read end to end, to bring it into cache. */
const WARM_ROWS = 256;
let sink = 0;

/**
 * Add every tree's leaf values, trees in order, into `out` (rows × k, row-major) for rows
 * [from, to) of the row-major matrix `X` of p features — the same sums in the same order as
 * `accumulateLeafValues` with scale 1. Trees are the outer loop: each tree is read once, in
 * sequence (cheap for the memory system), then walked by all the rows while it sits in cache.
 */
export function accumulatePacked(pt: PackedTrees, X: Float64Array, p: number, out: Float64Array, from: number, to: number): void {
  const { f, i: iw, roots, k, catBits } = pt;
  const nTrees = roots.length;
  const warm = to - from >= WARM_ROWS;
  for (let r = 0; r < nTrees; r++) {
    const root = roots[r];
    if (warm) {
      const end = 4 * (r + 1 < nTrees ? roots[r + 1] : pt.slots);
      let x = 0;
      for (let q = 4 * root + 2; q < end; q += 16) x ^= iw[q];
      sink ^= x;
    }
    let row = from;
    if (pt.numeric[r] === 1) for (; row + 4 <= to; row += 4) {
      const base = row * p;
      walk4(f, iw, root, X, base, base + p, base + 2 * p, base + 3 * p);
      if (k === 1) {
        out[row] += f[2 * lanes[0]];
        out[row + 1] += f[2 * lanes[1]];
        out[row + 2] += f[2 * lanes[2]];
        out[row + 3] += f[2 * lanes[3]];
      } else if (k === 2) {
        for (let l = 0; l < 4; l++) {
          const s = lanes[l];
          out[2 * (row + l)] += f[2 * s];
          out[2 * (row + l) + 1] += f[2 * s + 2];
        }
      } else for (let l = 0; l < 4; l++) addLeaf(f, lanes[l], k, out, (row + l) * k);
    }
    for (; row < to; row++) addLeaf(f, packedLeaf(f, iw, catBits, root, X, row * p), k, out, row * k);
  }
}
