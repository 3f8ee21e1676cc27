/**
 * Gini impurity and entropy (log loss) for classification trees (Breiman et al., "Classification
 * and Regression Trees", 1984, ch. 4; Quinlan's information gain), over weighted class counts:
 * gini = 1 − Σ_c p_c², entropy = −Σ_c p_c log₂ p_c. The scan's proxy is scikit-learn's:
 * −N_R · impurity_R − N_L · impurity_L (larger is better), computed with the same formulas so
 * that ties break the same way.
 */
import { type Criterion, FEATURE_THRESHOLD, type ScanLimits, type SortedRows } from "./criterion.js";

const LN2 = Math.log(2);

export class ClassificationCriterion implements Criterion {
  /** Class index and weight of row i at 2i and 2i + 1. */
  private readonly yw: Float64Array;
  private readonly k: number;
  private readonly entropy: boolean;
  private readonly total: Float64Array;
  private readonly left: Float64Array;
  private readonly missing: Float64Array;
  private wTotal = 0;
  foundProxy = -Infinity;
  foundPos = 0;
  foundMissingLeft = false;

  /** @param yw class index and weight of each row, interleaved; @param k number of classes. */
  constructor(yw: Float64Array, k: number, entropy: boolean) {
    this.yw = yw;
    this.k = k;
    this.entropy = entropy;
    this.total = new Float64Array(k);
    this.left = new Float64Array(k);
    this.missing = new Float64Array(k);
  }

  init(samples: Int32Array, start: number, end: number): number {
    const t = this.total;
    t.fill(0);
    let wt = 0;
    const yw = this.yw;
    for (let p = start; p < end; p++) {
      const j = 2 * samples[p];
      const ws = yw[j + 1];
      t[yw[j] | 0] += ws;
      wt += ws;
    }
    this.wTotal = wt;
    return wt;
  }

  nodeImpurity(): number {
    return this.impurityOf(this.total, null, this.wTotal);
  }

  nodeValue(out: Float64Array, offset: number): void {
    let sum = 0;
    for (let c = 0; c < this.k; c++) sum += this.total[c];
    for (let c = 0; c < this.k; c++) out[offset + c] = sum > 0 ? this.total[c] / sum : 1 / this.k;
  }

  /** Impurity of counts `a` (+ `b` when given) with total weight `wt`. */
  private impurityOf(a: Float64Array, b: Float64Array | null, wt: number): number {
    const k = this.k;
    if (this.entropy) {
      let e = 0;
      for (let c = 0; c < k; c++) {
        let v = b ? a[c] + b[c] : a[c];
        if (v > 0) {
          v /= wt;
          e -= v * (Math.log(v) / LN2);
        }
      }
      return e;
    }
    let sq = 0;
    for (let c = 0; c < k; c++) {
      const v = b ? a[c] + b[c] : a[c];
      sq += v * v;
    }
    return 1 - sq / (wt * wt);
  }

  /** Impurity of the right side: total − left (− missing when missing goes left). */
  private rightImpurity(withMissing: boolean, wr: number): number {
    const k = this.k;
    const t = this.total;
    const l = this.left;
    const m = this.missing;
    if (this.entropy) {
      let e = 0;
      for (let c = 0; c < k; c++) {
        let v = t[c] - (withMissing ? l[c] + m[c] : l[c]);
        if (v > 0) {
          v /= wr;
          e -= v * (Math.log(v) / LN2);
        }
      }
      return e;
    }
    let sq = 0;
    for (let c = 0; c < k; c++) {
      const v = t[c] - (withMissing ? l[c] + m[c] : l[c]);
      sq += v * v;
    }
    return 1 - sq / (wr * wr);
  }

  private proxy(withMissing: boolean, wl: number, wr: number): number {
    if (!this.entropy) {
      // gini, inlined; the same operations in the same order as impurityOf / rightImpurity
      const k = this.k;
      const l = this.left;
      const t = this.total;
      let sqL = 0;
      let sqR = 0;
      if (withMissing) {
        const m = this.missing;
        for (let c = 0; c < k; c++) {
          const v = l[c] + m[c];
          sqL += v * v;
          const r = t[c] - v;
          sqR += r * r;
        }
      } else {
        for (let c = 0; c < k; c++) {
          const v = l[c];
          sqL += v * v;
          const r = t[c] - v;
          sqR += r * r;
        }
      }
      return -wr * (1 - sqR / (wr * wr)) - wl * (1 - sqL / (wl * wl));
    }
    const il = this.impurityOf(this.left, withMissing ? this.missing : null, wl);
    const ir = this.rightImpurity(withMissing, wr);
    return -wr * ir - wl * il;
  }

  scan(sorted: SortedRows, limits: ScanLimits, bestProxy: number): boolean {
    const { rows, x, at: o, m, nonMissing: mnn } = sorted;
    const yw = this.yw;
    const left = this.left;
    const miss = this.missing;
    left.fill(0);
    miss.fill(0);
    let wm = 0;
    for (let i = mnn; i < m; i++) {
      const j = 2 * rows[o + i];
      miss[yw[j] | 0] += yw[j + 1];
      wm += yw[j + 1];
    }
    const hasMissing = m > mnn;
    const nMissing = m - mnn;
    const { minSamplesLeaf, minWeightLeaf } = limits;
    const wt = this.wTotal;
    let best = bestProxy;
    let found = false;
    let wl = 0;
    for (let i = 0; i < mnn; i++) {
      const j = 2 * rows[o + i];
      const ws = yw[j + 1];
      left[yw[j] | 0] += ws;
      wl += ws;
      const p = i + 1;
      if (p < mnn) {
        if (x[o + p] <= x[o + i] + FEATURE_THRESHOLD) continue;
      } else if (!hasMissing) break;
      // missing rows go right
      if (p >= minSamplesLeaf && m - p >= minSamplesLeaf) {
        const wr = wt - wl;
        if (wl >= minWeightLeaf && wr >= minWeightLeaf) {
          const v = this.proxy(false, wl, wr);
          if (v > best) {
            best = v;
            found = true;
            this.foundPos = p;
            this.foundMissingLeft = false;
          }
        }
      }
      // missing rows go left
      if (hasMissing && p < mnn && p + nMissing >= minSamplesLeaf && mnn - p >= minSamplesLeaf) {
        const wl2 = wl + wm;
        const wr = wt - wl2;
        if (wl2 >= minWeightLeaf && wr >= minWeightLeaf) {
          const v = this.proxy(true, wl2, wr);
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
    const left = this.left;
    left.fill(0);
    this.missing.fill(0);
    let wl = 0;
    const yw = this.yw;
    for (let i = 0; i < leftPresent; i++) {
      const j = 2 * rows[o + i];
      left[yw[j] | 0] += yw[j + 1];
      wl += yw[j + 1];
    }
    if (missingLeft) {
      for (let i = mnn; i < m; i++) {
        const j = 2 * rows[o + i];
        left[yw[j] | 0] += yw[j + 1];
        wl += yw[j + 1];
      }
    }
    const wr = this.wTotal - wl;
    if (wl < limits.minWeightLeaf || wr < limits.minWeightLeaf) return -Infinity;
    return this.proxy(false, wl, wr);
  }

  get sideWidth(): number {
    return this.k;
  }

  accumulate(samples: Int32Array, start: number, end: number, ptr: Int32Array, slots: Int32Array, count: Int32Array, stats: Float64Array, touched: Int32Array): number {
    const yw = this.yw;
    const k = this.k;
    let t = 0;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      const a = ptr[s];
      const b = ptr[s + 1];
      if (a === b) continue;
      const c = yw[2 * s] | 0;
      const w = yw[2 * s + 1];
      for (let j = a; j < b; j++) {
        const q = slots[j];
        if (count[q]++ === 0) touched[t++] = q;
        stats[q * k + c] += w;
      }
    }
    return t;
  }

  sideProxy(stats: Float64Array, slot: number, n1: number, m: number, sideLeft: boolean, limits: ScanLimits): number {
    const nl = sideLeft ? n1 : m - n1;
    if (nl < limits.minSamplesLeaf || m - nl < limits.minSamplesLeaf) return -Infinity;
    const k = this.k;
    const left = this.left;
    const t = this.total;
    let w1 = 0;
    for (let c = 0; c < k; c++) {
      const v = stats[slot * k + c];
      w1 += v;
      left[c] = sideLeft ? v : t[c] - v;
    }
    const wt = this.wTotal;
    const wl = sideLeft ? w1 : wt - w1;
    const wr = sideLeft ? wt - w1 : w1;
    if (wl < limits.minWeightLeaf || wr < limits.minWeightLeaf) return -Infinity;
    return this.proxy(false, wl, wr);
  }

  childrenImpurity(samples: Int32Array, start: number, pos: number, end: number): { left: number; right: number; weightLeft: number; weightRight: number } {
    const left = this.left;
    left.fill(0);
    let wl = 0;
    const yw = this.yw;
    for (let p = start; p < pos; p++) {
      const j = 2 * samples[p];
      left[yw[j] | 0] += yw[j + 1];
      wl += yw[j + 1];
    }
    const wr = this.wTotal - wl;
    return { left: this.impurityOf(left, null, wl), right: this.rightImpurity(false, wr), weightLeft: wl, weightRight: wr };
  }
}
