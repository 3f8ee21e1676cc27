/**
 * Median absolute error, robust to outliers (scikit-learn's `median_absolute_error`). Without
 * weights, the median of |y − ŷ| (the mean of the two middle values for an even count); with
 * weights, scikit-learn's weighted percentile: the smallest error whose cumulative weight (errors
 * sorted ascending) reaches half the total weight.
 */
import type { Numbers, WeightOption } from "./check.js";
import { regressionPair } from "./regression.js";
import { weightTotal } from "./check.js";

export function medianAbsoluteError(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) err[i] = Math.abs(p[i] - y[i]);
  if (!w) {
    weightTotal(null, n);
    err.sort();
    return n % 2 === 1 ? err[(n - 1) / 2] : (err[n / 2 - 1] + err[n / 2]) / 2;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => err[a] - err[b]);
  const cdf = new Float64Array(n);
  let s = 0;
  for (let k = 0; k < n; k++) {
    s += w[order[k]];
    cdf[k] = s;
  }
  let target = 0.5 * s;
  // percentile 0 would pick leading zero weights; scikit-learn nudges the target up
  if (target === 0) target = Number.MIN_VALUE;
  // first k with cdf[k] ≥ target (NumPy's searchsorted, side "left")
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return err[order[Math.min(lo, n - 1)]];
}
