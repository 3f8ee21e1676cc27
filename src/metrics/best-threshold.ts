/**
 * The decision threshold that maximises a metric of binary predictions "positive when
 * score ≥ threshold". Every distinct score is tried (and +∞, predicting no positive), in one pass
 * over the scores sorted once: O(n log n) instead of one metric evaluation per threshold.
 * Youden's J = TPR − FPR (Youden, "Index for rating diagnostic tests", 1950) is maximised at the
 * same threshold as balanced accuracy = (TPR + TNR) / 2.
 */
import { InvalidInputError, show } from "../core/index.js";
import { binaryCurve, binaryInput } from "./binary-curve.js";
import type { Numbers, WeightOption } from "./check.js";

/** A metric `bestThreshold` can maximise. */
export type ThresholdMetric = "f1" | "balanced_accuracy" | "youden" | "accuracy" | "matthews_corrcoef";
/** Every `ThresholdMetric`. */
export const THRESHOLD_METRICS: readonly ThresholdMetric[] = ["f1", "balanced_accuracy", "youden", "accuracy", "matthews_corrcoef"];

/** Options of `bestThreshold`. */
export interface BestThresholdOptions extends WeightOption {
  /** Positive class code (default 1; then codes must be 0/1). */
  posLabel?: number;
}

/** The best threshold, the metric's value there and the confusion counts at it. */
export interface BestThreshold {
  /** Predict positive when score ≥ threshold (+∞: never). */
  readonly threshold: number;
  /** The metric's value at that threshold. */
  readonly value: number;
  readonly metric: ThresholdMetric;
  /** The (weighted) confusion counts at that threshold. */
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/**
 * Value of `metric` from confusion counts (0 where a ratio is 0/0, as scikit-learn's zero_division=0).
 * @example
 * ```ts
 * metricFromCounts("f1", 8, 2, 85, 5); // 2·8 / (2·8 + 2 + 5)
 * ```
 */
export function metricFromCounts(metric: ThresholdMetric, tp: number, fp: number, tn: number, fn: number): number {
  const pos = tp + fn;
  const neg = tn + fp;
  switch (metric) {
    case "f1": {
      const d = 2 * tp + fp + fn;
      return d === 0 ? 0 : (2 * tp) / d;
    }
    case "accuracy":
      return (tp + tn) / (pos + neg);
    case "balanced_accuracy":
    case "youden": {
      const tpr = pos === 0 ? 0 : tp / pos;
      const tnr = neg === 0 ? 0 : tn / neg;
      return metric === "youden" ? tpr + tnr - 1 : (tpr + tnr) / 2;
    }
    case "matthews_corrcoef": {
      const d = (tp + fp) * pos * neg * (tn + fn);
      return d === 0 ? 0 : (tp * tn - fp * fn) / Math.sqrt(d);
    }
  }
}

/**
 * The threshold maximising `metric`. When several thresholds reach the maximum, the highest one
 * is returned (the most conservative positive rule).
 * @example
 * ```ts
 * const { threshold, value } = bestThreshold([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], "f1");
 * ```
 */
export function bestThreshold(yTrue: Numbers, score: Numbers, metric: ThresholdMetric, options: BestThresholdOptions = {}): BestThreshold {
  if (!THRESHOLD_METRICS.includes(metric)) {
    throw new InvalidInputError(`unknown threshold metric ${show(metric)}; choose one of ${THRESHOLD_METRICS.join(", ")}`, { path: "metric", expected: THRESHOLD_METRICS.join(" | "), received: metric });
  }
  const input = binaryInput(yTrue, score, options.sampleWeight, options.posLabel);
  const { fps, tps, thresholds } = binaryCurve(input);
  const m = fps.length;
  const P = m > 0 ? tps[m - 1] : 0;
  const N = m > 0 ? fps[m - 1] : 0;
  let best: BestThreshold = { threshold: Infinity, value: metricFromCounts(metric, 0, 0, N, P), metric, tp: 0, fp: 0, tn: N, fn: P };
  for (let j = 0; j < m; j++) {
    const tp = tps[j];
    const fp = fps[j];
    const v = metricFromCounts(metric, tp, fp, N - fp, P - tp);
    if (v > best.value) best = { threshold: thresholds[j], value: v, metric, tp, fp, tn: N - fp, fn: P - tp };
  }
  return best;
}
