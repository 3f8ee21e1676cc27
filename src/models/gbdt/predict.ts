/**
 * Prediction from flat typed arrays. The batch path bins the rows with the training bins, then for
 * each block of rows (small enough to stay in cache) runs every tree over the block, four rows at
 * a time in lockstep (`BatchForest`) — no allocation per row. The single-row path walks the saved
 * arrays directly on raw values: numeric x ≤ threshold goes left (NaN by the learned default);
 * categorical values map to their training bin (unknown or unseen codes to the missing bin) and
 * go left when that bin's bit is set.
 */
import type { Forest } from "./forest.js";
import { BITSET_WORDS } from "./split.js";

/** What prediction needs to know about the features. */
export interface FeatureMaps {
  p: number;
  isCat: Uint8Array;
  nBins: Int32Array;
  catOffsets: Int32Array;
  catToBin: Int32Array;
}

/** The leaf reached by the row at `X[ro ..]` in the tree rooted at `node`. */
export function leafOf(t: Forest, m: FeatureMaps, X: Float64Array, ro: number, node: number): number {
  const feature = t.feature;
  for (;;) {
    const f = feature[node];
    if (f < 0) return node;
    node = goesLeft(t, m, X[ro + f], node) ? t.left[node] : t.right[node];
  }
}

/**
 * Whether value `x` of the split's feature goes left at split node `node`: numeric splits send
 * x ≤ threshold left (NaN follows `defaultLeft`); categorical splits look the category's bin up in
 * the node's set (unknown categories take the missing bin).
 */
export function goesLeft(t: Forest, m: FeatureMaps, x: number, node: number): boolean {
  const cs = t.catSet[node];
  if (cs < 0) return x <= t.threshold[node] || (x !== x && t.defaultLeft[node] === 1);
  const f = t.feature[node];
  let bin = m.nBins[f];
  if (x >= 0 && x < m.catOffsets[f + 1] - m.catOffsets[f]) {
    const b = m.catToBin[m.catOffsets[f] + x];
    if (b >= 0) bin = b;
  }
  return ((t.catBits[cs * BITSET_WORDS + (bin >>> 5)] >>> (bin & 31)) & 1) === 1;
}

/**
 * The forest rearranged for batch prediction over binned rows: per node its feature and left
 * child packed side by side, and a 256-bit set of the bins that go left (numeric thresholds and
 * category sets alike; the right child is always left + 1). Leaves point to themselves with every
 * bit set, so a walk that has reached a leaf stays there, and four rows walk a tree in lockstep
 * with no branch per split — the independent walks overlap in the CPU instead of each waiting on
 * a mispredicted branch.
 */
export interface BatchForest {
  K: number;
  nTrees: number;
  roots: Int32Array;
  /** [feature, left] per node (leaf: [0, itself]). */
  info: Int32Array;
  bits: Uint32Array;
  isLeaf: Uint8Array;
  value: Float64Array;
}

export function batchForest(t: Forest, nBins: Int32Array): BatchForest {
  const nodes = t.feature.length;
  const info = new Int32Array(2 * nodes);
  const bits = new Uint32Array(BITSET_WORDS * nodes);
  const isLeaf = new Uint8Array(nodes);
  for (let i = 0; i < nodes; i++) {
    const f = t.feature[i];
    const o = i * BITSET_WORDS;
    if (f < 0) {
      isLeaf[i] = 1;
      info[2 * i + 1] = i;
      bits.fill(0xffffffff, o, o + BITSET_WORDS);
      continue;
    }
    info[2 * i] = f;
    info[2 * i + 1] = t.left[i];
    if (t.catSet[i] >= 0) bits.set(t.catBits.subarray(t.catSet[i] * BITSET_WORDS, (t.catSet[i] + 1) * BITSET_WORDS), o);
    else {
      for (let b = 0; b <= t.bin[i]; b++) bits[o + (b >>> 5)] |= 1 << (b & 31);
      if (t.defaultLeft[i]) bits[o + (nBins[f] >>> 5)] |= 1 << (nBins[f] & 31);
    }
  }
  return { K: t.K, nTrees: t.nTrees, roots: t.treeRoot, info, bits, isLeaf, value: t.value };
}

/** Rows per block of the batch path: a block's bins stay in cache while every tree runs over it. */
const BLOCK = 256;

/**
 * Raw scores (rows × K, row-major) of `n` binned rows (row-major n × p bin codes, as `binRows`
 * makes them), starting from `baseline`. No allocation per row.
 */
export function predictBinned(t: BatchForest, B: Uint8Array, n: number, p: number, baseline: Float64Array): Float64Array {
  const raw = new Float64Array(n * t.K);
  fillBaseline(raw, n, t.K, baseline);
  addTreesRange(t, B, p, raw, 0, n);
  return raw;
}

export function fillBaseline(raw: Float64Array, n: number, K: number, baseline: Float64Array): void {
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) raw[i * K + k] = baseline[k];
}

/** raw[i] += every tree's value for rows a..b−1 (a block at a time, four rows in lockstep). */
export function addTreesRange(t: BatchForest, B: Uint8Array, p: number, raw: Float64Array, a0: number, b0: number): void {
  const K = t.K;
  const { roots, info, bits, isLeaf, value } = t;
  const nT = t.nTrees;
  for (let a = a0; a < b0; a += BLOCK) {
    const e = Math.min(b0, a + BLOCK);
    const e4 = a + ((e - a) & ~3);
    for (let tr = 0; tr < nT; tr++) {
      const root = roots[tr];
      const k = tr % K;
      for (let i = a; i < e4; i += 4) {
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        const r0 = i * p;
        const r1 = r0 + p;
        const r2 = r1 + p;
        const r3 = r2 + p;
        do {
          const b0 = B[r0 + info[2 * n0]];
          const b1 = B[r1 + info[2 * n1]];
          const b2 = B[r2 + info[2 * n2]];
          const b3 = B[r3 + info[2 * n3]];
          n0 = info[2 * n0 + 1] + 1 - ((bits[(n0 << 3) + (b0 >>> 5)] >>> (b0 & 31)) & 1);
          n1 = info[2 * n1 + 1] + 1 - ((bits[(n1 << 3) + (b1 >>> 5)] >>> (b1 & 31)) & 1);
          n2 = info[2 * n2 + 1] + 1 - ((bits[(n2 << 3) + (b2 >>> 5)] >>> (b2 & 31)) & 1);
          n3 = info[2 * n3 + 1] + 1 - ((bits[(n3 << 3) + (b3 >>> 5)] >>> (b3 & 31)) & 1);
        } while ((isLeaf[n0] & isLeaf[n1] & isLeaf[n2] & isLeaf[n3]) === 0);
        raw[i * K + k] += value[n0];
        raw[(i + 1) * K + k] += value[n1];
        raw[(i + 2) * K + k] += value[n2];
        raw[(i + 3) * K + k] += value[n3];
      }
      for (let i = e4; i < e; i++) {
        const r0 = i * p;
        let n0 = root;
        while (isLeaf[n0] === 0) {
          const b0 = B[r0 + info[2 * n0]];
          n0 = info[2 * n0 + 1] + 1 - ((bits[(n0 << 3) + (b0 >>> 5)] >>> (b0 & 31)) & 1);
        }
        raw[i * K + k] += value[n0];
      }
    }
  }
}

/** The same forest with its arrays in shared memory, for prediction threads. */
export function shareBatchForest(t: BatchForest): BatchForest {
  const share = <T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(a: T): T => {
    const C = a.constructor as new (b: SharedArrayBuffer) => T;
    const out = new C(new SharedArrayBuffer(Math.max(8, a.byteLength)));
    (out as unknown as { set(x: T): void }).set(a);
    return (out as unknown as { subarray(a: number, b: number): T }).subarray(0, a.length);
  };
  return { K: t.K, nTrees: t.nTrees, roots: share(t.roots), info: share(t.info), bits: share(t.bits), isLeaf: share(t.isLeaf), value: share(t.value) };
}

/** Raw scores of one encoded row `x` (length p) into `out` (length K). */
export function predictRawRow(t: Forest, m: FeatureMaps, x: Float64Array, baseline: Float64Array, out: Float64Array): Float64Array {
  const K = t.K;
  for (let k = 0; k < K; k++) out[k] = baseline[k];
  const roots = t.treeRoot;
  for (let tr = 0; tr < t.nTrees; tr++) out[tr % K] += t.value[leafOf(t, m, x, 0, roots[tr])];
  return out;
}
