/**
 * Sorting a node's rows along one feature by their presorted ranks (see `presort`), for splitters
 * that try few of the features per node: a native sort for small nodes, an LSD radix sort for
 * mid-sized ones, a pass over the feature's global order for large ones, and a counting sort by
 * value code for few-valued features (one-hot columns, flags, small integer codes).
 */
import type { SortedRows } from "./criterion.js";

/** The presort of the training rows, as the splitter reads it. */
export interface RankedData {
  n: number;
  p: number;
  /** Row-major ranks (`rank[i*p + j]`) and per-feature (row, value) pairs by rank (see `presort`). */
  rank: Uint32Array;
  byRank: Float64Array;
  nonMissing: Int32Array;
}

const INSERTION_SORT_MAX = 16;
/**
 * Features with at most this many distinct present values get counting sorts in nodes with at
 * least a quarter as many rows as values (codes fit 16 bits; `MISSING_CODE` marks NaN).
 */
const LOW_CARD_MAX = 65534;
const MISSING_CODE = 65535;
const NATIVE_SORT_MAX = 1024;
/** A node holding at least 1/FLAG_SCAN_RATIO of the rows picks its sorted rows from the global order. */
const FLAG_SCAN_RATIO = 8;

export class RankSorter {
  private readonly d: RankedData;
  private readonly keys: Uint32Array;
  private readonly keysTmp: Uint32Array;
  private readonly radixCount = new Int32Array(2048);
  private readonly inNode: Uint8Array;
  private readonly rankBits: number;
  /** Ranks of the rows in the last sorted rows, in order (the last cut's rank partitions the node). */
  sortedRanks: Uint32Array;
  /**
   * Few-valued features: per row the index of its value among the feature's distinct values
   * (column-major, `MISSING_CODE` for NaN); per feature and value index the value and the last
   * rank of its run. Null for features with more values.
   */
  private readonly lowCard: (Uint16Array | null)[];
  private readonly nCodes: Int32Array;
  private readonly codeOffset: Int32Array;
  private readonly codeValue: Float64Array;
  private readonly codeLastRank: Uint32Array;
  private readonly codeCount: Int32Array;

  /** `m`: rows taking part in the tree; `ordered[f]`: feature f is ever sorted by this sorter. */
  constructor(d: RankedData, m: number, ordered: (f: number) => boolean) {
    this.d = d;
    const { n, p } = d;
    this.keys = new Uint32Array(m);
    this.keysTmp = new Uint32Array(m);
    this.sortedRanks = this.keys;
    this.inNode = new Uint8Array(n);
    let bits = 1;
    while (2 ** bits < n) bits++;
    this.rankBits = bits;
    this.nCodes = new Int32Array(p);
    this.codeOffset = new Int32Array(p + 1);
    let maxCodes = 0;
    for (let f = 0; f < p; f++) {
      this.nCodes[f] = ordered(f) ? this.distinctValues(f) : 0;
      this.codeOffset[f + 1] = this.codeOffset[f] + this.nCodes[f];
      maxCodes = Math.max(maxCodes, this.nCodes[f]);
    }
    this.codeValue = new Float64Array(this.codeOffset[p]);
    this.codeLastRank = new Uint32Array(this.codeOffset[p]);
    this.codeCount = new Int32Array(maxCodes + 2);
    this.lowCard = Array.from({ length: p }, (_, f) => (this.nCodes[f] > 0 ? this.valueCodes(f) : null));
  }

  /** Distinct present values of feature f, or 0 when there are more than `LOW_CARD_MAX`. */
  private distinctValues(f: number): number {
    const { n, byRank, nonMissing } = this.d;
    const base = 2 * f * n;
    const nn = nonMissing[f];
    let distinct = 0;
    for (let r = 0; r < nn; r++) {
      if (r === 0 || byRank[base + 2 * r + 1] !== byRank[base + 2 * r - 1]) {
        if (++distinct > LOW_CARD_MAX) return 0;
      }
    }
    return distinct;
  }

  /** Value codes of a few-valued feature f (fills its `codeValue` and `codeLastRank` entries). */
  private valueCodes(f: number): Uint16Array {
    const { n, byRank, nonMissing } = this.d;
    const base = 2 * f * n;
    const nn = nonMissing[f];
    const codes = new Uint16Array(n).fill(MISSING_CODE);
    const o = this.codeOffset[f];
    let c = -1;
    for (let r = 0; r < nn; r++) {
      const v = byRank[base + 2 * r + 1];
      if (r === 0 || v !== byRank[base + 2 * r - 1]) {
        c++;
        this.codeValue[o + c] = v;
      }
      this.codeLastRank[o + c] = r;
      codes[byRank[base + 2 * r]] = c;
    }
    return codes;
  }

  /** Whether a node of `m` rows picks its rows from the global order (`markNode` first). */
  usesFlags(m: number): boolean {
    return m >= 4096 && m * FLAG_SCAN_RATIO >= this.d.n;
  }

  /** Flag (1) or unflag (0) the rows `samples[start..end)` as the current node's. */
  markNode(samples: Int32Array, start: number, end: number, flag: 0 | 1): void {
    const inNode = this.inNode;
    for (let i = start; i < end; i++) inNode[samples[i]] = flag;
  }

  /** Rows `samples[start..end)` sorted along a numeric (or ordinally coded) feature, missing last. */
  sort(f: number, samples: Int32Array, start: number, end: number, useFlags: boolean, sorted: SortedRows): void {
    const d = this.d;
    const n = d.n;
    const p = d.p;
    const base = 2 * f * n;
    const byRank = d.byRank;
    const rows = sorted.rows;
    const x = sorted.x;
    const m = end - start;
    const nn = d.nonMissing[f];
    let mnn = 0;
    if (useFlags) {
      // large node: one pass over the feature's global order picks the node's rows
      const inNode = this.inNode;
      const ranks = this.keys;
      let k = 0;
      for (let r = 0; r < nn; r++) {
        const s = byRank[base + 2 * r];
        if (inNode[s] === 1) {
          rows[k] = s;
          x[k] = byRank[base + 2 * r + 1];
          ranks[k++] = r;
        }
      }
      mnn = k;
      for (let r = nn; r < n && k < m; r++) {
        const s = byRank[base + 2 * r];
        if (inNode[s] === 1) {
          rows[k] = s;
          ranks[k++] = r;
        }
      }
      this.sortedRanks = ranks;
    } else if (m > INSERTION_SORT_MAX && this.lowCard[f] !== null && 4 * m >= this.nCodes[f]) {
      mnn = this.countingSort(f, samples, start, end, sorted);
    } else {
      const keys = this.keys;
      const rank = d.rank;
      for (let i = 0; i < m; i++) keys[i] = rank[samples[start + i] * p + f];
      let sortedKeys: Uint32Array = keys;
      if (m <= INSERTION_SORT_MAX) {
        for (let i = 1; i < m; i++) {
          const v = keys[i];
          let j = i - 1;
          while (j >= 0 && keys[j] > v) {
            keys[j + 1] = keys[j];
            j--;
          }
          keys[j + 1] = v;
        }
      } else if (m <= NATIVE_SORT_MAX) keys.subarray(0, m).sort();
      else sortedKeys = this.radixSort(m);
      // present values first (ranks below nn), then missing
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sortedKeys[mid] < nn) lo = mid + 1;
        else hi = mid;
      }
      mnn = lo;
      for (let i = 0; i < m; i++) {
        const j = base + 2 * sortedKeys[i];
        rows[i] = byRank[j];
        x[i] = byRank[j + 1];
      }
      this.sortedRanks = sortedKeys;
    }
    sorted.m = m;
    sorted.nonMissing = mnn;
  }

  /**
   * The node's rows ordered by a few-valued feature's value in O(m + values), missing last: a
   * counting sort by value code (rows keep their node order within a value). Each row's entry in
   * `sortedRanks` is the last rank of its value's run, so a cut after position i partitions by
   * rank exactly as a rank sort would. Returns the number of present rows.
   */
  private countingSort(f: number, samples: Int32Array, start: number, end: number, sorted: SortedRows): number {
    const codes = this.lowCard[f]!;
    const K = this.nCodes[f];
    const cnt = this.codeCount;
    const o = this.codeOffset[f];
    // cnt[c + 1] counts code c, then cnt[c] becomes code c's first position; missing rows go after
    cnt.fill(0, 0, K + 1);
    let nMissing = 0;
    for (let i = start; i < end; i++) {
      const c = codes[samples[i]];
      if (c === MISSING_CODE) nMissing++;
      else cnt[c + 1]++;
    }
    for (let c = 1; c <= K; c++) cnt[c] += cnt[c - 1];
    const mnn = end - start - nMissing;
    let miss = mnn;
    const { rows, x } = sorted;
    const ranks = this.keys;
    const valueAt = this.codeValue;
    const lastRank = this.codeLastRank;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      const c = codes[s];
      if (c === MISSING_CODE) rows[miss++] = s;
      else {
        const j = cnt[c]++;
        rows[j] = s;
        x[j] = valueAt[o + c];
        ranks[j] = lastRank[o + c];
      }
    }
    this.sortedRanks = ranks;
    return mnn;
  }

  /** LSD radix sort of keys[0..m) by 11-bit digits; returns the array holding the result. */
  private radixSort(m: number): Uint32Array {
    let src = this.keys;
    let dst = this.keysTmp;
    const cnt = this.radixCount;
    for (let shift = 0; shift < this.rankBits; shift += 11) {
      cnt.fill(0);
      for (let i = 0; i < m; i++) cnt[(src[i] >>> shift) & 2047]++;
      let sum = 0;
      for (let b = 0; b < 2048; b++) {
        const c = cnt[b];
        cnt[b] = sum;
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const v = src[i];
        dst[cnt[(v >>> shift) & 2047]++] = v;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    return src;
  }
}
