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
 * integer columns need one or two).
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

export function presort(X: Float64Array, n: number, p: number, shared = false, rowRanks = true): Presort {
  const rank = allocU32(rowRanks ? n * p : 0, shared);
  const byRank = allocF64(2 * n * p, shared);
  const nonMissing = new Int32Array(p);
  const lowCount = new Int32Array(p).fill(-1);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = new Int32Array(n);
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const hist = new Int32Array(6 * BUCKETS);
  const bits = new Uint32Array(X.buffer, X.byteOffset, 2 * X.length);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    hist.fill(0);
    let nn = 0;
    for (let i = 0; i < n; i++) {
      const v = X[off + i];
      let h: number;
      let l: number;
      if (v !== v) {
        h = 0xffffffff;
        l = 0xffffffff;
      } else {
        nn++;
        if (v === 0) {
          h = 0x80000000; // −0 and +0 are one value
          l = 0;
        } else {
          h = bits[2 * (off + i) + 1];
          l = bits[2 * (off + i)];
          if (h >= 0x80000000) {
            h = ~h >>> 0;
            l = ~l >>> 0;
          } else h = (h | 0x80000000) >>> 0;
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
    nonMissing[j] = nn;
    for (let d = 0; d < 6 && n > 0; d++) {
      const shift = SHIFTS[d];
      const key = d < 3 ? lo : hi;
      const base = d * BUCKETS;
      if (hist[base + ((key[0] >>> shift) & MASK)] === n) continue; // one digit for every row
      let sum = 0;
      for (let b = base; b < base + BUCKETS; b++) {
        const c = hist[b];
        hist[b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const t = hist[base + ((key[i] >>> shift) & MASK)]++;
        hi2[t] = hi[i];
        lo2[t] = lo[i];
        idx2[t] = idx[i];
      }
      [hi, hi2] = [hi2, hi];
      [lo, lo2] = [lo2, lo];
      [idx, idx2] = [idx2, idx];
    }
    if (rowRanks) for (let r = 0; r < n; r++) rank[idx[r] * p + j] = r;
    // distinct values: where the value changes along the order (at most 2 are counted)
    let changes = 0;
    let firstHigh = 0;
    for (let r = 0; r < n; r++) {
      const i = idx[r];
      const v = X[off + i];
      byRank[2 * (off + r)] = i;
      byRank[2 * (off + r) + 1] = v;
      if (r > 0 && v !== byRank[2 * (off + r) - 1] && changes++ === 0) firstHigh = r;
    }
    if (nn === n && changes === 1) lowCount[j] = firstHigh;
  }
  return { rank, byRank, nonMissing, lowCount };
}
