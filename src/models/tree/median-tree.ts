/**
 * A Fenwick (binary indexed) tree over a node's rows ranked by target value, holding weights and
 * weight × target, so the weighted median of the rows inserted so far and their absolute
 * deviation from it come in O(log n) per query (Fenwick, "A new data structure for cumulative
 * frequency tables", 1994). The median is scikit-learn's tree-criterion one, as
 * `weightedMedianSorted` in core/quantile: with values sorted and cumulative weights c_k, take
 * the smallest k with c_k ≥ W/2; if c_k = W/2 exactly it is the midpoint of the k-th and
 * (k+1)-th values, else the k-th value.
 */
export class MedianTree {
  private fw: Float64Array;
  private fs: Float64Array;
  private size = 0;
  private top = 1;
  /** Sorted target values and weights, by rank (shared with the criterion, not owned). */
  private vy: Float64Array = new Float64Array(0);
  private vw: Float64Array = new Float64Array(0);
  totalWeight = 0;
  totalSum = 0;

  constructor(capacity: number) {
    this.fw = new Float64Array(capacity + 1);
    this.fs = new Float64Array(capacity + 1);
  }

  /** Empty the tree for ranks 0..size−1 with values `vy` and weights `vw` (by rank). */
  reset(size: number, vy: Float64Array, vw: Float64Array): void {
    if (size + 1 > this.fw.length) {
      this.fw = new Float64Array(size + 1);
      this.fs = new Float64Array(size + 1);
    } else {
      this.fw.fill(0, 0, size + 1);
      this.fs.fill(0, 0, size + 1);
    }
    this.size = size;
    this.top = 1;
    while (this.top * 2 <= size) this.top *= 2;
    this.vy = vy;
    this.vw = vw;
    this.totalWeight = 0;
    this.totalSum = 0;
  }

  add(rank: number): void {
    const w = this.vw[rank];
    const s = w * this.vy[rank];
    this.totalWeight += w;
    this.totalSum += s;
    for (let i = rank + 1; i <= this.size; i += i & -i) {
      this.fw[i] += w;
      this.fs[i] += s;
    }
  }

  /** Σ w |y − median| over the inserted rows (0 when empty). */
  absDeviation(): number {
    const W = this.totalWeight;
    if (W <= 0) return 0;
    const half = W / 2;
    const fw = this.fw;
    const fs = this.fs;
    const n = this.size;
    let pos = 0;
    let accW = 0;
    let accS = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      const nx = pos + step;
      if (nx <= n && accW + fw[nx] < half) {
        pos = nx;
        accW += fw[nx];
        accS += fs[nx];
      }
    }
    // rank `pos` is the first whose cumulative weight reaches half
    const cw = accW + this.vw[pos];
    const cs = accS + this.vw[pos] * this.vy[pos];
    let med = this.vy[pos];
    if (cw === half) {
      // split median: the next inserted value above
      let p2 = 0;
      let a2 = 0;
      for (let step = this.top; step > 0; step >>= 1) {
        const nx = p2 + step;
        if (nx <= n && a2 + fw[nx] <= half) {
          p2 = nx;
          a2 += fw[nx];
        }
      }
      if (p2 < n) med = (this.vy[pos] + this.vy[p2]) / 2;
    }
    return med * cw - cs + (this.totalSum - cs) - med * (W - cw);
  }
}
