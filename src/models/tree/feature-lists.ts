/**
 * Presorted row lists kept sorted node by node, for splitters that try most features in every
 * node (regression trees and forests try all of them by default): each ordered feature keeps the
 * tree's rows in its presorted order, and when a node splits, every feature's segment of the
 * node is stably partitioned into the children's segments — so a node's rows come out sorted
 * along any feature in O(rows), with no sort (the sort-once attribute lists of SLIQ: Mehta,
 * Agrawal & Rissanen, "SLIQ: a fast scalable classifier for data mining", EDBT 1996). Features
 * known to be constant in a node are no longer partitioned below it, as they are never tried
 * there again. Within tied values rows stay in rank order, as a sort of their ranks leaves them.
 */
import type { SortedRows } from "./criterion.js";

/** The presort the lists start from (see `presort`): per feature, (row, value) pairs by rank. */
export interface ListSource {
  n: number;
  p: number;
  byRank: Float64Array;
}

// The row loops are small functions of their own (V8 compiles a long-running loop on the spot once
// per loop of a function; see `presort`).

/** Copy the (row, value) pairs of rows with positive weight, in rank order, from the column at `base` to `rows` / `values` from `k`. */
function copyList(byRank: Float64Array, base: number, n: number, weight: Float64Array, rows: Int32Array, values: Float64Array, k: number): void {
  for (let r = 0; r < n; r++) {
    const s = byRank[base + 2 * r];
    if (weight[s] !== 0) {
      rows[k] = s;
      values[k++] = byRank[base + 2 * r + 1];
    }
  }
}

/** Stably move the entries [from, to) of `rows` / `values` whose row is marked in `goLeft` before the others. */
function stablePartition(rows: Int32Array, values: Float64Array, goLeft: Uint8Array, tmpRows: Int32Array, tmpValues: Float64Array, from: number, to: number): void {
  let l = from;
  let r = 0;
  // branch-free: each row is written to both sides and only its own side's cursor moves
  // (left and right are a coin toss per row, which a branch would mispredict)
  for (let i = from; i < to; i++) {
    const s = rows[i];
    const v = values[i];
    const g = goLeft[s];
    rows[l] = s;
    values[l] = v;
    tmpRows[r] = s;
    tmpValues[r] = v;
    l += g;
    r += 1 - g;
  }
  for (let i = 0; i < r; i++) {
    rows[l + i] = tmpRows[i];
    values[l + i] = tmpValues[i];
  }
}

export class FeatureLists {
  /** Per listed feature, the tree's rows: segment [start, end) of a node holds its rows in order. */
  private readonly rows: Int32Array;
  /** The rows' values, alongside `rows`. */
  private readonly values: Float64Array;
  /** Per feature: where its list starts in `rows` / `values`, or −1 for features without one. */
  private readonly offset: Int32Array;
  private readonly tmpRows: Int32Array;
  private readonly tmpValues: Float64Array;
  /** Per row: 1 if it goes to the left child of the node being split. */
  private readonly goLeft: Uint8Array;
  /** What `select` returns: a window on the lists. */
  private readonly view: SortedRows;

  /**
   * Lists of the rows with non-zero `weight` (`m` of them) for each feature f with `listed(f)`,
   * in the presort's order (missing values last).
   */
  constructor(d: ListSource, weight: Float64Array, m: number, listed: (f: number) => boolean) {
    const { n, p, byRank } = d;
    this.offset = new Int32Array(p).fill(-1);
    let count = 0;
    for (let f = 0; f < p; f++) if (listed(f)) this.offset[f] = m * count++;
    const rows = new Int32Array(m * count);
    const values = new Float64Array(m * count);
    for (let f = 0; f < p; f++) if (this.offset[f] >= 0) copyList(byRank, 2 * f * n, n, weight, rows, values, this.offset[f]);
    this.rows = rows;
    this.values = values;
    this.tmpRows = new Int32Array(m);
    this.tmpValues = new Float64Array(m);
    this.goLeft = new Uint8Array(n);
    this.view = { rows, x: values, at: 0, m: 0, nonMissing: 0 };
  }

  /** Whether feature f has a list. */
  has(f: number): boolean {
    return this.offset[f] >= 0;
  }

  /** The node's rows `[start, end)` sorted along feature f (missing last), as a window on the lists. */
  select(f: number, start: number, end: number): SortedRows {
    const v = this.view;
    const at = this.offset[f] + start;
    const x = this.values;
    let mnn = end - start;
    while (mnn > 0 && x[at + mnn - 1] !== x[at + mnn - 1]) mnn--;
    v.at = at;
    v.m = end - start;
    v.nonMissing = mnn;
    return v;
  }

  /**
   * Mark the node's rows going left for a cut of feature f's order: its first `pos` present rows,
   * and its missing rows (from position `nonMissing`) when `missingLeft`.
   */
  markCut(f: number, start: number, end: number, pos: number, nonMissing: number, missingLeft: boolean): void {
    const rows = this.rows;
    const goLeft = this.goLeft;
    const o = this.offset[f];
    const cut = o + start + pos;
    const miss = o + start + nonMissing;
    for (let i = o + start; i < o + end; i++) goLeft[rows[i]] = i < cut || (i >= miss && missingLeft) ? 1 : 0;
  }

  /** Mark the node's rows going left as `samples[start..pos)` (the rest go right). */
  markSamples(samples: Int32Array, start: number, pos: number, end: number): void {
    const goLeft = this.goLeft;
    for (let i = start; i < pos; i++) goLeft[samples[i]] = 1;
    for (let i = pos; i < end; i++) goLeft[samples[i]] = 0;
  }

  /** Reorder `samples[start..end)` so the marked rows come first (swapping, as the splitter's partition); returns where the right child starts. */
  partitionSamples(samples: Int32Array, start: number, end: number): number {
    const goLeft = this.goLeft;
    let p = start;
    let stop = end;
    while (p < stop) {
      if (goLeft[samples[p]] === 1) p++;
      else {
        stop--;
        const t = samples[p];
        samples[p] = samples[stop];
        samples[stop] = t;
      }
    }
    return p;
  }

  /** Stably partition the node's segment of every listed feature in `features[from..)` by the marks. */
  split(start: number, end: number, features: Int32Array, from: number): void {
    const { rows, values, goLeft, tmpRows, tmpValues } = this;
    for (let j = from; j < features.length; j++) {
      const o = this.offset[features[j]];
      if (o >= 0) stablePartition(rows, values, goLeft, tmpRows, tmpValues, o + start, o + end);
    }
  }
}
