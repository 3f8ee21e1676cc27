/**
 * Coordinate descent for the elastic net, as scikit-learn's `enet_coordinate_descent`
 * (Friedman, Hastie & Tibshirani, "Regularization paths for generalized linear models via
 * coordinate descent", J. Stat. Softw. 2010). Minimises
 *   ½‖y − Xw‖² + l1·‖w‖₁ + ½·l2·‖w‖²
 * over column-major X (already centred), cycling over features (or picking them at random) with
 * soft-thresholding updates and a running residual. After an epoch whose largest update is small
 * relative to the largest coefficient (≤ tol), the duality gap is computed; the solver stops when
 * the gap is below tol·‖y‖² — the same rule, tolerance and iteration count as scikit-learn.
 */
import type { Rng } from "../../core/index.js";

export interface CdOptions {
  l1: number;
  l2: number;
  tol: number;
  maxIter: number;
  positive: boolean;
  /** Random feature order (with `rng`) instead of cyclic. */
  rng?: Rng | null;
  /** Called after every epoch with the primal objective ½‖R‖² + l1‖w‖₁ + ½l2‖w‖² (divide by n for sklearn's scale). */
  onEpoch?: (epoch: number, objective: number) => void;
}

export interface CdResult {
  w: Float64Array;
  /** Epochs run (scikit-learn's `n_iter_`). */
  nIter: number;
  /** The last duality gap computed. */
  gap: number;
  converged: boolean;
}

export function enetCoordinateDescent(cols: readonly Float64Array[], y: Float64Array, options: CdOptions): CdResult {
  const p = cols.length;
  const n = y.length;
  const { l1, l2, positive } = options;
  const rng = options.rng ?? null;
  const w = new Float64Array(p);
  const norms = new Float64Array(p);
  for (let j = 0; j < p; j++) norms[j] = dot(cols[j], cols[j]);
  const R = Float64Array.from(y); // residual y − Xw, w = 0
  const dwTol = options.tol;
  const tol = options.tol * dot(y, y);
  let gap = tol + 1;
  let nIter = 0;
  let converged = false;
  for (let epoch = 0; epoch < options.maxIter; epoch++) {
    let wMax = 0;
    let dwMax = 0;
    for (let f = 0; f < p; f++) {
      const j = rng ? rng.int(p) : f;
      if (norms[j] === 0) continue;
      const c = cols[j];
      const wOld = w[j];
      if (wOld !== 0) for (let i = 0; i < n; i++) R[i] += wOld * c[i];
      const tmp = dot(c, R);
      let wNew: number;
      if (positive && tmp < 0) wNew = 0;
      else wNew = (Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / (norms[j] + l2);
      w[j] = wNew;
      if (wNew !== 0) for (let i = 0; i < n; i++) R[i] -= wNew * c[i];
      const dw = Math.abs(wNew - wOld);
      if (dw > dwMax) dwMax = dw;
      if (Math.abs(wNew) > wMax) wMax = Math.abs(wNew);
    }
    nIter = epoch + 1;
    if (options.onEpoch) {
      let a = 0;
      for (let j = 0; j < p; j++) a += l1 * Math.abs(w[j]) + 0.5 * l2 * w[j] * w[j];
      options.onEpoch(nIter, 0.5 * dot(R, R) + a);
    }
    if (wMax === 0 || dwMax / wMax < dwTol || epoch === options.maxIter - 1) {
      gap = dualityGap(cols, y, R, w, l1, l2, positive);
      if (gap < tol) {
        converged = true;
        break;
      }
    }
  }
  return { w, nIter, gap, converged };
}

/** The duality gap of the elastic-net problem at w with residual R (scikit-learn's formula). */
function dualityGap(cols: readonly Float64Array[], y: Float64Array, R: Float64Array, w: Float64Array, l1: number, l2: number, positive: boolean): number {
  const p = cols.length;
  let dualNorm = 0;
  for (let j = 0; j < p; j++) {
    const v = dot(cols[j], R) - l2 * w[j];
    const a = positive ? v : Math.abs(v);
    if (a > dualNorm) dualNorm = a;
  }
  const rNorm2 = dot(R, R);
  const wNorm2 = dot(w, w);
  let gap: number;
  let constant: number;
  if (dualNorm > l1) {
    constant = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
  } else {
    constant = 1;
    gap = rNorm2;
  }
  let l1Norm = 0;
  for (let j = 0; j < p; j++) l1Norm += Math.abs(w[j]);
  gap += l1 * l1Norm - constant * dot(R, y) + 0.5 * l2 * (1 + constant * constant) * wNorm2;
  return gap;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
