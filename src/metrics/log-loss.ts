/**
 * Log loss (cross-entropy) of predicted probabilities, as scikit-learn 1.2's `log_loss`:
 * probabilities are clipped to [ε, 1 − ε] (ε = 2.22e-16, the float64 machine epsilon, by
 * default), each row is divided by its sum, and the loss is −log p(true class), averaged with the
 * sample weights (or summed with `normalize: false`). The classes are 0..K−1 where K comes from
 * the shape of `proba` (scikit-learn's `labels=range(K)`), so a y_true with one class only is
 * fine.
 */
import { InvalidInputError, show } from "../core/errors.js";
import { type Numbers, type WeightOption, classCodes, columnsOf, weightTotal, weightsOf } from "./check.js";

export interface LogLossOptions extends WeightOption {
  /** Clipping bound ε (default 2⁻⁵², float64 machine epsilon). */
  eps?: number;
  /** Mean (default true) or sum of the per-row losses. */
  normalize?: boolean;
}

/**
 * @param proba binary: the positive-class probability per row; K classes: rows × K, row-major.
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
  let sum = 0;
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
      rowSum = 0;
      pTrue = 0;
      for (let c = 0; c < k; c++) {
        const v = proba[i * k + c];
        if (!Number.isFinite(v)) bad(i, c, v);
        const p = clip(v);
        rowSum += p;
        if (c === y[i]) pTrue = p;
      }
    }
    const loss = -Math.log(pTrue / rowSum);
    sum += w ? w[i] * loss : loss;
  }
  if (options.normalize === false) return sum;
  return sum / weightTotal(w, n);
}

function bad(i: number, c: number, v: number): never {
  throw new InvalidInputError(`y_prob[${i}][${c}] is ${show(v)}; probabilities must be finite`, { path: `y_prob[${i}][${c}]`, expected: "a probability", received: v });
}
