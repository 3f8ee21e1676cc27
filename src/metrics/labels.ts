/**
 * Predicted labels against true labels: the pair checked once, and the set of labels present
 * (scikit-learn's `unique_labels(y_true, y_pred)`, sorted).
 */
import { type Numbers, classCodes, sameLength, weightsOf } from "./check.js";

export interface LabelPair {
  readonly yTrue: Int32Array;
  readonly yPred: Int32Array;
  readonly weight: Float64Array | null;
  /** Labels present in either, ascending. */
  readonly present: Int32Array;
}

export function labelPair(yTrue: Numbers, yPred: Numbers, sampleWeight?: Numbers): LabelPair {
  const t = classCodes(yTrue, "y_true");
  const p = classCodes(yPred, "y_pred");
  sameLength(t.length, p.length, "y_true", "y_pred");
  const weight = weightsOf(sampleWeight, t.length);
  let max = -1;
  for (let i = 0; i < t.length; i++) {
    if (t[i] > max) max = t[i];
    if (p[i] > max) max = p[i];
  }
  const seen = new Uint8Array(max + 1);
  for (let i = 0; i < t.length; i++) {
    seen[t[i]] = 1;
    seen[p[i]] = 1;
  }
  let count = 0;
  for (let c = 0; c <= max; c++) count += seen[c];
  const present = new Int32Array(count);
  for (let c = 0, j = 0; c <= max; c++) if (seen[c]) present[j++] = c;
  return { yTrue: t, yPred: p, weight, present };
}
