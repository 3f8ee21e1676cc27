/**
 * Accuracy and balanced accuracy (scikit-learn's `accuracy_score`, `balanced_accuracy_score`).
 * Balanced accuracy is the mean per-class recall over the classes present in y_true (Brodersen
 * et al., "The balanced accuracy and its posterior distribution", ICPR 2010); `adjusted` rescales
 * it so chance is 0 and perfect is 1.
 */
import { type Numbers, type WeightOption, weightTotal } from "./check.js";
import { confusionMatrix } from "./confusion-matrix.js";
import { labelPair } from "./labels.js";

/** Options of `accuracy`: `normalize: false` gives the (weighted) count of correct rows. */
export interface AccuracyOptions extends WeightOption {
  /** Return the fraction (default true) or the (weighted) count of correct rows. */
  normalize?: boolean;
}

/**
 * Fraction of rows whose predicted class equals the true class.
 * @example
 * ```ts
 * accuracy([0, 1, 1, 0], [0, 1, 0, 0]); // 0.75
 * ```
 */
export function accuracy(yTrue: Numbers, yPred: Numbers, options: AccuracyOptions = {}): number {
  const { yTrue: t, yPred: p, weight: w } = labelPair(yTrue, yPred, options.sampleWeight);
  let correct = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) correct += w ? w[i] : 1;
  if (options.normalize === false) return correct;
  return correct / weightTotal(w, t.length);
}

/** Options of `balancedAccuracy`: `adjusted` rescales so that chance scores 0. */
export interface BalancedAccuracyOptions extends WeightOption {
  /** Rescale so that chance (1/classes) scores 0 (default false). */
  adjusted?: boolean;
}

/**
 * Mean recall over the classes present in y_true.
 * @example
 * ```ts
 * balancedAccuracy([0, 0, 0, 1], [0, 0, 1, 1]); // (2/3 + 1) / 2
 * ```
 */
export function balancedAccuracy(yTrue: Numbers, yPred: Numbers, options: BalancedAccuracyOptions = {}): number {
  const { labels, matrix } = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  const L = labels.length;
  let sum = 0;
  let count = 0;
  for (let a = 0; a < L; a++) {
    let row = 0;
    for (let b = 0; b < L; b++) row += matrix[a * L + b];
    const r = matrix[a * L + a] / row;
    if (r === r) {
      sum += r;
      count++;
    }
  }
  let score = sum / count;
  if (options.adjusted) {
    const chance = 1 / count;
    score = (score - chance) / (1 - chance);
  }
  return score;
}
