/**
 * A k-d tree for exact k-nearest-neighbour queries in few dimensions (Bentley, "Multidimensional
 * binary search trees used for associative searching", CACM 1975; Friedman, Bentley & Finkel,
 * ACM TOMS 1977). Nodes split the widest dimension at the median (quickselect) down to leaves of
 * `LEAF` rows, and keep their bounding boxes; a query visits the nearer child first and skips a
 * node only when its box is strictly farther than the current k-th neighbour, so rows at an
 * equal distance are still compared and ties go to the smaller training index — the same answer
 * as the brute-force search, in O(log n) per query on well-spread data.
 */

const LEAF = 24;

export class KdTree {
  /** Training row indices, permuted so each node owns a contiguous range. */
  private readonly perm: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** Bounding boxes, node-major: lo at [node·d + j], hi likewise. */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private nodes = 0;

  constructor(private readonly data: Float64Array, n: number, private readonly d: number) {
    this.perm = Int32Array.from({ length: n }, (_, i) => i);
    const cap = Math.max(1, 2 * Math.ceil(n / LEAF) + 1) * 2;
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.left = new Int32Array(cap).fill(-1);
    this.right = new Int32Array(cap).fill(-1);
    this.lo = new Float64Array(cap * d);
    this.hi = new Float64Array(cap * d);
    this.build(0, n);
  }

  private build(from: number, to: number): number {
    const node = this.nodes++;
    const { d, data, perm } = this;
    this.start[node] = from;
    this.end[node] = to;
    let widest = 0;
    let width = -1;
    for (let j = 0; j < d; j++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let t = from; t < to; t++) {
        const v = data[perm[t] * d + j];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      this.lo[node * d + j] = mn;
      this.hi[node * d + j] = mx;
      if (mx - mn > width) {
        width = mx - mn;
        widest = j;
      }
    }
    if (to - from > LEAF && width > 0) {
      const mid = (from + to) >> 1;
      this.select(from, to - 1, mid, widest);
      this.left[node] = this.build(from, mid);
      this.right[node] = this.build(mid, to);
    }
    return node;
  }

  /** Quickselect on perm[from..to] by dimension j so that position k holds its order statistic. */
  private select(from: number, to: number, k: number, j: number): void {
    const { d, data, perm } = this;
    while (to > from) {
      const pivot = data[perm[(from + to) >> 1] * d + j];
      let a = from;
      let b = to;
      while (a <= b) {
        while (data[perm[a] * d + j] < pivot) a++;
        while (data[perm[b] * d + j] > pivot) b--;
        if (a <= b) {
          const t = perm[a];
          perm[a] = perm[b];
          perm[b] = t;
          a++;
          b--;
        }
      }
      if (k <= b) to = b;
      else if (k >= a) from = a;
      else return;
    }
  }

  /**
   * The k nearest rows of `query` (row q of a row-major matrix), written sorted into
   * index/distance at offset q·k. `power` is the Minkowski p.
   */
  query(query: Float64Array, q: number, k: number, power: number, index: Int32Array, distance: Float64Array): void {
    const { d, data, perm } = this;
    const qo = q * d;
    const hd = new Float64Array(k);
    const hi = new Int32Array(k);
    let size = 0;
    const kind = power === 2 ? 2 : power === 1 ? 1 : 0;
    const stack: number[] = [0];
    const stackDist: number[] = [0];
    const boxDist = (node: number): number => {
      let s = 0;
      const o = node * d;
      for (let j = 0; j < d; j++) {
        const v = query[qo + j];
        const gap = v < this.lo[o + j] ? this.lo[o + j] - v : v > this.hi[o + j] ? v - this.hi[o + j] : 0;
        s += kind === 2 ? gap * gap : kind === 1 ? gap : gap ** power;
      }
      return s;
    };
    while (stack.length > 0) {
      const node = stack.pop()!;
      const nd = stackDist.pop()!;
      if (size === k && nd > hd[0]) continue;
      const l = this.left[node];
      if (l >= 0) {
        const r = this.right[node];
        const dl = boxDist(l);
        const dr = boxDist(r);
        // push the farther child first so the nearer is searched first
        if (dl <= dr) {
          stack.push(r, l);
          stackDist.push(dr, dl);
        } else {
          stack.push(l, r);
          stackDist.push(dl, dr);
        }
        continue;
      }
      for (let t = this.start[node]; t < this.end[node]; t++) {
        const i = perm[t];
        const to = i * d;
        const bound = size === k ? hd[0] : Infinity;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = data[to + j] - query[qo + j];
          s += kind === 2 ? diff * diff : kind === 1 ? Math.abs(diff) : Math.abs(diff) ** power;
          if (s > bound) break;
        }
        if (size < k) {
          let c = size++;
          while (c > 0) {
            const parent = (c - 1) >> 1;
            if (worse(hd[parent], hi[parent], s, i)) break;
            hd[c] = hd[parent];
            hi[c] = hi[parent];
            c = parent;
          }
          hd[c] = s;
          hi[c] = i;
        } else if (worse(hd[0], hi[0], s, i)) {
          let c = 0;
          for (;;) {
            const a = 2 * c + 1;
            if (a >= k) break;
            const b = a + 1;
            const big = b < k && worse(hd[b], hi[b], hd[a], hi[a]) ? b : a;
            if (!worse(hd[big], hi[big], s, i)) break;
            hd[c] = hd[big];
            hi[c] = hi[big];
            c = big;
          }
          hd[c] = s;
          hi[c] = i;
        }
      }
    }
    const order = Array.from({ length: size }, (_, t) => t).sort((a, b) => hd[a] - hd[b] || hi[a] - hi[b]);
    for (let t = 0; t < size; t++) {
      const r = hd[order[t]];
      index[q * k + t] = hi[order[t]];
      distance[q * k + t] = kind === 2 ? Math.sqrt(r) : kind === 1 ? r : r ** (1 / power);
    }
  }
}

function worse(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}
