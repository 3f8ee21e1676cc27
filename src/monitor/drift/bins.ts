/**
 * The bins PSI and Jensen–Shannon compare numeric columns over: the reference's deciles
 * (`np.quantile(reference, [0, 0.1, …, 1])`, NumPy's linear method), with duplicate edges (ties)
 * merged into fewer bins. Bins are [e_k, e_{k+1}) and the last one closed, as `np.histogram`; values
 * outside [e_0, e_last] count in the end bins. A constant reference has one edge and one bin.
 */
import { quantileSorted } from "../../core/index.js";

/** Bins per numeric column before ties merge them. */
export const DRIFT_BINS = 10;

/**
 * The distinct reference deciles (ascending; 1 to 11 edges), from the ascending reference values.
 * @example
 * ```ts
 * const edges = decileEdges(sortFinite([5, 1, 4, 2, 3, 9, 7]).sorted);
 * ```
 */
export function decileEdges(sortedReference: ArrayLike<number>, bins = DRIFT_BINS): number[] {
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const e = quantileSorted(sortedReference, i / bins);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

/**
 * How many values of ascending `sorted` fall in each bin of `edges` (outside values in the end bins).
 * @example
 * ```ts
 * const counts = binCounts([1, 2, 3, 9], [2, 5]); // one count per bin of the edges
 * ```
 */
export function binCounts(sorted: ArrayLike<number>, edges: readonly number[]): Float64Array<ArrayBuffer> {
  const k = Math.max(edges.length - 1, 1);
  const counts = new Float64Array(k);
  let prev = 0;
  for (let b = 0; b < k - 1; b++) {
    const below = lowerBound(sorted, edges[b + 1]);
    counts[b] = below - prev;
    prev = below;
  }
  counts[k - 1] = sorted.length - prev;
  return counts;
}

/** The number of values < x in ascending `a`. */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
