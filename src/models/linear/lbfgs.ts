/**
 * Limited-memory BFGS for smooth unconstrained minimisation, following L-BFGS-B 3.0 (Byrd, Lu,
 * Nocedal & Zhu 1995; Morales & Nocedal 2011) on a problem without bounds, which is what SciPy's
 * `minimize(method="L-BFGS-B")` runs for scikit-learn's `lbfgs` solver:
 * - direction d = −H·g by the two-loop recursion (Nocedal 1980) over the last `m` pairs (s, y),
 *   with H₀ = (sᵀy / yᵀy)·I; the first direction is −g;
 * - first step 1/‖d‖ on the first iteration, 1 afterwards; Moré–Thuente line search with
 *   ftol 1e-3, gtol 0.9, xtol 0.1, at most `maxLineSearch` evaluations, restarting the memory
 *   when a search fails;
 * - a pair is skipped when sᵀy ≤ ε·(−gᵀd·stp);
 * - stops when max|gᵢ| ≤ `gtol`, or the relative reduction (f_old − f) / max(|f_old|, |f|, 1)
 *   ≤ `ftol`, or after `maxIter` iterations.
 * The objective fills `grad` and returns f; it is called with arrays owned by the solver.
 */

import { MoreThuente } from "./line-search.js";

export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when the largest absolute gradient component is ≤ gtol (SciPy `gtol`, sklearn `tol`). Default 1e-5. */
  gtol?: number;
  /** Stop when the relative reduction of f is ≤ ftol (SciPy's default 2.22e-9). */
  ftol?: number;
  /** Iterations at most (default 15000). */
  maxIter?: number;
  /** Pairs kept (default 10). */
  memory?: number;
  /** Function evaluations per line search at most (default 20). */
  maxLineSearch?: number;
  /** Called after each iteration with the iteration number (1-based) and the objective. */
  onIteration?: (iteration: number, f: number, x: Float64Array) => void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  /** Iterations done (SciPy's `nit`). */
  iterations: number;
  /** Function/gradient evaluations. */
  evaluations: number;
  converged: boolean;
  message: string;
}

const EPS = 2.220446049250313e-16;

/** Minimise `fn` from `x0` (not modified). */
export function lbfgs(fn: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const maxIter = options.maxIter ?? 15000;
  const m = options.memory ?? 10;
  const maxLs = options.maxLineSearch ?? 20;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const xOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  const d = new Float64Array(n);
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0; // pairs in memory
  let head = 0; // index of the oldest pair
  let gamma = 1; // H₀ scale = sᵀy / yᵀy of the newest pair

  let f = fn(x, g);
  let evaluations = 1;
  let iterations = 0;
  if (maxAbs(g) <= gtol) return { x, f, grad: g, iterations, evaluations, converged: true, message: "projected gradient ≤ gtol" };

  const search = new MoreThuente(1e-3, 0.9, 0.1, 0, 1e10);
  for (;;) {
    // direction by the two-loop recursion
    for (let i = 0; i < n; i++) d[i] = -g[i];
    if (stored > 0) {
      for (let k = stored - 1; k >= 0; k--) {
        const idx = (head + k) % m;
        const a = rho[idx] * dot(S[idx], d);
        alpha[idx] = a;
        axpy(-a, Y[idx], d);
      }
      for (let i = 0; i < n; i++) d[i] *= gamma;
      for (let k = 0; k < stored; k++) {
        const idx = (head + k) % m;
        const b = rho[idx] * dot(Y[idx], d);
        axpy(alpha[idx] - b, S[idx], d);
      }
    }
    let gd = dot(g, d);
    if (!(gd < 0)) {
      // not a descent direction: forget the memory and use steepest descent
      if (stored === 0) return { x, f, grad: g, iterations, evaluations, converged: false, message: "ascent direction" };
      stored = 0;
      head = 0;
      gamma = 1;
      continue;
    }
    xOld.set(x);
    gOld.set(g);
    const fOld = f;
    const gdOld = gd;
    const dnorm = Math.sqrt(dot(d, d));
    let stp = iterations === 0 && stored === 0 ? Math.min(1 / dnorm, 1e10) : 1;
    search.start(stp, f, gd);
    let lsEvals = 0;
    let failed = false;
    for (;;) {
      stp = search.stp;
      for (let i = 0; i < n; i++) x[i] = xOld[i] + stp * d[i];
      f = fn(x, g);
      evaluations++;
      lsEvals++;
      gd = dot(g, d);
      const st = search.next(f, gd);
      if (st === "converged" || st === "warning") break;
      if (st === "error" || lsEvals >= maxLs) {
        failed = true;
        break;
      }
    }
    if (failed) {
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      if (stored === 0) {
        iterations++;
        return { x, f, grad: g, iterations, evaluations, converged: false, message: "line search failed" };
      }
      stored = 0;
      head = 0;
      gamma = 1;
      continue;
    }
    iterations++;
    options.onIteration?.(iterations, f, x);
    if (maxAbs(g) <= gtol) return { x, f, grad: g, iterations, evaluations, converged: true, message: "projected gradient ≤ gtol" };
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      return { x, f, grad: g, iterations, evaluations, converged: true, message: "relative reduction of f ≤ ftol" };
    }
    if (iterations >= maxIter) return { x, f, grad: g, iterations, evaluations, converged: false, message: "iteration limit reached" };
    // the new pair s = stp·d, y = g − g_old; skipped when the curvature sᵀy is not positive enough
    const sy = (gd - gdOld) * stp;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const yi = g[i] - gOld[i];
      yy += yi * yi;
    }
    if (sy <= EPS * (-gdOld * stp) || yy === 0) continue;
    const slot = stored < m ? (head + stored) % m : head;
    const s = S[slot];
    const y = Y[slot];
    for (let i = 0; i < n; i++) {
      s[i] = stp * d[i];
      y[i] = g[i] - gOld[i];
    }
    rho[slot] = 1 / sy;
    gamma = sy / yy;
    if (stored < m) stored++;
    else head = (head + 1) % m;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}
