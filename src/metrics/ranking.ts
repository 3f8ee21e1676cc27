/**
 * Ranking metrics over queries. Inputs are row-major matrices, one row per query and one column
 * per candidate item: `yTrue` holds graded relevance (≥ 0), `score` the model's scores.
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Numbers, type WeightOption, finiteNumbers, sameLength, weightTotal, weightsOf } from "./check.js";

/** Options of the ranking metrics: scores come as queries × `items` (row-major); `k` cuts the ranking. */
export interface RankingOptions extends WeightOption {
  /** Items per query (columns of the row-major matrices). */
  items: number;
  /** Only the top k positions count (default: all items). */
  k?: number;
}

function shapeOf(yTrue: Numbers, score: Numbers, options: RankingOptions, what: string): { y: Float64Array; s: Float64Array; rows: number; items: number; k: number; w: Float64Array | null } {
  const y = finiteNumbers(yTrue, "y_true");
  const s = finiteNumbers(score, "y_score");
  sameLength(y.length, s.length, "y_true", "y_score");
  const items = options.items;
  if (!Number.isInteger(items) || items < 2) {
    throw new InvalidInputError(`items must be an integer ≥ 2 (${what} ranks at least two items per query), got ${show(items)}`, { path: "items", expected: "an integer ≥ 2", received: items });
  }
  if (y.length % items !== 0 || y.length === 0) {
    throw new InvalidInputError(`y_true has ${y.length} values, not a whole number of queries of ${items} items`, { path: "y_true", expected: `a positive multiple of ${items} values`, received: y.length });
  }
  const rows = y.length / items;
  const k = options.k ?? items;
  if (!Number.isInteger(k) || k < 1) throw new InvalidInputError(`k must be an integer ≥ 1, got ${show(k)}`, { path: "k", expected: "an integer ≥ 1", received: k });
  return { y, s, rows, items, k: Math.min(k, items), w: weightsOf(options.sampleWeight, rows) };
}

/** Options of `ndcg`. */
export interface NdcgOptions extends RankingOptions {
  /** Rank tied scores in index order instead of averaging over ties (faster; default false). */
  ignoreTies?: boolean;
}

/**
 * Normalised discounted cumulative gain at k (Järvelin & Kekäläinen, "Cumulated gain-based
 * evaluation of IR techniques", 2002), with scikit-learn's `ndcg_score` semantics: gain = the
 * relevance itself (not 2^rel − 1), discount 1/log₂(rank + 1) for ranks ≤ k; tied scores share
 * the average gain of their group spread over the group's discounts (McSherry & Najork 2008);
 * divided by the ideal DCG at k; a query with no relevant item scores 0; queries averaged with
 * the sample weights. With `ignoreTies`, ties are ranked by the larger item index first, as
 * NumPy's reversed argsort does for short rows.
 * @example
 * ```ts
 * ndcg([3, 2, 0, 0, 1, 2], [0.9, 0.5, 0.1, 0.2, 0.8, 0.3], { items: 3, k: 3 }); // two queries of 3 items
 * ```
 */
export function ndcg(yTrue: Numbers, score: Numbers, options: NdcgOptions): number {
  const { y, s, rows, items, k, w } = shapeOf(yTrue, score, options, "NDCG");
  const discount = new Float64Array(items);
  for (let j = 0; j < items; j++) discount[j] = j < k ? 1 / (Math.log(j + 2) / Math.log(2)) : 0;
  const cum = new Float64Array(items);
  for (let j = 0, acc = 0; j < items; j++) cum[j] = acc += discount[j];
  const order = new Int32Array(items);
  const ideal = new Float64Array(items);
  const groupGain = new Float64Array(items);
  const groupOf = new Int32Array(items);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * items;
    for (let j = 0; j < items; j++) order[j] = j;
    let gain = 0;
    if (options.ignoreTies) {
      order.sort((a, b) => s[base + b] - s[base + a] || b - a);
      for (let j = 0; j < k; j++) gain += discount[j] * y[base + order[j]];
    } else {
      order.sort((a, b) => s[base + b] - s[base + a] || a - b);
      // groups of equal score, best first: average relevance × sum of the group's discounts
      let g = -1;
      for (let j = 0; j < items; j++) {
        if (j === 0 || s[base + order[j]] !== s[base + order[j - 1]]) g++;
        groupOf[order[j]] = g;
      }
      const nGroups = g + 1;
      groupGain.fill(0, 0, nGroups);
      for (let i = 0; i < items; i++) groupGain[groupOf[i]] += y[base + i];
      let start = 0;
      for (let q = 0; q < nGroups; q++) {
        let end = start;
        while (end < items && groupOf[order[end]] === q) end++;
        const size = end - start;
        const discSum = cum[end - 1] - (start > 0 ? cum[start - 1] : 0);
        gain += (groupGain[q] / size) * discSum;
        start = end;
      }
    }
    for (let j = 0; j < items; j++) ideal[j] = y[base + j];
    ideal.sort();
    let best = 0;
    for (let j = 0; j < k; j++) best += discount[j] * ideal[items - 1 - j];
    const value = best === 0 ? 0 : gain / best;
    total += w ? w[r] * value : value;
  }
  return total / weightTotal(w, rows);
}

/**
 * Mean average precision at k. For each query, items are ranked by score, highest first, ties
 * broken by item index (lower first); an item is relevant when its `yTrue` is > 0. With R the
 * query's number of relevant items and rel_j = 1 when the item at rank j is relevant,
 *   AP@k = (1 / min(k, R)) · Σ_{j=1..k} rel_j · (relevant items in the top j) / j,
 * and AP@k = 0 when R = 0. MAP@k is the (sample-weighted) mean of AP@k over queries.
 * @example
 * ```ts
 * mapAtK([1, 0, 1, 0, 0, 1], [0.9, 0.5, 0.1, 0.2, 0.8, 0.3], { items: 3, k: 2 });
 * ```
 */
export function mapAtK(yTrue: Numbers, score: Numbers, options: RankingOptions): number {
  const { y, s, rows, items, k, w } = shapeOf(yTrue, score, options, "MAP@k");
  const order = new Int32Array(items);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * items;
    let R = 0;
    for (let j = 0; j < items; j++) {
      order[j] = j;
      if (y[base + j] > 0) R++;
    }
    let ap = 0;
    if (R > 0) {
      order.sort((a, b) => s[base + b] - s[base + a] || a - b);
      let hits = 0;
      let sum = 0;
      for (let j = 0; j < k; j++) {
        if (y[base + order[j]] > 0) {
          hits++;
          sum += hits / (j + 1);
        }
      }
      ap = sum / Math.min(k, R);
    }
    total += w ? w[r] * ap : ap;
  }
  return total / weightTotal(w, rows);
}
