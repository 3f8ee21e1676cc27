/**
 * Column statistics with NumPy's definitions, NaN ignored: mean, population variance (the
 * corrected two-pass algorithm scikit-learn uses: Chan, Golub & LeVeque, "Algorithms for
 * computing the sample variance", Am. Stat. 1983), median and percentiles with NumPy's default
 * "linear" method (Hyndman & Fan type 7), found by selection in O(n) rather than by sorting.
 */

/** The non-NaN values of `values`, in their order (a new array). */
export function finiteCopy(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = new Float64Array(n);
  let o = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[o++] = values[i];
  return out;
}

/** The non-NaN values of `values`, sorted ascending (a new array). */
export function sortedFinite(values: Float64Array): Float64Array {
  return finiteCopy(values).sort();
}

/**
 * Reorder `a` in place so that a[k] is the k-th smallest value, everything before it ≤ a[k] and
 * everything after it ≥ a[k]; returns a[k]. Quickselect (Hoare, "Algorithm 65: find", 1961) with
 * median-of-three pivots, falling back to sorting a range that stops shrinking fast: O(n) expected.
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
    // median of three to a[mid]
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
 * The q-th percentile (q in [0, 100]) of the values in `a` (no NaN; reordered in place), as
 * `np.percentile(..., method="linear")`: virtual index (n − 1)·q/100, then NumPy's `_lerp`
 * (which interpolates from the upper neighbour when the weight is ≥ 0.5). NaN if empty.
 */
export function percentileOf(a: Float64Array, q: number): number {
  const n = a.length;
  if (n === 0) return NaN;
  const virtual = (n - 1) * (q / 100);
  const lo = Math.floor(virtual);
  if (lo >= n - 1) return selectKth(a, n - 1);
  if (lo < 0) return selectKth(a, 0);
  const t = virtual - lo;
  const x = selectKth(a, lo);
  const y = minFrom(a, lo + 1);
  const diff = y - x;
  return t >= 0.5 ? y - diff * (1 - t) : x + diff * t;
}

/** The median of the values in `a` (no NaN; reordered in place): the mean of the two middle ones for an even count; NaN if empty. */
export function medianOf(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  if (n % 2 === 1) return selectKth(a, h);
  const x = selectKth(a, h - 1);
  return (x + minFrom(a, h)) / 2;
}

export interface MeanVar {
  mean: number;
  /** Population variance (ddof = 0). */
  variance: number;
  /** Non-NaN values (or their total weight). */
  count: number;
}

/**
 * Mean and population variance ignoring NaN, optionally weighted: mean = Σw·x / Σw, variance by
 * the corrected two-pass formula (Σw·(x−m)² − (Σw·(x−m))² / Σw) / Σw.
 */
export function meanVariance(values: Float64Array, weights?: Float64Array): MeanVar {
  let sum = 0;
  let count = 0;
  const n = values.length;
  if (weights) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === v) {
        sum += weights[i] * v;
        count += weights[i];
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === v) {
        sum += v;
        count++;
      }
    }
  }
  if (count === 0) return { mean: NaN, variance: NaN, count: 0 };
  const mean = sum / count;
  let corr = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === v) {
      const d = v - mean;
      const w = weights ? weights[i] : 1;
      corr += w * d;
      sq += w * d * d;
    }
  }
  return { mean, variance: (sq - (corr * corr) / count) / count, count };
}
