/**
 * Absolute error for regression trees (Breiman et al. 1984, §8.11, least absolute deviation):
 * impurity = Σ w |y − median| / W, value = the weighted median. Scanning a feature keeps the
 * rows on each side of the cut in a `MedianTree`, so each candidate costs O(log n) instead of
 * scikit-learn's heap updates; the proxy is scikit-learn's −W_R·impurity_R − W_L·impurity_L.
 */
import { type Criterion, FEATURE_THRESHOLD, type ScanLimits, type SortedRows } from "./criterion.js";
import { weightedMedianSorted } from "../../core/quantile.js";
import { MedianTree } from "./median-tree.js";

export class AbsoluteErrorCriterion implements Criterion {
  /** Target and weight of row i at 2i and 2i + 1. */
  private readonly yw: Float64Array;
  /** Node-local rank of each row by target (valid for the current node's rows). */
  private readonly rankOf: Int32Array;
  private vy: Float64Array;
  private vw: Float64Array;
  private idx: Int32Array;
  private rightA: Float64Array;
  private rightB: Float64Array;
  private readonly treeA: MedianTree;
  private readonly treeB: MedianTree;
  private q = 0;
  private wTotal = 0;
  private median = 0;
  private absTotal = 0;
  foundProxy = -Infinity;
  foundPos = 0;
  foundMissingLeft = false;

  constructor(yw: Float64Array, nRows: number) {
    this.yw = yw;
    this.rankOf = new Int32Array(nRows);
    this.vy = new Float64Array(16);
    this.vw = new Float64Array(16);
    this.idx = new Int32Array(16);
    this.rightA = new Float64Array(17);
    this.rightB = new Float64Array(17);
    this.treeA = new MedianTree(16);
    this.treeB = new MedianTree(16);
  }

  init(samples: Int32Array, start: number, end: number): number {
    const q = end - start;
    if (q > this.vy.length) {
      this.vy = new Float64Array(q);
      this.vw = new Float64Array(q);
      this.idx = new Int32Array(q);
      this.rightA = new Float64Array(q + 1);
      this.rightB = new Float64Array(q + 1);
    }
    const idx = this.idx.subarray(0, q);
    idx.set(samples.subarray(start, end));
    const yw = this.yw;
    idx.sort((a, b) => yw[2 * a] - yw[2 * b] || a - b);
    let wt = 0;
    for (let r = 0; r < q; r++) {
      const s = idx[r];
      this.rankOf[s] = r;
      this.vy[r] = yw[2 * s];
      this.vw[r] = yw[2 * s + 1];
      wt += yw[2 * s + 1];
    }
    this.q = q;
    this.wTotal = wt;
    this.median = weightedMedianSorted(this.vy, this.vw, q);
    let abs = 0;
    for (let p = start; p < end; p++) {
      const s = samples[p];
      abs += Math.abs(yw[2 * s] - this.median) * yw[2 * s + 1];
    }
    this.absTotal = abs;
    return wt;
  }

  nodeImpurity(): number {
    return this.absTotal / this.wTotal;
  }

  nodeValue(out: Float64Array, offset: number): void {
    out[offset] = this.median;
  }

  scan(sorted: SortedRows, limits: ScanLimits, bestProxy: number): boolean {
    const { rows, x, at: o, m, nonMissing: mnn } = sorted;
    const rank = this.rankOf;
    const yw = this.yw;
    const hasMissing = m > mnn;
    const nMissing = m - mnn;
    const { minSamplesLeaf, minWeightLeaf } = limits;
    const wt = this.wTotal;
    const ta = this.treeA;
    const tb = this.treeB;
    // right sides: suffixes of all rows (missing go right), and of present rows (missing go left)
    ta.reset(this.q, this.vy, this.vw);
    for (let i = m - 1; i >= 1; i--) {
      ta.add(rank[rows[o + i]]);
      if (i <= mnn) this.rightA[i] = ta.absDeviation();
    }
    if (hasMissing) {
      tb.reset(this.q, this.vy, this.vw);
      for (let i = mnn - 1; i >= 1; i--) {
        tb.add(rank[rows[o + i]]);
        this.rightB[i] = tb.absDeviation();
      }
    }
    // left sides
    ta.reset(this.q, this.vy, this.vw);
    if (hasMissing) {
      tb.reset(this.q, this.vy, this.vw);
      for (let i = mnn; i < m; i++) tb.add(rank[rows[o + i]]);
    }
    let best = bestProxy;
    let found = false;
    let wl = 0;
    let wm = 0;
    for (let i = mnn; i < m; i++) wm += yw[2 * rows[o + i] + 1];
    for (let i = 0; i < mnn; i++) {
      const s = rows[o + i];
      wl += yw[2 * s + 1];
      ta.add(rank[s]);
      if (hasMissing) tb.add(rank[s]);
      const p = i + 1;
      if (p < mnn) {
        if (x[o + p] <= x[o + i] + FEATURE_THRESHOLD) continue;
      } else if (!hasMissing) break;
      if (p >= minSamplesLeaf && m - p >= minSamplesLeaf) {
        const wr = wt - wl;
        if (wl >= minWeightLeaf && wr >= minWeightLeaf) {
          const v = -wr * (this.rightA[p] / wr) - wl * (ta.absDeviation() / wl);
          if (v > best) {
            best = v;
            found = true;
            this.foundPos = p;
            this.foundMissingLeft = false;
          }
        }
      }
      if (hasMissing && p < mnn && p + nMissing >= minSamplesLeaf && mnn - p >= minSamplesLeaf) {
        const wl2 = wl + wm;
        const wr = wt - wl2;
        if (wl2 >= minWeightLeaf && wr >= minWeightLeaf) {
          const v = -wr * (this.rightB[p] / wr) - wl2 * (tb.absDeviation() / wl2);
          if (v > best) {
            best = v;
            found = true;
            this.foundPos = p;
            this.foundMissingLeft = true;
          }
        }
      }
    }
    if (found) this.foundProxy = best;
    return found;
  }

  /** Σ w |y − median| and Σ w over some of the node's rows. */
  private sideStats(rows: ArrayLike<number>, from: number, to: number, extra: ArrayLike<number> | null, extraFrom: number, extraTo: number): { abs: number; weight: number } {
    const ranks: number[] = [];
    for (let i = from; i < to; i++) ranks.push(this.rankOf[rows[i]]);
    if (extra) for (let i = extraFrom; i < extraTo; i++) ranks.push(this.rankOf[extra[i]]);
    const r = Int32Array.from(ranks).sort();
    const vy = new Float64Array(r.length);
    const vw = new Float64Array(r.length);
    let W = 0;
    for (let i = 0; i < r.length; i++) {
      vy[i] = this.vy[r[i]];
      vw[i] = this.vw[r[i]];
      W += vw[i];
    }
    const med = weightedMedianSorted(vy, vw, r.length);
    let abs = 0;
    for (let i = 0; i < r.length; i++) abs += Math.abs(vy[i] - med) * vw[i];
    return { abs, weight: W };
  }

  partitionProxy(sorted: SortedRows, leftPresent: number, missingLeft: boolean, limits: ScanLimits): number {
    const { rows, at: o, m, nonMissing: mnn } = sorted;
    const nl = leftPresent + (missingLeft ? m - mnn : 0);
    if (nl < limits.minSamplesLeaf || m - nl < limits.minSamplesLeaf) return -Infinity;
    const l = missingLeft ? this.sideStats(rows, o, o + leftPresent, rows, o + mnn, o + m) : this.sideStats(rows, o, o + leftPresent, null, 0, 0);
    const r = this.sideStats(rows, o + leftPresent, o + (missingLeft ? mnn : m), null, 0, 0);
    if (l.weight < limits.minWeightLeaf || r.weight < limits.minWeightLeaf) return -Infinity;
    return -r.weight * (r.abs / r.weight) - l.weight * (l.abs / l.weight);
  }

  /** Medians do not add up: no one-sided statistics (two-valued features are scanned as any other). */
  readonly sideWidth = 0;

  accumulate(): number {
    throw new Error("AbsoluteErrorCriterion has no one-sided statistics (sideWidth 0)");
  }

  sideProxy(): number {
    throw new Error("AbsoluteErrorCriterion has no one-sided statistics (sideWidth 0)");
  }

  childrenImpurity(samples: Int32Array, start: number, pos: number, end: number): { left: number; right: number; weightLeft: number; weightRight: number } {
    const l = this.sideStats(samples, start, pos, null, 0, 0);
    const r = this.sideStats(samples, pos, end, null, 0, 0);
    return { left: l.abs / l.weight, right: r.abs / r.weight, weightLeft: l.weight, weightRight: r.weight };
  }
}
