/**
 * Brier score (Brier 1950) of binary probability forecasts, as scikit-learn 1.2's
 * `brier_score_loss`: the (weighted) mean of (y − p)² with y = 1 for the positive class.
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Numbers, type WeightOption, classCodes, weightTotal, weightsOf } from "./check.js";
import { scoresOf } from "./binary-curve.js";

/** Options of `brierScore`. */
export interface BrierOptions extends WeightOption {
  /** Positive class code (default 1 when codes are 0/1, else the largest code present). */
  posLabel?: number;
}

/**
 * Brier score: the mean squared difference between the positive-class probability and the outcome (Brier 1950); lower is better.
 * @param proba the positive-class probability per row (a rows × 2 matrix is read as its second column).
 * @example
 * ```ts
 * brierScore([0, 1], [0.1, 0.8]); // (0.01 + 0.04) / 2
 * ```
 */
export function brierScore(yTrue: Numbers, proba: Numbers, options: BrierOptions = {}): number {
  const y = classCodes(yTrue, "y_true");
  const n = y.length;
  const p = scoresOf(proba, n, "y_prob");
  const w = weightsOf(options.sampleWeight, n);
  const present = new Set<number>();
  for (let i = 0; i < n; i++) present.add(y[i]);
  if (present.size > 2) {
    throw new InvalidInputError(`y_true holds ${present.size} classes; the Brier score here is for binary targets only`, { path: "y_true", expected: "at most two classes", received: [...present].sort((a, b) => a - b) });
  }
  for (let i = 0; i < n; i++) {
    if (p[i] > 1 || p[i] < 0) throw new InvalidInputError(`y_prob[${i}] is ${show(p[i])}; probabilities must be in [0, 1]`, { path: `y_prob[${i}]`, expected: "a number in [0, 1]", received: p[i] });
  }
  let pos = options.posLabel;
  if (pos === undefined) pos = [...present].every((c) => c === 0 || c === 1) ? 1 : Math.max(...present);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = (y[i] === pos ? 1 : 0) - p[i];
    sum += w ? w[i] * d * d : d * d;
  }
  return sum / weightTotal(w, n);
}
