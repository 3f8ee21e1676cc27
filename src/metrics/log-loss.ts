/**
 * Log loss (cross-entropy) of predicted probabilities, as scikit-learn 1.2's `log_loss`:
 * probabilities are clipped to [ε, 1 − ε] (ε = 2.22e-16, the float64 machine epsilon, by
 * default), each row is divided by its sum, and the loss is −log p(true class), averaged with the
 * sample weights (or summed with `normalize: false`), sums and means taken in NumPy's order. The
 * classes are 0..K−1 where K comes from the shape of `proba` (scikit-learn's `labels=range(K)`),
 * so a y_true with one class only is fine.
 *
 * Binary models: pass both columns (rows × 2), as scikit-learn's `neg_log_loss` scorer passes
 * `predict_proba`. A single column is read as P(class 1) and P(class 0) becomes 1 − P(class 1)
 * after clipping (`log_loss` on a 1-D input), which loses the precision of a small P(class 0)
 * that the model computed directly — 3.7e-9 relative near the clipping bound, for instance.
 */
import { InvalidInputError, show, numpyAverage, pairwiseSum } from "../core/index.js";
import { type Numbers, type WeightOption, classCodes, columnsOf, weightTotal, weightsOf } from "./check.js";

/** Options of `logLoss`. */
export interface LogLossOptions extends WeightOption {
  /** Clipping bound ε (default 2⁻⁵², float64 machine epsilon). */
  eps?: number;
  /** Mean (default true) or sum of the per-row losses. */
  normalize?: boolean;
}

/**
 * Log loss (cross-entropy): the mean of −log p(true class), probabilities clipped to [eps, 1 − eps].
 * @param proba rows × K probabilities, row-major (binary: rows × 2; or one column, P(class 1))
 * @example logLoss([0, 1], [0.9, 0.1, 0.2, 0.8]) // (−log 0.9 − log 0.8) / 2
 */
export function logLoss(yTrue: Numbers, proba: Numbers, options: LogLossOptions = {}): number {
  const y = classCodes(yTrue, "y_true");
  const n = y.length;
  const k = columnsOf(proba.length, n, "y_prob");
  const eps = options.eps ?? Number.EPSILON;
  if (!(eps >= 0 && eps < 0.5)) throw new InvalidInputError(`eps must be in [0, 0.5), got ${show(eps)}`, { path: "eps", expected: "a number in [0, 0.5)", received: eps });
  const w = weightsOf(options.sampleWeight, n);
  const classes = k === 1 ? 2 : k;
  const clip = (v: number) => (v < eps ? eps : v > 1 - eps ? 1 - eps : v);
  const losses = new Float64Array(n);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (y[i] >= classes) throw new InvalidInputError(`y_true[${i}] is class ${y[i]}, but y_prob has ${classes} classes`, { path: `y_true[${i}]`, expected: `a class in 0..${classes - 1}`, received: y[i] });
    let pTrue: number;
    let rowSum: number;
    if (k === 1) {
      const v = proba[i];
      if (!Number.isFinite(v)) bad(i, 0, v);
      const p1 = clip(v);
      const p0 = 1 - p1;
      rowSum = p0 + p1;
      pTrue = y[i] === 1 ? p1 : p0;
    } else {
      for (let c = 0; c < k; c++) {
        const v = proba[i * k + c];
        if (!Number.isFinite(v)) bad(i, c, v);
        row[c] = clip(v);
      }
      rowSum = pairwiseSum(row);
      pTrue = row[y[i]];
    }
    losses[i] = -Math.log(pTrue / rowSum);
  }
  weightTotal(w, n);
  if (options.normalize === false) return pairwiseSum(losses, w);
  return numpyAverage(losses, w);
}

function bad(i: number, c: number, v: number): never {
  throw new InvalidInputError(`y_prob[${i}][${c}] is ${show(v)}; probabilities must be finite`, { path: `y_prob[${i}][${c}]`, expected: "a probability", received: v });
}
