/**
 * Median absolute error, robust to outliers (scikit-learn's `median_absolute_error`). Without
 * weights, `np.median` of |y − ŷ| (the mean of the two middle values for an even count); with
 * weights, scikit-learn's `_weighted_percentile` at 50: the smallest error whose cumulative weight
 * (errors sorted ascending) reaches half the total weight.
 */
import { median, weightedPercentile } from "../core/index.js";
import { type Numbers, type WeightOption, weightTotal } from "./check.js";
import { regressionPair } from "./regression.js";

/**
 * Median of |y − ŷ| (weighted median with sample weights), robust to outliers.
 * @example
 * ```ts
 * medianAbsoluteError([3, 5, 2], [2.5, 5, 4]); // 0.5
 * ```
 */
export function medianAbsoluteError(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) err[i] = Math.abs(p[i] - y[i]);
  if (!w) {
    weightTotal(null, n);
    return median(err);
  }
  return weightedPercentile(err, w, 50);
}
