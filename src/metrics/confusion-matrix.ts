/**
 * Confusion matrix (scikit-learn's `confusion_matrix`): entry (i, j) is the (weighted) number of
 * rows whose true label is labels[i] and predicted label is labels[j]. Rows with a label outside
 * `labels` are left out.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Numbers, WeightOption } from "./check.js";
import { labelPair } from "./labels.js";

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixOptions extends WeightOption {
  /** Labels (class codes) indexing the matrix, in this order (default: labels present, ascending). */
  labels?: Numbers;
  /** Normalise over true labels (rows), predictions (columns) or all cells; 0/0 gives 0. */
  normalize?: "true" | "pred" | "all";
}

/** A confusion matrix: `labels` and the row-major counts (truth × prediction). */
export interface ConfusionMatrix {
  /** The class codes of the rows and columns. */
  readonly labels: Int32Array;
  /** Row-major labels × labels: true label by row, predicted label by column. */
  readonly matrix: Float64Array;
}

/**
 * The confusion matrix of predictions: row i, column j counts rows of true label i predicted j (normalised when asked).
 * @example
 * ```ts
 * const { labels, matrix } = confusionMatrix([0, 1, 1], [0, 1, 0]); // matrix [1, 0, 1, 1]
 * ```
 */
export function confusionMatrix(yTrue: Numbers, yPred: Numbers, options: ConfusionMatrixOptions = {}): ConfusionMatrix {
  const pair = labelPair(yTrue, yPred, options.sampleWeight);
  let labels = pair.present;
  if (options.labels !== undefined) {
    labels = Int32Array.from(options.labels as ArrayLike<number>);
    if (labels.length === 0) throw new InvalidInputError("labels must hold at least one label", { path: "labels", expected: "a non-empty list of class codes", received: [] });
    if (pair.yTrue.length > 0 && !labels.some((l) => pair.yTrue.includes(l))) {
      throw new InvalidInputError(`none of the labels ${show(Array.from(labels))} occurs in y_true`, { path: "labels", expected: "at least one label present in y_true", received: Array.from(labels) });
    }
  }
  const L = labels.length;
  let max = 0;
  for (const l of labels) if (l > max) max = l;
  for (let i = 0; i < pair.yTrue.length; i++) max = Math.max(max, pair.yTrue[i], pair.yPred[i]);
  const pos = new Int32Array(max + 1).fill(-1);
  labels.forEach((l, i) => {
    if (l >= 0) pos[l] = i;
  });
  const m = new Float64Array(L * L);
  const { yTrue: t, yPred: p, weight: w } = pair;
  for (let i = 0; i < t.length; i++) {
    const a = pos[t[i]];
    const b = pos[p[i]];
    if (a < 0 || b < 0) continue;
    m[a * L + b] += w ? w[i] : 1;
  }
  const norm = options.normalize;
  if (norm) {
    if (norm !== "true" && norm !== "pred" && norm !== "all") throw new InvalidInputError(`normalize must be "true", "pred" or "all", got ${show(norm)}`, { path: "normalize", expected: "true | pred | all", received: norm });
    const div = (x: number, d: number) => (d === 0 || !Number.isFinite(x / d) ? 0 : x / d);
    if (norm === "all") {
      let s = 0;
      for (const v of m) s += v;
      for (let i = 0; i < m.length; i++) m[i] = div(m[i], s);
    } else {
      for (let a = 0; a < L; a++) {
        let s = 0;
        for (let b = 0; b < L; b++) s += norm === "true" ? m[a * L + b] : m[b * L + a];
        for (let b = 0; b < L; b++) {
          const at = norm === "true" ? a * L + b : b * L + a;
          m[at] = div(m[at], s);
        }
      }
    }
  }
  return { labels, matrix: m };
}
