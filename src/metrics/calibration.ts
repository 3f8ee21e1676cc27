/**
 * Calibration of binary probability forecasts: the reliability curve as scikit-learn 1.2's
 * `calibration_curve` computes it, and the expected calibration error over the same bins.
 *
 * Bins: `uniform` cuts [0, 1] into `nBins` equal widths; `quantile` cuts at the probabilities'
 * percentiles (NumPy's linear method), so each bin holds about as many rows. A probability goes to
 * bin b = #{inner edges < p} (NumPy's `searchsorted(edges[1:-1], p)`, side left). Empty bins are
 * left out of the curve.
 *
 * ECE (Naeini, Cooper & Hauskrecht 2015; Guo et al. 2017, eq. 3) = Σ_b (n_b / n) · |ō_b − p̄_b|,
 * where ō_b is the observed positive rate in bin b and p̄_b its mean predicted probability.
 */
import { InvalidInputError, show, percentileSorted } from "../core/index.js";
import { scoresOf } from "./binary-curve.js";
import { type Numbers, classCodes } from "./check.js";

/** How `calibrationCurve` cuts its bins: equal widths, or equal counts (quantiles). */
export type CalibrationStrategy = "uniform" | "quantile";

/** Options of `calibrationCurve` and `expectedCalibrationError` (default 5 bins for the curve, as scikit-learn; uniform). */
export interface CalibrationOptions {
  /** Bins (default 5, as scikit-learn's `calibration_curve`; 10 for `expectedCalibrationError`). */
  nBins?: number;
  strategy?: CalibrationStrategy;
  /** Positive class code (default 1 when codes are 0/1, else the largest code present). */
  posLabel?: number;
}

/** Per non-empty bin: the observed positive share, the mean predicted probability and the row count. */
export interface CalibrationCurve {
  /** Observed positive rate per non-empty bin (scikit-learn's `prob_true`). */
  readonly observed: Float64Array;
  /** Mean predicted probability per non-empty bin (`prob_pred`). */
  readonly predicted: Float64Array;
  /** Rows per non-empty bin. */
  readonly count: Int32Array;
}

/**
 * The reliability curve of positive-class probabilities `proba` (a rows × 2 matrix is read as its second column).
 * @example
 * ```ts
 * const { observed, predicted } = calibrationCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { nBins: 2 });
 * ```
 */
export function calibrationCurve(yTrue: Numbers, proba: Numbers, options: CalibrationOptions = {}): CalibrationCurve {
  const nBins = options.nBins ?? 5;
  if (!Number.isInteger(nBins) || nBins < 1) throw new InvalidInputError(`nBins ${show(nBins)} is not valid: expected an integer ≥ 1`, { path: "nBins", expected: "an integer ≥ 1", received: nBins });
  const strategy = options.strategy ?? "uniform";
  if (strategy !== "uniform" && strategy !== "quantile") throw new InvalidInputError(`strategy ${show(strategy)} is not valid: expected "uniform" or "quantile"`, { path: "strategy", expected: '"uniform" or "quantile"', received: strategy });
  const y = classCodes(yTrue, "y_true");
  const n = y.length;
  const p = scoresOf(proba, n, "y_prob");
  const present = new Set<number>();
  for (let i = 0; i < n; i++) present.add(y[i]);
  if (present.size > 2) throw new InvalidInputError(`y_true holds ${present.size} classes; calibration here is for binary targets only`, { path: "y_true", expected: "at most two classes", received: [...present].sort((a, b) => a - b) });
  for (let i = 0; i < n; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new InvalidInputError(`y_prob[${i}] is ${show(p[i])}; probabilities must be in [0, 1]`, { path: `y_prob[${i}]`, expected: "a number in [0, 1]", received: p[i] });
  }
  let pos = options.posLabel;
  if (pos === undefined) pos = [...present].every((c) => c === 0 || c === 1) ? 1 : Math.max(...present);

  const inner = new Float64Array(nBins - 1);
  if (strategy === "uniform") {
    // numpy.linspace(0, 1, nBins + 1): start + i·step, the last edge exactly 1
    const step = 1 / nBins;
    for (let b = 1; b < nBins; b++) inner[b - 1] = b * step;
  } else {
    const sorted = Float64Array.from(p).sort();
    // numpy.linspace(0, 1, nBins + 1) * 100, then percentile
    const step = 1 / nBins;
    for (let b = 1; b < nBins; b++) inner[b - 1] = n ? percentileSorted(sorted, b * step * 100) : NaN;
  }

  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Int32Array(nBins);
  for (let i = 0; i < n; i++) {
    // side="left": the number of inner edges strictly below p
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inner[mid] < p[i]) lo = mid + 1;
      else hi = mid;
    }
    sums[lo] += p[i];
    if (y[i] === pos) trues[lo] += 1;
    totals[lo]++;
  }
  const keep: number[] = [];
  for (let b = 0; b < nBins; b++) if (totals[b] !== 0) keep.push(b);
  return {
    observed: Float64Array.from(keep, (b) => trues[b] / totals[b]),
    predicted: Float64Array.from(keep, (b) => sums[b] / totals[b]),
    count: Int32Array.from(keep, (b) => totals[b]),
  };
}

/**
 * Expected calibration error over `nBins` (default 10) bins of the reliability curve; NaN without rows.
 * @example
 * ```ts
 * const ece = expectedCalibrationError(yTrue, proba, { nBins: 10 });
 * ```
 */
export function expectedCalibrationError(yTrue: Numbers, proba: Numbers, options: CalibrationOptions = {}): number {
  const curve = calibrationCurve(yTrue, proba, { nBins: 10, ...options });
  let n = 0;
  for (const c of curve.count) n += c;
  if (n === 0) return NaN;
  let ece = 0;
  for (let b = 0; b < curve.count.length; b++) ece += (curve.count[b] / n) * Math.abs(curve.observed[b] - curve.predicted[b]);
  return ece;
}
