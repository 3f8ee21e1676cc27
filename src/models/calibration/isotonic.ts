/**
 * Isotonic regression for calibration (Zadrozny & Elkan, "Transforming classifier scores into
 * accurate multiclass probability estimates", KDD 2002): the non-decreasing step function of the
 * score closest to the labels in weighted least squares, by the pool-adjacent-violators algorithm
 * (Ayer et al., 1955), then interpolated linearly between its points and clipped to the scores'
 * range outside it. As scikit-learn 1.2's `IsotonicRegression(out_of_bounds="clip")`: rows of
 * zero weight are dropped; scores closer than 1e-15 (float64's `resolution`) are one point whose
 * label is their weighted mean; points inside a constant run are dropped; prediction is SciPy's
 * `interp1d(kind="linear")` of the remaining points.
 */
import { InvalidInputError } from "../../core/index.js";

/** A fitted isotonic calibrator: increasing `x` and non-decreasing `y` to interpolate. */
export interface IsotonicCalibrator {
  x: Float64Array;
  y: Float64Array;
}

/** NumPy's `np.finfo(np.float64).resolution`: scikit-learn merges scores closer than this. */
const RESOLUTION = 1e-15;

/**
 * Fit a non-decreasing function of `x` to `y` (optionally weighted).
 *
 * @example
 * const iso = fitIsotonic(Float64Array.of(0.1, 0.4, 0.35, 0.8), Float64Array.of(0, 1, 0, 1));
 * isotonicPredict(iso, 0.5);
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number> | null): IsotonicCalibrator {
  const n = x.length;
  if (y.length !== n || (weights && weights.length !== n)) {
    throw new InvalidInputError(`isotonic calibration: ${n} scores, ${y.length} labels${weights ? ` and ${weights.length} weights` : ""}`, { path: "y", expected: `${n} labels`, received: y.length });
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new InvalidInputError(`isotonic calibration: score ${x[i]} at row ${i} is not finite`, { path: `scores[${i}]`, expected: "a finite number", received: x[i] });
    if (!weights || weights[i] > 0) rows.push(i);
  }
  if (rows.length === 0) throw new InvalidInputError("isotonic calibration: no row has a positive weight", { path: "weights", expected: "at least one positive weight" });
  // sort by score, then by label (np.lexsort((y, X)))
  rows.sort((i, j) => x[i] - x[j] || y[i] - y[j] || i - j);
  // merge equal scores: weighted mean label, summed weight
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let cx = x[rows[0]];
  let cy = 0;
  let cw = 0;
  for (const i of rows) {
    const w = weights ? weights[i] : 1;
    if (x[i] - cx >= RESOLUTION) {
      ux.push(cx);
      uy.push(cy / cw);
      uw.push(cw);
      cx = x[i];
      cw = w;
      cy = y[i] * w;
    } else {
      cw += w;
      cy += y[i] * w;
    }
  }
  ux.push(cx);
  uy.push(cy / cw);
  uw.push(cw);
  const fitted = poolAdjacentViolators(uy, uw);
  // keep the first and last points and those where the fitted value changes on either side
  const keepX: number[] = [];
  const keepY: number[] = [];
  const m = fitted.length;
  for (let i = 0; i < m; i++) {
    if (i === 0 || i === m - 1 || fitted[i] !== fitted[i - 1] || fitted[i] !== fitted[i + 1]) {
      keepX.push(ux[i]);
      keepY.push(fitted[i]);
    }
  }
  return { x: Float64Array.from(keepX), y: Float64Array.from(keepY) };
}

/**
 * Weighted least-squares non-decreasing fit of `y` by pool-adjacent-violators: blocks are merged
 * while a block's mean exceeds the next one's, each block holding its weighted mean. O(n).
 */
export function poolAdjacentViolators(y: readonly number[], w: readonly number[]): Float64Array {
  const n = y.length;
  const mean = new Float64Array(n);
  const weight = new Float64Array(n);
  const end = new Int32Array(n); // block k covers points [start, end[k])
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    mean[blocks] = y[i];
    weight[blocks] = w[i];
    end[blocks] = i + 1;
    blocks++;
    while (blocks > 1 && mean[blocks - 2] >= mean[blocks - 1]) {
      const a = blocks - 2;
      const b = blocks - 1;
      const sw = weight[a] + weight[b];
      mean[a] = (weight[a] * mean[a] + weight[b] * mean[b]) / sw;
      weight[a] = sw;
      end[a] = end[b];
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let start = 0;
  for (let k = 0; k < blocks; k++) {
    for (let i = start; i < end[k]; i++) out[i] = mean[k];
    start = end[k];
  }
  return out;
}

/** The calibrated value at `score`: clipped to the fitted range, then linear between the fitted points (SciPy's interp1d). */
export function isotonicPredict(c: IsotonicCalibrator, score: number): number {
  const { x, y } = c;
  const m = x.length;
  if (m === 1) return y[0];
  const t = Math.min(Math.max(score, x[0]), x[m - 1]);
  // np.searchsorted(x, t, side="left"), clipped to [1, m − 1]
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  const j = Math.min(Math.max(lo, 1), m - 1);
  const slope = (y[j] - y[j - 1]) / (x[j] - x[j - 1]);
  return slope * (t - x[j - 1]) + y[j - 1];
}
