/**
 * BFGS, as SciPy 1.10's `fmin_bfgs` (`scipy.optimize._minimize_bfgs`) runs it: the inverse
 * Hessian approximation starts at the identity and takes the BFGS update
 *   H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,   ρ = 1 / (yᵀ s)
 * (Nocedal & Wright, "Numerical Optimization", 2nd ed., eq. 6.17); each step is found by the
 * Moré–Thuente line search (MINPACK-2's `dcsrch`, c₁ = 1e-4, c₂ = 0.9, xtol = 1e-14) started at
 * min(1, 1.01 · 2 (f_k − f_{k−1}) / ∇f·p), and the iteration stops when the largest gradient
 * component is at most `gtol` (default 1e-5) or after 200 · n iterations. Following SciPy's
 * iterates step for step is what lets a caller reproduce SciPy's (inexact) optimum, not only the
 * exact one: scikit-learn's Platt scaling stops where SciPy stops.
 */
import { MoreThuente } from "./line-search.js";
import type { Objective } from "./lbfgs.js";

export interface BfgsOptions {
  /** Stop when max |∇f| ≤ gtol (SciPy's default 1e-5). */
  gtol?: number;
  /** Iterations at most (SciPy's default: 200 · dimensions). */
  maxIter?: number;
}

export interface BfgsResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  iterations: number;
  /** "converged" (gtol reached), "max-iter", or "line-search" (SciPy's warnflag 2: no acceptable step). */
  status: "converged" | "max-iter" | "line-search";
}

const C1 = 1e-4;
const C2 = 0.9;
const XTOL = 1e-14;
const AMIN = 1e-100;
const AMAX = 1e100;

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Minimise `fn` (which returns f(x) and writes ∇f(x) into its second argument) from `x0`.
 *
 * @example
 * const r = bfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, Float64Array.of(0));
 * r.x[0]; // ≈ 3
 */
export function bfgs(fn: Objective, x0: Float64Array, options: BfgsOptions = {}): BfgsResult {
  const n = x0.length;
  const gtol = options.gtol ?? 1e-5;
  const maxIter = options.maxIter ?? 200 * n;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fn(x, g);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  // SciPy: "sets the initial step guess to dx ~ 1"
  let fPrev = f + Math.sqrt(dot(g, g)) / 2;
  let k = 0;
  let status: BfgsResult["status"] = "max-iter";
  const p = new Float64Array(n);
  const trial = new Float64Array(n);
  if (maxAbs(g) <= gtol) return { x, f, grad: g, iterations: 0, status: "converged" };
  while (k < maxIter) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= H[i * n + j] * g[j];
      p[i] = s;
    }
    // line search along p (SciPy's line_search_wolfe1 → scalar_search_wolfe1 → dcsrch)
    const d0 = dot(g, p);
    let alpha = 1;
    if (d0 !== 0) {
      alpha = Math.min(1, (1.01 * 2 * (f - fPrev)) / d0);
      if (alpha < 0) alpha = 1;
    }
    const search = new MoreThuente(C1, C2, XTOL, AMIN, AMAX);
    let st = search.start(alpha, f, d0);
    let fNew = f;
    const gNew = new Float64Array(n);
    for (let it = 0; it < 100 && st === "evaluate"; it++) {
      for (let i = 0; i < n; i++) trial[i] = x[i] + search.stp * p[i];
      fNew = fn(trial, gNew);
      st = search.next(fNew, dot(gNew, p));
    }
    if (st !== "converged") {
      // SciPy then tries line_search_wolfe2 and gives up when that fails too; with a smooth convex
      // objective this branch is not reached in practice, so it stops here (warnflag 2)
      status = "line-search";
      break;
    }
    const step = search.stp;
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = step * p[i];
      trial[i] = x[i] + s[i];
    }
    const xNew = Float64Array.from(trial); // = x + stp·p, where f and ∇f were last evaluated
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = gNew[i] - g[i];
    fPrev = f;
    f = fNew;
    x = xNew;
    g = gNew;
    k++;
    if (maxAbs(g) <= gtol) {
      status = "converged";
      break;
    }
    if (!Number.isFinite(f)) {
      status = "line-search";
      break;
    }
    const ys = dot(y, s);
    const rho = ys === 0 ? 1000 : 1 / ys;
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, in SciPy's order: A1 · (H · A2)
    const A1 = new Float64Array(n * n);
    const A2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const id = i === j ? 1 : 0;
        A1[i * n + j] = id - s[i] * y[j] * rho;
        A2[i * n + j] = id - y[i] * s[j] * rho;
      }
    }
    const HA2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let t = 0;
      for (let m = 0; m < n; m++) t += H[i * n + m] * A2[m * n + j];
      HA2[i * n + j] = t;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let t = 0;
      for (let m = 0; m < n; m++) t += A1[i * n + m] * HA2[m * n + j];
      H[i * n + j] = t + rho * s[i] * s[j];
    }
  }
  return { x, f, grad: g, iterations: k, status };
}
