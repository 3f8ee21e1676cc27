/**
 * Platt scaling (J. Platt, "Probabilistic outputs for support vector machines and comparisons to
 * regularized likelihood methods", 1999): P(y = 1 | s) = 1 / (1 + exp(a·s + b)) for a score s,
 * with (a, b) minimising the cross-entropy against Platt's smoothed targets
 *   t₊ = (N₊ + 1) / (N₊ + 2) for positives,   t₋ = 1 / (N₋ + 2) for negatives
 * (N₊, N₋: the positives' and negatives' total weight — the prior correction that keeps a
 * calibrator fitted on separable scores away from 0 and 1), started at a = 0,
 * b = log((N₋ + 1) / (N₊ + 1)). As scikit-learn 1.2's `_sigmoid_calibration`, including its
 * optimiser (SciPy's BFGS, `bfgs`), so the fitted (a, b) are the ones scikit-learn returns.
 */
import { InvalidInputError, pairwiseSum } from "../../core/index.js";
import { bfgs } from "../linear/index.js";

/** A fitted sigmoid calibrator: p = 1 / (1 + exp(a·s + b)). */
export interface SigmoidCalibrator {
  a: number;
  b: number;
}

const expit = (z: number) => 1 / (1 + Math.exp(-z));
const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/**
 * Fit Platt's sigmoid to `scores` and binary labels `y` (1 = positive, anything ≤ 0 negative),
 * optionally weighted.
 *
 * @example
 * const { a, b } = fitSigmoid(Float64Array.of(-2, -1, 1, 2), Int32Array.of(0, 0, 1, 1));
 * sigmoidPredict({ a, b }, 0.5); // the calibrated probability of a score of 0.5
 */
export function fitSigmoid(scores: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number> | null): SigmoidCalibrator {
  const n = scores.length;
  if (y.length !== n || (weights && weights.length !== n)) {
    throw new InvalidInputError(`sigmoid calibration: ${n} scores, ${y.length} labels${weights ? ` and ${weights.length} weights` : ""}`, { path: "y", expected: `${n} labels`, received: y.length });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new InvalidInputError(`sigmoid calibration: score ${scores[i]} at row ${i} is not finite`, { path: `scores[${i}]`, expected: "a finite number", received: scores[i] });
  }
  let prior0 = 0;
  let prior1 = 0;
  if (weights) {
    prior0 = pairwiseSum(weightsOf(weights, y, true));
    prior1 = pairwiseSum(weightsOf(weights, y, false));
  } else {
    for (let i = 0; i < n; i++) if (y[i] <= 0) prior0++;
    prior1 = n - prior0;
  }
  const tPos = (prior1 + 1) / (prior1 + 2);
  const tNeg = 1 / (prior0 + 2);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) T[i] = y[i] > 0 ? tPos : tNeg;
  const loss = new Float64Array(n);
  const d = new Float64Array(n);
  const result = bfgs(
    (ab, grad) => {
      const [a, b] = ab;
      let dA = 0;
      for (let i = 0; i < n; i++) {
        const p = expit(-(a * scores[i] + b));
        const t = T[i];
        loss[i] = -(xlogy(t, p) + xlogy(1 - t, 1 - p));
        d[i] = weights ? (t - p) * weights[i] : t - p;
        dA += d[i] * scores[i];
      }
      grad[0] = dA;
      grad[1] = pairwiseSum(d);
      return weights ? pairwiseSum(loss, weights) : pairwiseSum(loss);
    },
    Float64Array.of(0, Math.log((prior0 + 1) / (prior1 + 1))),
  );
  return { a: result.x[0], b: result.x[1] };
}

/** The weights of the negatives (`negatives`) or of the positives, in row order (as NumPy's boolean mask takes them). */
function weightsOf(weights: ArrayLike<number>, y: ArrayLike<number>, negatives: boolean): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < weights.length; i++) if ((y[i] <= 0) === negatives) out.push(weights[i]);
  return Float64Array.from(out);
}

/** The calibrated probability of `score`: 1 / (1 + exp(a·score + b)). */
export function sigmoidPredict(c: SigmoidCalibrator, score: number): number {
  return expit(-(c.a * score + c.b));
}
