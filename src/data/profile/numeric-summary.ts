/**
 * Summary statistics of a numeric (or datetime) column from its typed array: moments in two
 * passes over a packed copy of the non-missing values, then order statistics, distinct values,
 * top values and the histogram from that copy sorted (typed-array sort, no per-row objects).
 */
import { quantileSorted, withoutNaN } from "../../core/index.js";
import type { Histogram } from "./types.js";

export interface NumericSummary {
  count: number;
  missing: number;
  distinct: number;
  mean: number;
  std: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  skew: number;
  zeros: number;
  /** The most frequent values and their counts, most frequent first (ties: smaller value first). */
  top: { value: number; count: number }[];
  histogram: Histogram | null;
  /** Every non-missing value is a whole number. */
  integer: boolean;
}

/**
 * Mean, sample standard deviation (ddof = 1) and skewness of packed finite values, two-pass.
 * Skew is the adjusted Fisher–Pearson coefficient G1 = n√(n−1)/(n−2) · m3 / m2^1.5 with
 * m2 = Σ(x−x̄)², m3 = Σ(x−x̄)³ — as pandas `Series.skew()`, which also treats |m2|, |m3| < 1e-14
 * as 0 and gives 0 when m2 = 0 and NaN when n < 3.
 * @example
 * ```ts
 * const { mean, std, skew } = moments(Float64Array.of(1, 2, 3, 10));
 * ```
 */
export function moments(x: Float64Array): { mean: number; std: number; skew: number } {
  const n = x.length;
  if (n === 0) return { mean: NaN, std: NaN, skew: NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
  if (Math.abs(m2) < 1e-14) m2 = 0;
  if (Math.abs(m3) < 1e-14) m3 = 0;
  let skew: number;
  if (n < 3) skew = NaN;
  else if (m2 === 0) skew = 0;
  else skew = ((n * Math.sqrt(n - 1)) / (n - 2)) * (m3 / Math.pow(m2, 1.5));
  return { mean, std, skew };
}

/**
 * Number of equal-width bins for a histogram: numpy's "auto" rule, max(Sturges, Freedman–Diaconis),
 * capped at `maxBins`; whole-number columns with a small range get one bin per integer.
 */
export function binCount(sorted: Float64Array, integer: boolean, maxBins: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const min = sorted[0];
  const max = sorted[n - 1];
  if (max === min) return 1;
  const range = max - min;
  if (integer && range + 1 <= maxBins) return range + 1;
  const sturges = Math.ceil(Math.log2(n)) + 1;
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  const fdWidth = (2 * iqr) / Math.cbrt(n);
  const fd = fdWidth > 0 ? Math.ceil(range / fdWidth) : 0;
  return Math.max(1, Math.min(maxBins, Math.max(sturges, fd)));
}

/** Equal-width histogram of ascending finite values over [min, max] (numpy's bin convention). */
export function histogramSorted(sorted: Float64Array, bins: number, integer: boolean): Histogram | null {
  const n = sorted.length;
  if (n === 0 || bins === 0) return null;
  let lo = sorted[0];
  let hi = sorted[n - 1];
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  } else if (integer && hi - lo + 1 === bins) {
    // one bin per integer: centre the bins on the integers
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = new Array<number>(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + b * width;
  edges[bins] = hi;
  const counts = new Array<number>(bins).fill(0);
  let b = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i];
    while (b < bins - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  return { edges, counts };
}

/**
 * Everything the profile says about a numeric or datetime column. `values` is not modified.
 * Cost: one copy and one typed-array sort of the non-missing values.
 */
export function summarizeNumeric(values: Float64Array, options: { topK: number; maxBins: number }): NumericSummary {
  const sorted = withoutNaN(values);
  const count = sorted.length;
  const missing = values.length - count;
  const { mean, std, skew } = moments(sorted);
  sorted.sort();
  let zeros = 0;
  let integer = true;
  let distinct = 0;
  // top-k runs kept in a small array ordered by (count desc, value asc)
  const k = options.topK;
  const topV: number[] = [];
  const topC: number[] = [];
  let i = 0;
  while (i < count) {
    const v = sorted[i];
    let j = i + 1;
    while (j < count && sorted[j] === v) j++;
    const c = j - i;
    distinct++;
    if (v === 0) zeros += c;
    if (integer && !Number.isInteger(v)) integer = false;
    if (topC.length < k || c > topC[topC.length - 1]) {
      let p = topC.length;
      while (p > 0 && topC[p - 1] < c) p--;
      topC.splice(p, 0, c);
      topV.splice(p, 0, v);
      if (topC.length > k) {
        topC.pop();
        topV.pop();
      }
    }
    i = j;
  }
  const bins = binCount(sorted, integer, options.maxBins);
  return {
    count,
    missing,
    distinct,
    mean,
    std,
    skew,
    min: count ? sorted[0] : NaN,
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: count ? sorted[count - 1] : NaN,
    zeros,
    top: topV.map((value, t) => ({ value, count: topC[t] })),
    histogram: histogramSorted(sorted, bins, integer),
    integer: count > 0 && integer,
  };
}
