/**
 * The forest packed for single-row prediction: each node in one 16-byte slot instead of six
 * parallel arrays, so a split costs one cache line, not six. Built once per fitted model from its
 * `Forest`, never saved, and it reaches exactly the leaves `leafOf` reaches — the same leaf values
 * added in the same tree order, so the same raw scores bit for bit.
 *
 * Each tree's nodes are laid out in depth-first preorder, so a split's left child is the next slot
 * and only the right child is stored. One buffer is read as a Float64Array `f` and an Int32Array
 * `i`; slot s is `f[2s]` then `i[4s+2]`, `i[4s+3]`:
 * - numeric split: `f[2s]` = threshold (x ≤ it goes left), `i[4s+2]` = feature | `MISSING_LEFT`
 *   when NaN goes left, `i[4s+3]` = the right child's slot;
 * - categorical split: `f[2s]` = the index of its bin set in `catBits`, `i[4s+2]` = feature |
 *   `CATEGORICAL`; the value's training bin (unknown codes: the missing bin) goes left when its bit
 *   is set, as `goesLeft` decides;
 * - leaf: `f[2s]` = its value, `i[4s+2]` = `LEAF` (negative).
 */
import type { Forest } from "./forest.js";
import type { FeatureMaps } from "./predict.js";
import { BITSET_WORDS } from "./split.js";

const CATEGORICAL = 1 << 30;
const MISSING_LEFT = 1 << 29;
const FEATURE_MASK = MISSING_LEFT - 1;
const LEAF = 1 << 31;

export interface RowForest {
  K: number;
  nTrees: number;
  /** First slot of each tree. */
  roots: Int32Array;
  f: Float64Array;
  i: Int32Array;
  catBits: Uint32Array;
}

/** Pack `t` for single-row walks (see the module comment). */
export function rowForest(t: Forest): RowForest {
  const nodes = t.feature.length;
  const buffer = new ArrayBuffer(16 * Math.max(1, nodes));
  const f = new Float64Array(buffer);
  const i = new Int32Array(buffer);
  const roots = new Int32Array(t.nTrees);
  let next = 0;
  const stack: number[] = [];
  /** Slots whose right child is still to be placed: [slot, node]. */
  const pending: number[] = [];
  for (let tr = 0; tr < t.nTrees; tr++) {
    roots[tr] = next;
    stack.push(t.treeRoot[tr]);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const s = next++;
      // the slot that waited for this node as its right child
      if (pending.length > 0 && pending[pending.length - 1] === node) {
        pending.pop();
        i[4 * pending.pop()! + 3] = s;
      }
      const feat = t.feature[node];
      if (feat < 0) {
        f[2 * s] = t.value[node];
        i[4 * s + 2] = LEAF;
        i[4 * s + 3] = s;
        continue;
      }
      const cs = t.catSet[node];
      if (cs >= 0) {
        f[2 * s] = cs;
        i[4 * s + 2] = feat | CATEGORICAL;
      } else {
        f[2 * s] = t.threshold[node];
        i[4 * s + 2] = feat | (t.defaultLeft[node] === 1 ? MISSING_LEFT : 0);
      }
      pending.push(s, t.right[node]);
      stack.push(t.right[node], t.left[node]);
    }
  }
  return { K: t.K, nTrees: t.nTrees, roots, f, i, catBits: t.catBits };
}

/**
 * Raw scores of one encoded row `x` (length p: numbers, category codes, NaN for missing) into
 * `out` (length K), starting from `baseline`: every tree's leaf value added in tree order.
 */
export function rowForestRaw(t: RowForest, m: FeatureMaps, x: Float64Array, baseline: Float64Array, out: Float64Array): Float64Array {
  const K = t.K;
  for (let k = 0; k < K; k++) out[k] = baseline[k];
  const { roots, f, i, catBits } = t;
  const nBins = m.nBins;
  const catOffsets = m.catOffsets;
  const catToBin = m.catToBin;
  const nT = t.nTrees;
  for (let tr = 0; tr < nT; tr++) {
    let s = roots[tr];
    for (;;) {
      const w = i[4 * s + 2];
      if (w < 0) break;
      const feat = w & FEATURE_MASK;
      const v = x[feat];
      let left: boolean;
      if ((w & CATEGORICAL) === 0) left = v <= f[2 * s] || (v !== v && (w & MISSING_LEFT) !== 0);
      else {
        let bin = nBins[feat];
        const o = catOffsets[feat];
        if (v >= 0 && v < catOffsets[feat + 1] - o) {
          const b = catToBin[o + v];
          if (b >= 0) bin = b;
        }
        left = ((catBits[f[2 * s] * BITSET_WORDS + (bin >>> 5)] >>> (bin & 31)) & 1) === 1;
      }
      s = left ? s + 1 : i[4 * s + 3];
    }
    out[tr % K] += f[2 * s];
  }
  return out;
}
