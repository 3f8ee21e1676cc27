/**
 * Brute-force k-nearest-neighbour search with partial selection: for each query row, distances
 * to every training row are computed in one pass over a row-major copy of the training data and
 * the k best are kept in a bounded max-heap (O(n log k) per query, no per-row allocation). A row
 * replaces the heap's worst only when strictly closer, so among equal distances the smaller
 * training index wins — scikit-learn's tie rule. The distance loop stops early once the partial
 * sum exceeds the current k-th best. Metrics: Euclidean, Manhattan and Minkowski-p (compared on
 * Σ|d|ᵖ, converted at the end).
 */

import { KdTree } from "./kd-tree.js";

export type Metric = "euclidean" | "manhattan" | "minkowski";

/** Dimensions up to which the k-d tree is used (beyond, boxes prune too little: brute force). */
const TREE_MAX_DIM = 15;
/** Training rows from which building a tree pays. */
const TREE_MIN_ROWS = 512;

/**
 * The search structure over a training matrix: a k-d tree in few dimensions, brute force
 * otherwise. Both give identical neighbours (ties to the smaller index). The tree is built on
 * first use.
 */
export class NeighborIndex {
  private tree: KdTree | null = null;
  constructor(readonly train: Float64Array, readonly n: number, readonly d: number) {}

  /** Whether queries go through the k-d tree. */
  get usesTree(): boolean {
    return this.d > 0 && this.d <= TREE_MAX_DIM && this.n >= TREE_MIN_ROWS;
  }

  search(query: Float64Array, m: number, k: number, power: number): NeighborResult {
    if (!this.usesTree) return kNearest(this.train, this.n, query, m, this.d, k, power);
    this.tree ??= new KdTree(this.train, this.n, this.d);
    const index = new Int32Array(m * k);
    const distance = new Float64Array(m * k);
    for (let q = 0; q < m; q++) this.tree.query(query, q, k, power, index, distance);
    return { index, distance };
  }
}

export interface NeighborResult {
  /** Training indices, row-major queries × k, nearest first (ties by index). */
  index: Int32Array;
  /** Distances, same layout. */
  distance: Float64Array;
}

/**
 * The k nearest training rows of every query row.
 * @param train row-major n×d training matrix
 * @param query row-major m×d query matrix
 * @param power Minkowski p (2 = Euclidean, 1 = Manhattan)
 */
export function kNearest(train: Float64Array, n: number, query: Float64Array, m: number, d: number, k: number, power: number): NeighborResult {
  const index = new Int32Array(m * k);
  const distance = new Float64Array(m * k);
  const hd = new Float64Array(k); // heap of "reduced" distances (max at 0)
  const hi = new Int32Array(k);
  const p = power;
  const kind = p === 2 ? 2 : p === 1 ? 1 : 0;
  for (let q = 0; q < m; q++) {
    const qo = q * d;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const to = i * d;
      const bound = size === k ? hd[0] : Infinity;
      let s = 0;
      if (kind === 2) {
        for (let j = 0; j < d; j++) {
          const t = train[to + j] - query[qo + j];
          s += t * t;
          if (s > bound) break;
        }
      } else if (kind === 1) {
        for (let j = 0; j < d; j++) {
          s += Math.abs(train[to + j] - query[qo + j]);
          if (s > bound) break;
        }
      } else {
        for (let j = 0; j < d; j++) {
          s += Math.abs(train[to + j] - query[qo + j]) ** p;
          if (s > bound) break;
        }
      }
      if (size < k) {
        // sift up
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
      } else if (s < hd[0]) {
        // replace the root and sift down
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= k) break;
          const r = l + 1;
          const big = r < k && worse(hd[r], hi[r], hd[l], hi[l]) ? r : l;
          if (!worse(hd[big], hi[big], s, i)) break;
          hd[c] = hd[big];
          hi[c] = hi[big];
          c = big;
        }
        hd[c] = s;
        hi[c] = i;
      }
    }
    // heap → sorted by (distance, index)
    const order = Array.from({ length: size }, (_, t) => t).sort((a, b) => hd[a] - hd[b] || hi[a] - hi[b]);
    for (let t = 0; t < size; t++) {
      const r = hd[order[t]];
      index[q * k + t] = hi[order[t]];
      distance[q * k + t] = kind === 2 ? Math.sqrt(r) : kind === 1 ? r : r ** (1 / p);
    }
  }
  return { index, distance };
}

/** Is (da, ia) a worse neighbour than (db, ib)? Farther, or as far with a larger index. */
function worse(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}

/**
 * Neighbour weights: 1 each (`uniform`), or 1/distance (`distance`); a query with neighbours at
 * distance 0 gives those weight 1 and the others 0, as scikit-learn does.
 */
export function neighborWeights(distance: Float64Array, m: number, k: number, mode: "uniform" | "distance"): Float64Array {
  const w = new Float64Array(m * k);
  if (mode === "uniform") return w.fill(1);
  for (let q = 0; q < m; q++) {
    const o = q * k;
    let zero = false;
    for (let t = 0; t < k; t++) if (distance[o + t] === 0) zero = true;
    for (let t = 0; t < k; t++) w[o + t] = zero ? (distance[o + t] === 0 ? 1 : 0) : 1 / distance[o + t];
  }
  return w;
}
