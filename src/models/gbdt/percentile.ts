/**
 * Quantiles for the median- and quantile-based losses, as scikit-learn computes them: without
 * weights, NumPy's default linearly interpolated percentile; with weights, the smallest value
 * whose cumulative weight reaches q·(total weight) (`_weighted_percentile`).
 */

/** The q-quantile (0 ≤ q ≤ 1) of `values`, optionally weighted. Empty input gives 0. */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number> | null, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  if (!weights) {
    const s = Float64Array.from(values).sort();
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const v = values;
  order.sort((a, b) => v[a] - v[b] || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[order[i]];
  let target = q * total;
  if (target === 0) target = Number.MIN_VALUE;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += weights[order[i]];
    if (cum >= target) return v[order[i]];
  }
  return v[order[n - 1]];
}
