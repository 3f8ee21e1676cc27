/**
 * Quantiles, percentiles and medians — the one implementation every Keel module uses, with the
 * definitions of the libraries Keel is checked against:
 * - `percentile` / `quantile` (and their `…Sorted` forms): NumPy's `np.percentile` /
 *   `np.quantile` with the methods "linear" (the default; Hyndman & Fan 1996, definition 7),
 *   "lower", "higher", "nearest" and "midpoint" — the same virtual index (n − 1)·q and the same
 *   interpolation arithmetic (NumPy's `_lerp`), so results agree to the last bit;
 * - `median`: `np.median` (the mean of the two middle values for an even count);
 * - `weightedPercentile`: scikit-learn's `_weighted_percentile` (the smallest value whose
 *   cumulative weight reaches q/100 of the total; no interpolation);
 * - `weightedMedianSorted`: the weighted median of scikit-learn's tree criteria (the midpoint
 *   of two values when the cumulative weight is exactly half).
 * Inputs hold no NaN (use `withoutNaN` first); an empty input gives NaN. Unsorted inputs are
 * reduced by selection in O(n), not by sorting.
 */

/** NumPy's percentile methods Keel uses. */
export type PercentileMethod = "linear" | "lower" | "higher" | "nearest" | "midpoint";

/**
 * The non-NaN values of `values`, in their order (a new array).
 * @example
 * ```ts
 * withoutNaN([1, NaN, 3]); // Float64Array [1, 3]
 * ```
 */
export function withoutNaN(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = new Float64Array(n);
  let o = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) out[o++] = v;
  }
  return out;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` values, as `np.quantile(sorted, q, method=…)`.
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number, method: PercentileMethod = "linear"): number {
  return atFraction(sorted, null, q, method);
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of ascending `sorted` values, as `np.percentile(sorted, p, method=…)`
 * (which divides p by 100 first, so `percentileSorted(x, 100·q)` can differ from
 * `quantileSorted(x, q)` in the last bit, as in NumPy).
 * @example
 * ```ts
 * percentileSorted([1, 2, 3, 4], 50); // 2.5
 * percentileSorted([1, 2, 3, 4], 50, "midpoint"); // 2.5
 * ```
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number, method: PercentileMethod = "linear"): number {
  return atFraction(sorted, null, p / 100, method);
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of unsorted values without NaN, as `np.percentile(values, p, method=…)`;
 * `values` is not modified. O(n) expected (selection on a copy).
 * @example percentile(Float64Array.of(3, 1, 4, 1, 5), 25) // 1
 */
export function percentile(values: ArrayLike<number>, p: number, method: PercentileMethod = "linear"): number {
  const a = Float64Array.from(values);
  return atFraction(a, a, p / 100, method);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of unsorted values without NaN, as `np.quantile(values, q, method=…)`; `values` is not modified.
 * @example
 * ```ts
 * quantile([4, 1, 3, 2], 0.25); // 1.75, as np.quantile
 * ```
 */
export function quantile(values: ArrayLike<number>, q: number, method: PercentileMethod = "linear"): number {
  const a = Float64Array.from(values);
  return atFraction(a, a, q, method);
}

/**
 * The median of values without NaN, as `np.median`: the middle value, or for an even count the
 * mean (a + b) / 2 of the two middle ones (which can differ in the last bit from the 50th
 * percentile). `values` is not modified; NaN if empty.
 * @example median(Float64Array.of(4, 1, 3, 2)) // 2.5
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(values);
  const h = n >> 1;
  if (n % 2 === 1) return selectKth(a, h);
  const x = selectKth(a, h - 1);
  return (x + minFrom(a, h)) / 2;
}

/**
 * scikit-learn's `_weighted_percentile(values, weights, p)` (0 ≤ p ≤ 100): order the values,
 * accumulate their weights, and return the first value whose cumulative weight reaches
 * (p / 100)·(total weight) — no interpolation; at p = 0 leading zero weights are skipped (the
 * target is nudged to the smallest positive double, as scikit-learn does). NaN if empty.
 * @example weightedPercentile(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 2), 50) // 2
 */
export function weightedPercentile(values: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const cdf = new Float64Array(n);
  let s = 0;
  for (let k = 0; k < n; k++) cdf[k] = s += weights[order[k]];
  let target = (p / 100) * s;
  if (target === 0) target = Number.MIN_VALUE;
  // first k with cdf[k] ≥ target (NumPy's searchsorted, side "left"), clipped to the last
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return values[order[Math.min(lo, n - 1)]];
}

/**
 * The weighted median of values already sorted ascending (the first `n`), as scikit-learn's
 * tree criteria define it (`WeightedMedianCalculator`): with cumulative weights c_k, the first
 * value whose c_k reaches half the total — or, when c_k is exactly half, the midpoint of it and
 * the next value. NaN if empty.
 * @example
 * ```ts
 * weightedMedianSorted([1, 2, 3], [1, 1, 2]); // 2.5: the cumulative weight reaches half at 2
 * ```
 */
export function weightedMedianSorted(sorted: ArrayLike<number>, weights: ArrayLike<number>, n = sorted.length): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const half = total / 2;
  let c = 0;
  for (let k = 0; k < n; k++) {
    c += weights[k];
    if (c >= half) return c === half && k + 1 < n ? (sorted[k] + sorted[k + 1]) / 2 : sorted[k];
  }
  return n > 0 ? sorted[n - 1] : NaN;
}

/**
 * Reorder `a` in place so that a[k] is the k-th smallest value, everything before it ≤ a[k] and
 * everything after it ≥ a[k]; returns a[k]. Quickselect (Hoare, "Algorithm 65: find", 1961) with
 * median-of-three pivots, falling back to sorting a range that stops shrinking fast: O(n) expected.
 * @example
 * ```ts
 * selectKth(Float64Array.of(5, 1, 4, 2), 1); // 2
 * ```
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0 || hi - lo < 16) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The smallest of a[from..]. */
function minFrom(a: Float64Array, from: number): number {
  let m = Infinity;
  for (let i = from; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

/**
 * NumPy's `_quantile` at fraction q: `sorted` when the data are sorted, else `work` (a scratch
 * copy, reordered by selection). Virtual index (n − 1)·q; "lower"/"higher"/"nearest" take one
 * order statistic (nearest rounds half to even, as `np.around`); "linear" and "midpoint" blend
 * the two neighbours with NumPy's `_lerp`: a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5.
 */
function atFraction(sorted: ArrayLike<number>, work: Float64Array | null, q: number, method: PercentileMethod): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = (k: number): number => (work ? selectKth(work, k) : sorted[k]);
  const v = (n - 1) * q;
  switch (method) {
    case "lower":
      return at(clampIndex(Math.floor(v), n));
    case "higher":
      return at(clampIndex(Math.ceil(v), n));
    case "nearest":
      return at(clampIndex(roundHalfEven(v), n));
  }
  let index = v;
  let t: number;
  if (method === "midpoint") {
    index = 0.5 * (Math.floor(v) + Math.ceil(v));
    t = index % 1 === 0 ? 0 : 0.5;
  } else t = NaN;
  let lo = Math.floor(index);
  let hi = lo + 1;
  if (index >= n - 1) lo = hi = n - 1;
  else if (index < 0) lo = hi = 0;
  if (method === "linear") t = index - lo;
  const a = at(lo);
  const b = hi === lo ? a : work ? minFrom(work, hi) : sorted[hi];
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

function clampIndex(k: number, n: number): number {
  return k < 0 ? 0 : k > n - 1 ? n - 1 : k;
}

/** Round to the nearest integer, halves to even (`np.around`). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
