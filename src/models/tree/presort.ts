/**
 * Per-feature sort of the training rows, computed once per fit and shared by every tree of a
 * forest (and every worker thread). Row i's position in feature j's ascending order is
 * `rank[i*p + j]` — distinct for every row, ties ordered by row index, missing values (NaN) last;
 * ranks are stored row by row so the features a node tries for one row share a cache line. The
 * rows in feature j's order, with their values, are `byRank[2(j·n + r)]` (row) and
 * `byRank[2(j·n + r) + 1]` (value). A node then sorts its rows along a feature by sorting their
 * ranks (small integers) instead of comparing doubles, and reads rows and values back in order.
 *
 * Each column is sorted by an LSD radix sort (Knuth, TAOCP vol. 3, §5.2.5) of its values' IEEE 754
 * bit patterns mapped to unsigned order (negative values' bits inverted, positive values' sign bit
 * set; −0 read as +0, NaN as the largest key): six passes of 11-bit digits, stable so ties keep
 * row order, and a pass whose digit is the same for every row is skipped (one-hot and small
 * integer columns need one or two). Columns with at most 8 distinct values (one-hot columns,
 * flags, small codes) are ordered by a counting sort of their value codes instead: two passes.
 *
 * Each loop is its own small function: the first columns are long enough for V8 to compile a
 * running loop on the spot (on-stack replacement), once per loop of a function, and small
 * functions make those compiles cheap and soon replaced by regular ones (the cold presort of
 * 43k × 26 took 86 ms of CPU as one function with its loops inline, 54 ms like this).
 *
 * The row-major ranks are only read by splitters that sort a node's rows (few features tried per
 * node, see `sortsByRank`); without `rowRanks` they are not built (n × p scattered writes).
 */
import { allocF64, allocU32 } from "./matrix.js";

export interface Presort {
  /** Row-major ranks: `rank[i*p + j]` (empty when not asked for). */
  rank: Uint32Array;
  /** Per feature and rank: the row, then its value (n × p pairs, feature-major). */
  byRank: Float64Array;
  /** Per feature: rows with a value (ranks below this are present, at or above it are NaN). */
  nonMissing: Int32Array;
  /**
   * Per feature with exactly two distinct values and none missing (one-hot columns, flags): the
   * rows on the lower value, which are its first ranks; −1 for other features.
   */
  lowCount: Int32Array;
}

const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
/** Digit d of a key: bits [11·(d mod 3), …) of its low word (d < 3) or high word (d ≥ 3). */
const SHIFTS = [0, 11, 22, 0, 11, 22];
/** Columns with at most this many distinct present values get a counting sort. */
const FEW_VALUES = 8;

export function presort(X: Float64Array, n: number, p: number, shared = false, rowRanks = true): Presort {
  const rank = allocU32(rowRanks ? n * p : 0, shared);
  const byRank = allocF64(2 * n * p, shared);
  const nonMissing = new Int32Array(p);
  const lowCount = new Int32Array(p).fill(-1);
  const radix = new RadixSort(X, n);
  const few = new FewValuedSort(n);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    let idx = few.order;
    let nn = few.sort(X, off);
    if (nn < 0) {
      idx = radix.sort(off);
      nn = radix.nonMissing;
    }
    nonMissing[j] = nn;
    if (rowRanks) fillRanks(rank, idx, n, p, j);
    const low = fillByRank(byRank, X, idx, off, n);
    if (nn === n) lowCount[j] = low;
  }
  return { rank, byRank, nonMissing, lowCount };
}

/** Row-major ranks of column j from its rows in order. */
function fillRanks(rank: Uint32Array, idx: Int32Array, n: number, p: number, j: number): void {
  for (let r = 0; r < n; r++) rank[idx[r] * p + j] = r;
}

/** Fill column `off`'s (row, value) pairs in order; returns the rows on its lower value when it has exactly two values, else −1. */
function fillByRank(byRank: Float64Array, X: Float64Array, idx: Int32Array, off: number, n: number): number {
  let changes = 0;
  let firstHigh = -1;
  for (let r = 0; r < n; r++) {
    const i = idx[r];
    const v = X[off + i];
    byRank[2 * (off + r)] = i;
    byRank[2 * (off + r) + 1] = v;
    if (r > 0 && v !== byRank[2 * (off + r) - 1] && changes++ === 0) firstHigh = r;
  }
  return changes === 1 ? firstHigh : -1;
}

/** Value codes of column `off` (FEW_VALUES for NaN) into `code`, their counts into `count`; returns the number of distinct present values, or −1 when above FEW_VALUES. */
function codeValues(X: Float64Array, off: number, n: number, code: Uint8Array, values: Float64Array, count: Int32Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = X[off + i];
    let c = 0;
    if (v !== v) c = FEW_VALUES; // after every value
    else {
      while (c < k && values[c] !== v) c++; // −0 and +0 are one value
      if (c === k) {
        if (k === FEW_VALUES) return -1;
        values[k++] = v;
      }
    }
    code[i] = c;
    count[c]++;
  }
  return k;
}

/** Each row to its code's next position. */
function scatterCodes(code: Uint8Array, position: Int32Array, order: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) order[position[code[i]]++] = i;
}

/** The rows of a column in value order (stable, NaN last) by a counting sort of value codes, for columns with few values. */
class FewValuedSort {
  /** The rows in order, after `sort`. */
  readonly order: Int32Array;
  private readonly code: Uint8Array;
  private readonly values = new Float64Array(FEW_VALUES);
  private readonly position = new Int32Array(FEW_VALUES + 1);
  private readonly n: number;

  constructor(n: number) {
    this.n = n;
    this.order = new Int32Array(n);
    this.code = new Uint8Array(n);
  }

  /** Order the column `X[off..off + n)`; returns its present values' count, or −1 when it has more than `FEW_VALUES` distinct values. */
  sort(X: Float64Array, off: number): number {
    const { n, code, values, position, order } = this;
    position.fill(0);
    const k = codeValues(X, off, n, code, values, position);
    if (k < 0) return -1;
    const missing = position[FEW_VALUES];
    const sortedCodes = Array.from({ length: k }, (_, c) => c).sort((a, b) => values[a] - values[b]);
    let at = 0;
    for (const c of sortedCodes) {
      const count = position[c];
      position[c] = at;
      at += count;
    }
    position[FEW_VALUES] = at;
    scatterCodes(code, position, order, n);
    return n - missing;
  }
}

/** Keys (order-preserving bits) and the six digit histograms of column `off`; returns its present values. */
function keysAndHistograms(bits: Uint32Array, off: number, n: number, hi: Uint32Array, lo: Uint32Array, idx: Int32Array, hist: Int32Array): number {
  let nn = 0;
  for (let i = 0; i < n; i++) {
    const bh = bits[2 * (off + i) + 1];
    const bl = bits[2 * (off + i)];
    let h: number;
    let l: number;
    if ((bh & 0x7ff00000) === 0x7ff00000 && ((bh & 0xfffff) | bl) !== 0) {
      h = 0xffffffff; // NaN
      l = 0xffffffff;
    } else {
      nn++;
      if (((bh & 0x7fffffff) | bl) === 0) {
        h = 0x80000000; // −0 and +0 are one value
        l = 0;
      } else if (bh >= 0x80000000) {
        h = ~bh >>> 0;
        l = ~bl >>> 0;
      } else {
        h = (bh | 0x80000000) >>> 0;
        l = bl;
      }
    }
    hi[i] = h;
    lo[i] = l;
    idx[i] = i;
    hist[l & MASK]++;
    hist[BUCKETS + ((l >>> 11) & MASK)]++;
    hist[2 * BUCKETS + (l >>> 22)]++;
    hist[3 * BUCKETS + (h & MASK)]++;
    hist[4 * BUCKETS + ((h >>> 11) & MASK)]++;
    hist[5 * BUCKETS + (h >>> 22)]++;
  }
  return nn;
}

/** Histogram counts from `base` to each bucket's first position. */
function prefixSums(hist: Int32Array, base: number): void {
  let sum = 0;
  for (let b = base; b < base + BUCKETS; b++) {
    const c = hist[b];
    hist[b] = sum;
    sum += c;
  }
}

/** One stable pass: rows to their digit's next position (keys `hi`, `lo` and rows move together). */
function scatterPass(key: Uint32Array, shift: number, base: number, hist: Int32Array, n: number, hi: Uint32Array, lo: Uint32Array, idx: Int32Array, hi2: Uint32Array, lo2: Uint32Array, idx2: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const t = hist[base + ((key[i] >>> shift) & MASK)]++;
    hi2[t] = hi[i];
    lo2[t] = lo[i];
    idx2[t] = idx[i];
  }
}

/** The rows of a column in value order (stable, NaN last) by an LSD radix sort of its values' bits. */
class RadixSort {
  private readonly bits: Uint32Array;
  private readonly n: number;
  private hi: Uint32Array;
  private lo: Uint32Array;
  private idx: Int32Array;
  private hi2: Uint32Array;
  private lo2: Uint32Array;
  private idx2: Int32Array;
  private readonly hist = new Int32Array(6 * BUCKETS);
  /** Present values of the column last sorted. */
  nonMissing = 0;

  constructor(X: Float64Array, n: number) {
    this.bits = new Uint32Array(X.buffer, X.byteOffset, 2 * X.length);
    this.n = n;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.idx = new Int32Array(n);
    this.hi2 = new Uint32Array(n);
    this.lo2 = new Uint32Array(n);
    this.idx2 = new Int32Array(n);
  }

  /** The rows of the column starting at `off`, in order (a buffer reused by the next call). */
  sort(off: number): Int32Array {
    const { n, bits, hist } = this;
    let { hi, lo, idx, hi2, lo2, idx2 } = this;
    hist.fill(0);
    this.nonMissing = keysAndHistograms(bits, off, n, hi, lo, idx, hist);
    for (let d = 0; d < 6 && n > 0; d++) {
      const shift = SHIFTS[d];
      const key = d < 3 ? lo : hi;
      const base = d * BUCKETS;
      if (hist[base + ((key[0] >>> shift) & MASK)] === n) continue; // one digit for every row
      prefixSums(hist, base);
      scatterPass(key, shift, base, hist, n, hi, lo, idx, hi2, lo2, idx2);
      [hi, hi2] = [hi2, hi];
      [lo, lo2] = [lo2, lo];
      [idx, idx2] = [idx2, idx];
    }
    Object.assign(this, { hi, lo, idx, hi2, lo2, idx2 });
    return idx;
  }
}
