/**
 * Precision–recall curve and average precision, as scikit-learn 1.2 defines them. Average
 * precision is the step-wise sum AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds (no
 * interpolation, no trapezoids: trapezoids over a PR curve are optimistic, Davis & Goadrich 2006).
 */
import { InvalidInputError, show } from "../core/index.js";
import { type BinaryInput, binaryCurve, binaryInput } from "./binary-curve.js";
import { type Numbers, type WeightOption, classCodes, columnsOf, weightsOf } from "./check.js";

/** Options of `precisionRecallCurve`. */
export interface PrecisionRecallOptions extends WeightOption {
  /** Class code of the positive class (default 1; then codes must be 0/1). */
  posLabel?: number;
}

/** Precision and recall at each threshold (scikit-learn's order: recall decreasing, ending at (1, 0)). */
export interface PrecisionRecallCurve {
  /** Precision at each threshold (increasing thresholds), then a final 1. */
  readonly precision: Float64Array;
  /** Recall at each threshold, decreasing, then a final 0. */
  readonly recall: Float64Array;
  /** Distinct scores, increasing (one fewer than precision and recall). */
  readonly thresholds: Float64Array;
}

/**
 * Precision–recall curve points of binary scores. Without positives, recall is 1 everywhere (scikit-learn's convention).
 * @example
 * ```ts
 * const { precision, recall, thresholds } = precisionRecallCurve([0, 1, 1], [0.2, 0.7, 0.6]);
 * ```
 */
export function precisionRecallCurve(yTrue: Numbers, score: Numbers, options: PrecisionRecallOptions = {}): PrecisionRecallCurve {
  return prFromInput(binaryInput(yTrue, score, options.sampleWeight, options.posLabel));
}

function prFromInput(input: BinaryInput): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryCurve(input);
  const m = tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  const nPos = tps[m - 1];
  for (let j = 0; j < m; j++) {
    const src = m - 1 - j;
    const ps = tps[src] + fps[src];
    precision[j] = ps !== 0 ? tps[src] / ps : 0;
    recall[j] = nPos === 0 ? 1 : tps[src] / nPos;
    th[j] = thresholds[src];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/** AP of a binary input: −Σ diff(recall)·precision[:-1] over the reversed curve, as scikit-learn. */
function binaryAp(input: BinaryInput): number {
  const { precision, recall } = prFromInput(input);
  let s = 0;
  for (let j = 0; j + 1 < recall.length; j++) s += (recall[j + 1] - recall[j]) * precision[j];
  return -s;
}

/** Options of `averagePrecision`. */
export interface AveragePrecisionOptions extends PrecisionRecallOptions {
  /** Multiclass (one-vs-rest) averaging (default "macro"). */
  average?: "macro" | "weighted" | "micro";
}

/**
 * Average precision of scores. Binary: one score per row (a rows × 2 matrix is read as its
 * second column). Multiclass: rows × classes scores, one-vs-rest per class (scikit-learn 1.3's
 * behaviour, computed as 1.2 does for label-indicator targets), averaged by `average`. With no
 * positives the binary AP is 0 (scikit-learn warns and returns the same).
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // ≈ 0.833
 * ```
 */
export function averagePrecision(yTrue: Numbers, score: Numbers, options: AveragePrecisionOptions = {}): number {
  const y = classCodes(yTrue, "y_true");
  const n = y.length;
  const k = columnsOf(score.length, n, "y_score");
  if (k <= 2) return binaryAp(binaryInput(y, score, options.sampleWeight, options.posLabel));
  const s = score instanceof Float64Array ? score : Float64Array.from(score as ArrayLike<number>);
  const weight = weightsOf(options.sampleWeight, n);
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(s[i])) throw new InvalidInputError(`y_score[${Math.floor(i / k)}][${i % k}] is ${show(s[i])}; scores must be finite numbers`, { path: "y_score", expected: "finite numbers", received: s[i] });
  }
  for (let i = 0; i < n; i++) {
    if (y[i] >= k) throw new InvalidInputError(`y_true[${i}] is class ${y[i]}, but y_score has ${k} columns`, { path: `y_true[${i}]`, expected: `a class in 0..${k - 1}`, received: y[i] });
  }
  const average = options.average ?? "macro";
  if (average === "micro") {
    const positive = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) positive[i * k + y[i]] = 1;
    let w: Float64Array | null = null;
    if (weight) {
      w = new Float64Array(n * k);
      for (let i = 0; i < n; i++) w.fill(weight[i], i * k, (i + 1) * k);
    }
    return binaryAp({ positive, score: s, weight: w });
  }
  if (average !== "macro" && average !== "weighted") {
    throw new InvalidInputError(`average must be "macro", "weighted" or "micro", got ${show(average)}`, { path: "average", expected: "macro | weighted | micro", received: average });
  }
  const positive = new Uint8Array(n);
  const col = new Float64Array(n);
  let total = 0;
  let wsum = 0;
  for (let c = 0; c < k; c++) {
    let support = 0;
    for (let i = 0; i < n; i++) {
      positive[i] = y[i] === c ? 1 : 0;
      col[i] = s[i * k + c];
      if (positive[i]) support += weight ? weight[i] : 1;
    }
    const ap = binaryAp({ positive, score: col, weight });
    if (average === "macro") {
      total += ap;
      wsum += 1;
    } else if (support !== 0) {
      total += ap * support;
      wsum += support;
    }
  }
  if (average === "weighted" && wsum === 0) return 0;
  return total / wsum;
}
