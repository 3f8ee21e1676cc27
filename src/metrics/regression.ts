/**
 * Regression metrics, as scikit-learn 1.2 defines them (single output), each a (weighted) mean
 * over rows:
 * - MAE = mean |y − ŷ|; MSE = mean (y − ŷ)²; RMSE = √MSE;
 * - R² = 1 − Σw(y − ŷ)² / Σw(y − ȳ)² (1 when both are 0, 0 when only the denominator is; NaN
 *   below two rows);
 * - explained variance = 1 − Var(y − ŷ) / Var(y) (same conventions, without the NaN);
 * - MAPE = mean |y − ŷ| / max(|y|, ε), ε = 2.22e-16 (a fraction, not a percentage);
 * - mean Poisson deviance = mean 2·(y·log(y/ŷ) − y + ŷ), y ≥ 0 and ŷ > 0 (0·log 0 = 0).
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Numbers, type WeightOption, finiteNumbers, sameLength, weightTotal, weightsOf } from "./check.js";

interface Pair {
  y: Float64Array;
  p: Float64Array;
  w: Float64Array | null;
  n: number;
}

export function regressionPair(yTrue: Numbers, yPred: Numbers, sampleWeight?: Numbers): Pair {
  const y = finiteNumbers(yTrue, "y_true");
  const p = finiteNumbers(yPred, "y_pred");
  sameLength(y.length, p.length, "y_true", "y_pred");
  return { y, p, w: weightsOf(sampleWeight, y.length), n: y.length };
}

function weightedMean(n: number, w: Float64Array | null, f: (i: number) => number): number {
  const total = weightTotal(w, n);
  let s = 0;
  if (w) for (let i = 0; i < n; i++) s += w[i] * f(i);
  else for (let i = 0; i < n; i++) s += f(i);
  return s / total;
}

/**
 * Mean absolute error.
 * @example
 * ```ts
 * meanAbsoluteError([3, 5, 2], [2.5, 5, 4]); // ≈ 0.833
 * ```
 */
export function meanAbsoluteError(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  return weightedMean(n, w, (i) => Math.abs(p[i] - y[i]));
}

/**
 * Mean squared error.
 * @example
 * ```ts
 * meanSquaredError([3, 5, 2], [2.5, 5, 4]); // ≈ 1.417
 * ```
 */
export function meanSquaredError(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  return weightedMean(n, w, (i) => (y[i] - p[i]) * (y[i] - p[i]));
}

/**
 * Root mean squared error, in the target's units.
 * @example
 * ```ts
 * rootMeanSquaredError([3, 5, 2], [2.5, 5, 4]); // ≈ 1.190
 * ```
 */
export function rootMeanSquaredError(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred, options));
}

/**
 * Mean absolute percentage error, as a fraction (0.1 = 10 %).
 * @example
 * ```ts
 * meanAbsolutePercentageError([100, 200], [110, 180]); // 0.1
 * ```
 */
export function meanAbsolutePercentageError(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  const eps = Number.EPSILON;
  return weightedMean(n, w, (i) => Math.abs(p[i] - y[i]) / Math.max(Math.abs(y[i]), eps));
}

/** Finish R² or explained variance from numerator and denominator (scikit-learn's force_finite). */
function assemble(num: number, den: number): number {
  if (den !== 0 && num !== 0) return 1 - num / den;
  if (num !== 0 && den === 0) return 0;
  return 1;
}

/**
 * Coefficient of determination R². NaN with fewer than two rows (scikit-learn warns likewise).
 * @example
 * ```ts
 * r2([3, 5, 2, 7], [2.5, 5, 3, 8]);
 * ```
 */
export function r2(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  if (n < 2) return NaN;
  const mean = weightedMean(n, w, (i) => y[i]);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    num += wi * (y[i] - p[i]) * (y[i] - p[i]);
    den += wi * (y[i] - mean) * (y[i] - mean);
  }
  return assemble(num, den);
}

/**
 * Explained variance score.
 * @example
 * ```ts
 * explainedVariance([3, 5, 2, 7], [2.5, 5, 3, 8]);
 * ```
 */
export function explainedVariance(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  const diffMean = weightedMean(n, w, (i) => y[i] - p[i]);
  const num = weightedMean(n, w, (i) => (y[i] - p[i] - diffMean) ** 2);
  const yMean = weightedMean(n, w, (i) => y[i]);
  const den = weightedMean(n, w, (i) => (y[i] - yMean) ** 2);
  return assemble(num, den);
}

/**
 * Mean Poisson deviance, for counts and rates: y ≥ 0, predictions > 0.
 * @example
 * ```ts
 * meanPoissonDeviance([0, 2, 5], [0.5, 2, 4]);
 * ```
 */
export function meanPoissonDeviance(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { y, p, w, n } = regressionPair(yTrue, yPred, options.sampleWeight);
  for (let i = 0; i < n; i++) {
    if (y[i] < 0) throw new InvalidInputError(`y_true[${i}] is ${show(y[i])}; Poisson deviance needs y ≥ 0`, { path: `y_true[${i}]`, expected: "a number ≥ 0", received: y[i] });
    if (!(p[i] > 0)) throw new InvalidInputError(`y_pred[${i}] is ${show(p[i])}; Poisson deviance needs predictions > 0`, { path: `y_pred[${i}]`, expected: "a number > 0", received: p[i] });
  }
  return weightedMean(n, w, (i) => 2 * ((y[i] === 0 ? 0 : y[i] * Math.log(y[i] / p[i])) - y[i] + p[i]));
}
