/**
 * Squared error (variance reduction) for regression trees (Breiman et al. 1984, ch. 8):
 * impurity = Σ w y² / W − (Σ w y / W)², value = the weighted mean. The scan's proxy is
 * scikit-learn's S_L² / W_L + S_R² / W_R, which orders splits as the impurity decrease does.
 */
import { type Criterion, FEATURE_THRESHOLD, type ScanLimits, type SortedRows } from "./criterion.js";

export class SquaredErrorCriterion implements Criterion {
  /** Target and weight of row i at 2i and 2i + 1. */
  private readonly yw: Float64Array;
  private sumTotal = 0;
  private sqTotal = 0;
  private wTotal = 0;
  foundProxy = -Infinity;
  foundPos = 0;
  foundMissingLeft = false;

  constructor(yw: Float64Array) {
    this.yw = yw;
  }

  init(samples: Int32Array, start: number, end: number): number {
    let sum = 0;
    let sq = 0;
    let wt = 0;
    const yw = this.yw;
    for (let p = start; p < end; p++) {
      const j = 2 * samples[p];
      const ws = yw[j + 1];
      const wy = ws * yw[j];
      sum += wy;
      sq += wy * yw[j];
      wt += ws;
    }
    this.sumTotal = sum;
    this.sqTotal = sq;
    this.wTotal = wt;
    return wt;
  }

  nodeImpurity(): number {
    const m = this.sumTotal / this.wTotal;
    return this.sqTotal / this.wTotal - m * m;
  }

  nodeValue(out: Float64Array, offset: number): void {
    out[offset] = this.sumTotal / this.wTotal;
  }

  scan(sorted: SortedRows, limits: ScanLimits, bestProxy: number): boolean {
    const { rows, x, at: o, m, nonMissing: mnn } = sorted;
    const yw = this.yw;
    let sm = 0;
    let wm = 0;
    for (let i = mnn; i < m; i++) {
      const j = 2 * rows[o + i];
      sm += yw[j + 1] * yw[j];
      wm += yw[j + 1];
    }
    const hasMissing = m > mnn;
    const nMissing = m - mnn;
    const { minSamplesLeaf, minWeightLeaf } = limits;
    const wt = this.wTotal;
    const st = this.sumTotal;
    let best = bestProxy;
    let found = false;
    let sl = 0;
    let wl = 0;
    for (let i = 0; i < mnn; i++) {
      const j = 2 * rows[o + i];
      const ws = yw[j + 1];
      sl += ws * yw[j];
      wl += ws;
      const p = i + 1;
      if (p < mnn) {
        if (x[o + p] <= x[o + i] + FEATURE_THRESHOLD) continue;
      } else if (!hasMissing) break;
      if (p >= minSamplesLeaf && m - p >= minSamplesLeaf) {
        const wr = wt - wl;
        if (wl >= minWeightLeaf && wr >= minWeightLeaf) {
          const sr = st - sl;
          const v = (sl * sl) / wl + (sr * sr) / wr;
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
          const sl2 = sl + sm;
          const sr = st - sl2;
          const v = (sl2 * sl2) / wl2 + (sr * sr) / wr;
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

  partitionProxy(sorted: SortedRows, leftPresent: number, missingLeft: boolean, limits: ScanLimits): number {
    const { rows, at: o, m, nonMissing: mnn } = sorted;
    const nl = leftPresent + (missingLeft ? m - mnn : 0);
    if (nl < limits.minSamplesLeaf || m - nl < limits.minSamplesLeaf) return -Infinity;
    let sl = 0;
    let wl = 0;
    const yw = this.yw;
    for (let i = 0; i < leftPresent; i++) {
      const j = 2 * rows[o + i];
      sl += yw[j + 1] * yw[j];
      wl += yw[j + 1];
    }
    if (missingLeft) {
      for (let i = mnn; i < m; i++) {
        const j = 2 * rows[o + i];
        sl += yw[j + 1] * yw[j];
        wl += yw[j + 1];
      }
    }
    const wr = this.wTotal - wl;
    if (wl < limits.minWeightLeaf || wr < limits.minWeightLeaf) return -Infinity;
    const sr = this.sumTotal - sl;
    return (sl * sl) / wl + (sr * sr) / wr;
  }

  readonly sideWidth = 2;

  accumulate(samples: Int32Array, start: number, end: number, ptr: Int32Array, slots: Int32Array, count: Int32Array, stats: Float64Array, touched: Int32Array): number {
    const yw = this.yw;
    let t = 0;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      const a = ptr[s];
      const b = ptr[s + 1];
      if (a === b) continue;
      const w = yw[2 * s + 1];
      const wy = w * yw[2 * s];
      for (let k = a; k < b; k++) {
        const q = slots[k];
        if (count[q]++ === 0) touched[t++] = q;
        stats[2 * q] += w;
        stats[2 * q + 1] += wy;
      }
    }
    return t;
  }

  sideProxy(stats: Float64Array, slot: number, n1: number, m: number, sideLeft: boolean, limits: ScanLimits): number {
    const nl = sideLeft ? n1 : m - n1;
    if (nl < limits.minSamplesLeaf || m - nl < limits.minSamplesLeaf) return -Infinity;
    const w1 = stats[2 * slot];
    const s1 = stats[2 * slot + 1];
    const wt = this.wTotal;
    const wl = sideLeft ? w1 : wt - w1;
    const wr = sideLeft ? wt - w1 : w1;
    if (wl < limits.minWeightLeaf || wr < limits.minWeightLeaf) return -Infinity;
    const sl = sideLeft ? s1 : this.sumTotal - s1;
    const sr = sideLeft ? this.sumTotal - s1 : s1;
    return (sl * sl) / wl + (sr * sr) / wr;
  }

  childrenImpurity(samples: Int32Array, start: number, pos: number, end: number): { left: number; right: number; weightLeft: number; weightRight: number } {
    let sl = 0;
    let sq = 0;
    let wl = 0;
    const yw = this.yw;
    for (let p = start; p < pos; p++) {
      const j = 2 * samples[p];
      const ws = yw[j + 1];
      sl += ws * yw[j];
      sq += ws * yw[j] * yw[j];
      wl += ws;
    }
    const wr = this.wTotal - wl;
    const sr = this.sumTotal - sl;
    const ml = sl / wl;
    const mr = sr / wr;
    return { left: sq / wl - ml * ml, right: (this.sqTotal - sq) / wr - mr * mr, weightLeft: wl, weightRight: wr };
  }
}
