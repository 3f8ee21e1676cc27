/**
 * Matthews correlation coefficient (Matthews 1975; multiclass form by Gorodkin, "Comparing two
 * K-category assignments by a K-category correlation coefficient", 2004), from the confusion
 * matrix C: (c·s − t·p) / √((s² − p·p)(s² − t·t)) with c = trace, s = total, t and p the true
 * and predicted label totals. 0 when either variance is 0, as scikit-learn.
 */
import type { Numbers, WeightOption } from "./check.js";
import { confusionMatrix } from "./confusion-matrix.js";

/**
 * Matthews correlation coefficient (Matthews 1975; Gorodkin's multiclass form): 1 perfect, 0 chance, −1 inverse.
 * @example
 * ```ts
 * matthewsCorrcoef([0, 1, 1, 0], [0, 1, 0, 0]); // ≈ 0.577
 * ```
 */
export function matthewsCorrcoef(yTrue: Numbers, yPred: Numbers, options: WeightOption = {}): number {
  const { labels, matrix } = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  const L = labels.length;
  const t = new Float64Array(L);
  const p = new Float64Array(L);
  let correct = 0;
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      t[a] += matrix[a * L + b];
      p[b] += matrix[a * L + b];
    }
    correct += matrix[a * L + a];
  }
  let s = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let a = 0; a < L; a++) {
    s += p[a];
    tp += t[a] * p[a];
    pp += p[a] * p[a];
    tt += t[a] * t[a];
  }
  const covYtYp = correct * s - tp;
  const covYpYp = s * s - pp;
  const covYtYt = s * s - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}
