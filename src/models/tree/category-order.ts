/**
 * Categorical features in a node, for partition splits: per-category weight, target sum and
 * count, the categories present, and the node's rows ordered by their category's mean target
 * (Breiman et al. 1984, §9.4; Fisher 1958 — cutting that order finds the best of all 2^(k−1) − 1
 * partitions for binary classification and regression). Categories absent from the node follow
 * the missing values.
 */
import type { SortedRows } from "./criterion.js";

/** What the category statistics read: column-major features, per-row target and weight. */
export interface CategoryData {
  n: number;
  X: Float64Array;
  nCats: Int32Array;
  target: Float64Array;
  weight: Float64Array;
}

export class CategoryOrder {
  private readonly d: CategoryData;
  private readonly catW: Float64Array;
  private readonly catS: Float64Array;
  /** Rows per category in the node (0: absent). */
  readonly catN: Int32Array;
  /** Present categories, `catList[0..present)` (by code, or by mean target after `sort`). */
  readonly catList: Int32Array;
  /** Scratch per category: position in the order, or a random side (extra-trees). */
  readonly catPos: Int32Array;
  private readonly catStart: Int32Array;
  /** Categories present in the node. */
  present = 0;
  /** Rows with a present category. */
  presentRows = 0;

  constructor(d: CategoryData) {
    this.d = d;
    let maxCats = 0;
    for (let j = 0; j < d.nCats.length; j++) maxCats = Math.max(maxCats, d.nCats[j]);
    this.catW = new Float64Array(maxCats);
    this.catS = new Float64Array(maxCats);
    this.catN = new Int32Array(maxCats);
    this.catList = new Int32Array(maxCats);
    this.catPos = new Int32Array(maxCats);
    this.catStart = new Int32Array(maxCats + 1);
  }

  /** Per-category weight, target sum and count over `samples[start..end)`; lists the present categories. */
  count(f: number, samples: Int32Array, start: number, end: number): void {
    const d = this.d;
    const C = d.nCats[f];
    const off = f * d.n;
    const { catW, catS, catN, catList } = this;
    catW.fill(0, 0, C);
    catS.fill(0, 0, C);
    catN.fill(0, 0, C);
    const X = d.X;
    const w = d.weight;
    const t = d.target;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      const v = X[off + s];
      if (v !== v) continue;
      const c = v | 0;
      catW[c] += w[s];
      catS[c] += w[s] * t[s];
      catN[c]++;
    }
    let P = 0;
    let present = 0;
    for (let c = 0; c < C; c++) {
      if (catN[c] > 0) {
        catList[P++] = c;
        present += catN[c];
      }
    }
    this.present = P;
    this.presentRows = present;
  }

  /**
   * Rows of the node ordered by their category's mean target (ties by code), missing last, into
   * `sorted`; `x` holds each row's position in the category order.
   */
  sort(f: number, samples: Int32Array, start: number, end: number, sorted: SortedRows): void {
    this.count(f, samples, start, end);
    const d = this.d;
    const off = f * d.n;
    const P = this.present;
    const { catW, catS, catN, catList, catPos, catStart } = this;
    catList.subarray(0, P).sort((a, b) => catS[a] / catW[a] - catS[b] / catW[b] || a - b);
    let acc = 0;
    for (let j = 0; j < P; j++) {
      const c = catList[j];
      catPos[c] = j;
      catStart[j] = acc;
      acc += catN[c];
    }
    const rows = sorted.rows;
    const x = sorted.x;
    const X = d.X;
    let miss = acc;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      const v = X[off + s];
      if (v !== v) rows[miss++] = s;
      else {
        const j = catPos[v | 0];
        x[catStart[j]] = j;
        rows[catStart[j]++] = s;
      }
    }
    sorted.m = end - start;
    sorted.nonMissing = acc;
  }

  /** Set, in `bits`, the categories of f absent from the node (they follow missing values left). */
  addAbsent(bits: Uint32Array, f: number): void {
    const C = this.d.nCats[f];
    for (let c = 0; c < C; c++) if (this.catN[c] === 0) bits[c >>> 5] |= 1 << (c & 31);
  }

  /** Bitset of the categories going left for a cut after position `lastLeft` of the sorted order. */
  fillBits(bits: Uint32Array, f: number, lastLeft: number, missingLeft: boolean): void {
    bits.fill(0);
    for (let j = 0; j <= lastLeft; j++) {
      const c = this.catList[j];
      bits[c >>> 5] |= 1 << (c & 31);
    }
    if (missingLeft) this.addAbsent(bits, f);
  }
}
