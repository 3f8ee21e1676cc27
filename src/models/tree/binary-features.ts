/**
 * Two-valued features (one-hot columns, flags) for splitters that try most features per node. A
 * two-valued feature has one possible cut, so a node needs only the statistics of the rows on
 * one side of it: each row lists the two-valued features on whose rarer value it sits (for one-hot
 * columns, the one 1 per encoded column), and one pass over the node's rows adds each row's
 * statistics to the features it lists — O(rows × listed features per row) per node for all of
 * them together, instead of O(rows) per feature (as for sparse inputs in scikit-learn's
 * `BestSparseSplitter`, which visits nonzero entries only). Features with missing values, or
 * whose two values are closer than `FEATURE_THRESHOLD`, are not two-valued here.
 */
import { type Criterion, FEATURE_THRESHOLD } from "./criterion.js";

/** The presort two-valued features are found in (see `presort`). */
export interface BinarySource {
  n: number;
  p: number;
  byRank: Float64Array;
  /** Per feature: rows on the lower of its two values, or −1 when it does not have exactly two (or misses some). */
  lowCount: Int32Array;
}

// The row loops are small functions of their own: the constructor runs once per tree, and V8
// compiles a long-running loop on the spot once per loop of a function (see `presort`).

/** Add 1 at `ptr[row + 1]` for each row of positive weight at ranks [from, to) of the column at `base`. */
function countRows(byRank: Float64Array, base: number, from: number, to: number, weight: Float64Array, ptr: Int32Array): void {
  for (let r = from; r < to; r++) {
    const row = byRank[base + 2 * r];
    if (weight[row] !== 0) ptr[row + 1]++;
  }
}

/** Running sums: `ptr[i + 1] += ptr[i]` for i in [0, n). */
function prefixSums(ptr: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
}

/** List `slot` for each row of positive weight at ranks [from, to) of the column at `base` (`at[row]`: its next free entry). */
function listSlot(byRank: Float64Array, base: number, from: number, to: number, weight: Float64Array, at: Int32Array, slots: Int32Array, slot: number): void {
  for (let r = from; r < to; r++) {
    const row = byRank[base + 2 * r];
    if (weight[row] !== 0) slots[at[row]++] = slot;
  }
}

export class BinaryFeatures {
  /** Per feature: its slot among the two-valued features, or −1. */
  readonly slotOf: Int32Array;
  /** Per slot: the lower and the higher value, and whether the rarer one is the lower. */
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly rareIsLow: Uint8Array;
  /** Per row: the slots whose rarer value it has, `slots[ptr[row]..ptr[row + 1])` (rows of the tree only). */
  private readonly ptr: Int32Array;
  private readonly slots: Int32Array;
  /** Per slot, over the current node: rows on the rarer value, and their statistics (`width` each). */
  readonly count: Int32Array;
  readonly stats: Float64Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  private readonly width: number;
  /** Number of two-valued features. */
  readonly size: number;

  /**
   * Find the two-valued features among those with `eligible(f)` and list, for each row with
   * non-zero `weight`, those on whose rarer value it sits; `width`: doubles of statistics per slot.
   */
  constructor(d: BinarySource, weight: Float64Array, eligible: (f: number) => boolean, width: number) {
    const { n, p, byRank } = d;
    this.width = width;
    this.slotOf = new Int32Array(p).fill(-1);
    const lowCount: number[] = [];
    const feats: number[] = [];
    for (let f = 0; f < p; f++) {
      const a = d.lowCount[f];
      if (a < 0 || !eligible(f)) continue;
      const base = 2 * f * n;
      if (!(byRank[base + 2 * (n - 1) + 1] > byRank[base + 1] + FEATURE_THRESHOLD)) continue;
      this.slotOf[f] = feats.length;
      feats.push(f);
      lowCount.push(a);
    }
    const k = feats.length;
    this.size = k;
    this.low = new Float64Array(k);
    this.high = new Float64Array(k);
    this.rareIsLow = new Uint8Array(k);
    // rows per slot list: count, prefix sums, fill (rank ranges of the rarer values)
    const ptr = new Int32Array(n + 1);
    const ranges = new Int32Array(2 * k);
    for (let s = 0; s < k; s++) {
      const base = 2 * feats[s] * n;
      const a = lowCount[s];
      this.low[s] = byRank[base + 1];
      this.high[s] = byRank[base + 2 * (n - 1) + 1];
      const rareLow = a <= n - a;
      this.rareIsLow[s] = rareLow ? 1 : 0;
      ranges[2 * s] = rareLow ? 0 : a;
      ranges[2 * s + 1] = rareLow ? a : n;
      countRows(byRank, base, ranges[2 * s], ranges[2 * s + 1], weight, ptr);
    }
    prefixSums(ptr, n);
    const slots = new Int32Array(ptr[n]);
    const at = ptr.slice(0, n);
    for (let s = 0; s < k; s++) listSlot(byRank, 2 * feats[s] * n, ranges[2 * s], ranges[2 * s + 1], weight, at, slots, s);
    this.ptr = ptr;
    this.slots = slots;
    this.count = new Int32Array(k);
    this.stats = new Float64Array(k * width);
    this.touched = new Int32Array(k);
  }

  /** The slot of feature f, or −1 when it is not two-valued. */
  slot(f: number): number {
    return this.slotOf[f];
  }

  /** Make `count` and `stats` those of the node `samples[start..end)` (the splitter calls it once per node search, on the first two-valued feature tried). */
  prepare(samples: Int32Array, start: number, end: number, criterion: Criterion): void {
    const { count, stats, touched, width } = this;
    for (let j = 0; j < this.nTouched; j++) {
      const s = touched[j];
      count[s] = 0;
      for (let k = s * width; k < (s + 1) * width; k++) stats[k] = 0; // (a fill call costs more, for 1-3 values)
    }
    this.nTouched = criterion.accumulate(samples, start, end, this.ptr, this.slots, count, stats, touched);
  }
}
