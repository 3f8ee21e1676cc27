/**
 * The decision threshold of least misclassification cost for binary predictions "positive when
 * score ≥ threshold": total cost = c_FP · FP + c_FN · FN (Elkan, "The foundations of cost-sensitive
 * learning", IJCAI 2001), tried at every distinct score and at +∞ (predicting no positive), in one
 * pass over the scores sorted once.
 */
import { InvalidInputError, show } from "../core/errors.js";
import { binaryCurve, binaryInput } from "./binary-curve.js";
import type { Numbers, WeightOption } from "./check.js";

export interface CostThresholdOptions extends WeightOption {
  /** Cost of a false positive (> 0). */
  fp: number;
  /** Cost of a false negative (> 0). */
  fn: number;
  /** Positive class code (default 1; then codes must be 0/1). */
  posLabel?: number;
}

export interface CostThreshold {
  /** Predict positive when score ≥ threshold (+∞: never). */
  readonly threshold: number;
  /** Total cost at that threshold: c_FP · FP + c_FN · FN (weighted counts with weights). */
  readonly cost: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/**
 * The threshold of least total cost; of equally costly thresholds, the highest.
 *
 * @example
 * lowestCostThreshold([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], { fp: 1, fn: 5 }); // threshold 0.4: one false positive (cost 1)
 */
export function lowestCostThreshold(yTrue: Numbers, score: Numbers, options: CostThresholdOptions): CostThreshold {
  for (const k of ["fp", "fn"] as const) {
    const c = options[k];
    if (typeof c !== "number" || !(c > 0) || !Number.isFinite(c)) {
      throw new InvalidInputError(`the cost of a ${k === "fp" ? "false positive" : "false negative"} (${k}) is ${show(c)}; expected a finite number > 0`, { path: k, expected: "a finite number > 0", received: c });
    }
  }
  const { fps, tps, thresholds } = binaryCurve(binaryInput(yTrue, score, options.sampleWeight, options.posLabel));
  const m = fps.length;
  const P = m > 0 ? tps[m - 1] : 0;
  const N = m > 0 ? fps[m - 1] : 0;
  let best: CostThreshold = { threshold: Infinity, cost: options.fn * P, tp: 0, fp: 0, tn: N, fn: P };
  for (let j = 0; j < m; j++) {
    const cost = options.fp * fps[j] + options.fn * (P - tps[j]);
    if (cost < best.cost) best = { threshold: thresholds[j], cost, tp: tps[j], fp: fps[j], tn: N - fps[j], fn: P - tps[j] };
  }
  return best;
}
