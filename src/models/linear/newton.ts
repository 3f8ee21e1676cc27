/**
 * Second-order solvers for penalised logistic regression on the objective of
 * `logistic-objective.ts`, F(w) = Σᵢ sᵢ·ℓᵢ(w) + ½·λ₂·‖w‖² + λ₁·‖w‖₁ (intercepts unpenalised):
 *
 * - `newtonCholesky` (λ₁ = 0): Newton steps d = −H⁻¹g with H factored by Cholesky, and a
 *   backtracking Armijo line search; stops when max|g| ≤ tol.
 * - `proximalNewton` (λ₁ ≥ 0, binary or multinomial): the proximal Newton method of newGLMNET
 *   (Yuan, Ho & Lin, "An improved GLMNET for L1-regularized logistic regression", JMLR 2012;
 *   Lee, Sun & Saunders, "Proximal Newton-type methods", SIAM J. Optim. 2014). Each outer step
 *   minimises the quadratic model g·d + ½dᵀHd + λ₁‖w + d‖₁ by cyclic coordinate descent with
 *   soft-thresholding, then backtracks on F with sufficient decrease σ·t·Δ. Stops when the
 *   largest violation of the optimality conditions (minimum-norm subgradient) is ≤ tol.
 *
 * The Hessian is dense, dim = K·(p+1), built in O(n·K²·p²): meant for the modest p these solvers
 * serve (the `lbfgs` solver handles large problems).
 */
import { cholesky, choleskySolve } from "./dense.js";
import { LogisticObjective, type LogisticProblem } from "./logistic-objective.js";

export interface NewtonOptions {
  tol: number;
  maxIter: number;
  /** L1 strength λ₁ (proximal Newton only). */
  l1?: number;
  onIteration?: (iteration: number, f: number) => void;
}

export interface NewtonResult {
  w: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
}

/** The Hessian of Σ sᵢℓᵢ + ½λ₂‖w‖² at w (layout as the objective's: class-major, intercept last). */
export function logisticHessian(problem: LogisticProblem, w: Float64Array): Float64Array {
  const { cols, y, sw, K, fitIntercept, l2 } = problem;
  const p = cols.length;
  const d = p + 1;
  const m = K * d;
  const H = new Float64Array(m * m);
  const n = y.length;
  const x = new Float64Array(d);
  const z = new Float64Array(K);
  const c = new Float64Array(K * K);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) x[j] = cols[j][i];
    x[p] = fitIntercept ? 1 : 0;
    const si = sw === null ? 1 : sw[i];
    if (si === 0) continue;
    if (K === 1) {
      let r = fitIntercept ? w[p] : 0;
      for (let j = 0; j < p; j++) r += w[j] * x[j];
      const e = Math.exp(-Math.abs(r));
      const pr = r >= 0 ? 1 / (1 + e) : e / (1 + e);
      c[0] = si * pr * (1 - pr);
    } else {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let r = fitIntercept ? w[k * d + p] : 0;
        for (let j = 0; j < p; j++) r += w[k * d + j] * x[j];
        z[k] = r;
        if (r > mx) mx = r;
      }
      let s = 0;
      for (let k = 0; k < K; k++) {
        z[k] = Math.exp(z[k] - mx);
        s += z[k];
      }
      for (let k = 0; k < K; k++) z[k] /= s;
      for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) c[k * K + l] = si * ((k === l ? z[k] : 0) - z[k] * z[l]);
    }
    for (let k = 0; k < K; k++) {
      for (let l = 0; l <= k; l++) {
        const ckl = c[k * K + l];
        if (ckl === 0) continue;
        for (let a = 0; a < d; a++) {
          const row = (k * d + a) * m + l * d;
          const cx = ckl * x[a];
          if (cx === 0) continue;
          for (let b = 0; b < d; b++) H[row + b] += cx * x[b];
        }
      }
    }
  }
  // fill the upper class blocks by symmetry, add the L2 term
  for (let k = 0; k < K; k++) {
    for (let l = k + 1; l < K; l++) {
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) H[(k * d + a) * m + l * d + b] = H[(l * d + b) * m + k * d + a];
    }
    for (let j = 0; j < p; j++) H[(k * d + j) * m + k * d + j] += l2;
  }
  return H;
}

/** Newton's method with a Cholesky solve (L2 or no penalty). */
export function newtonCholesky(problem: LogisticProblem, options: NewtonOptions): NewtonResult {
  const obj = new LogisticObjective(problem, 1);
  const m = obj.dim;
  const p = problem.cols.length;
  const w = new Float64Array(m);
  const g = new Float64Array(m);
  const wt = new Float64Array(m);
  const gt = new Float64Array(m);
  let f = obj.evaluate(w, g);
  let it = 0;
  let converged = false;
  for (; it < options.maxIter; it++) {
    if (maxAbs(g) <= options.tol) {
      converged = true;
      break;
    }
    const H = logisticHessian(problem, w);
    const free = freeIndex(problem, p);
    const mf = free.length;
    const Hf = new Float64Array(mf * mf);
    const step = new Float64Array(mf);
    for (let a = 0; a < mf; a++) {
      step[a] = -g[free[a]];
      for (let b = 0; b < mf; b++) Hf[a * mf + b] = H[free[a] * m + free[b]];
    }
    let ridge = 0;
    const base = Float64Array.from(Hf);
    while (!cholesky(Hf, mf)) {
      // not positive definite (no penalty, separable data): regularise the step
      ridge = ridge === 0 ? 1e-10 * Math.max(1, ...Array.from({ length: mf }, (_, a) => base[a * mf + a])) : ridge * 10;
      Hf.set(base);
      for (let a = 0; a < mf; a++) Hf[a * mf + a] += ridge;
    }
    choleskySolve(Hf, mf, step);
    const dir = new Float64Array(m);
    for (let a = 0; a < mf; a++) dir[free[a]] = step[a];
    let gd = 0;
    for (let k = 0; k < m; k++) gd += g[k] * dir[k];
    let t = 1;
    let fNew = f;
    for (let ls = 0; ls < 60; ls++) {
      for (let k = 0; k < m; k++) wt[k] = w[k] + t * dir[k];
      fNew = obj.evaluate(wt, gt);
      if (fNew <= f + 1e-4 * t * gd || Math.abs(fNew - f) <= 1e-15 * Math.abs(f)) break;
      t *= 0.5;
    }
    const progress = f - fNew;
    w.set(wt);
    g.set(gt);
    f = fNew;
    options.onIteration?.(it + 1, f);
    if (progress <= 1e-15 * Math.max(1, Math.abs(f)) && maxAbs(g) > options.tol) {
      // no further progress possible in floating point
      it++;
      break;
    }
  }
  obj.close();
  return { w, f, iterations: it, converged };
}

/** Proximal Newton with coordinate-descent inner solves (L1, elastic net, L2). */
export function proximalNewton(problem: LogisticProblem, options: NewtonOptions): NewtonResult {
  const obj = new LogisticObjective(problem, 1);
  const m = obj.dim;
  const p = problem.cols.length;
  const d1 = p + 1;
  const K = problem.K;
  const l1 = options.l1 ?? 0;
  const penal = (k: number) => k % d1 !== p;
  const active = (k: number) => problem.fitIntercept || k % d1 !== p;
  const w = new Float64Array(m);
  const g = new Float64Array(m);
  const wt = new Float64Array(m);
  const gt = new Float64Array(m);
  const dir = new Float64Array(m);
  const Hd = new Float64Array(m);
  const l1norm = (v: Float64Array) => {
    let s = 0;
    for (let k = 0; k < m; k++) if (penal(k)) s += Math.abs(v[k]);
    return s;
  };
  let f = obj.evaluate(w, g);
  let F = f + l1 * l1norm(w);
  let it = 0;
  let converged = false;
  for (; it < options.maxIter; it++) {
    const viol = violation(w, g, l1, m, penal, active);
    if (viol <= options.tol) {
      converged = true;
      break;
    }
    const H = logisticHessian(problem, w);
    dir.fill(0);
    Hd.fill(0);
    // inner coordinate descent on the quadratic model
    for (let sweep = 0; sweep < 1000; sweep++) {
      let maxDelta = 0;
      let maxW = 0;
      for (let a = 0; a < m; a++) {
        if (!active(a)) continue;
        const haa = Math.max(H[a * m + a], 1e-12);
        const b = g[a] + Hd[a];
        const u = w[a] + dir[a];
        let next: number;
        if (penal(a)) {
          const v = u - b / haa;
          const thr = l1 / haa;
          next = v > thr ? v - thr : v < -thr ? v + thr : 0;
        } else next = u - b / haa;
        const delta = next - u;
        if (delta !== 0) {
          dir[a] += delta;
          const row = a * m;
          for (let c = 0; c < m; c++) Hd[c] += delta * H[row + c];
          if (Math.abs(delta) > maxDelta) maxDelta = Math.abs(delta);
        }
        if (Math.abs(next) > maxW) maxW = Math.abs(next);
      }
      let maxDir = 0;
      for (let a = 0; a < m; a++) if (Math.abs(dir[a]) > maxDir) maxDir = Math.abs(dir[a]);
      if (maxDelta <= 1e-4 * maxDir || maxDelta <= 1e-16 * Math.max(1, maxW)) break;
    }
    // sufficient-decrease backtracking on F
    let gd = 0;
    for (let k = 0; k < m; k++) gd += g[k] * dir[k];
    for (let k = 0; k < m; k++) wt[k] = w[k] + dir[k];
    const delta = gd + l1 * (l1norm(wt) - l1norm(w));
    let t = 1;
    let Fnew = F;
    let fNew = f;
    for (let ls = 0; ls < 60; ls++) {
      for (let k = 0; k < m; k++) wt[k] = w[k] + t * dir[k];
      fNew = obj.evaluate(wt, gt);
      Fnew = fNew + l1 * l1norm(wt);
      if (Fnew <= F + 0.01 * t * delta || Math.abs(Fnew - F) <= 1e-15 * Math.abs(F)) break;
      t *= 0.5;
    }
    const progress = F - Fnew;
    w.set(wt);
    g.set(gt);
    f = fNew;
    F = Fnew;
    options.onIteration?.(it + 1, F);
    if (progress <= 1e-15 * Math.max(1, Math.abs(F)) && t < 1) {
      it++;
      break;
    }
  }
  obj.close();
  if (K > 1 && problem.fitIntercept) {
    // the multinomial loss is unchanged by a common shift of the intercepts: centre them
    let mean = 0;
    for (let k = 0; k < K; k++) mean += w[k * d1 + p];
    mean /= K;
    for (let k = 0; k < K; k++) w[k * d1 + p] -= mean;
  }
  return { w, f: F, iterations: it, converged };
}

/** Largest violation of 0 ∈ ∂F(w): the minimum-norm subgradient's max-abs. */
function violation(w: Float64Array, g: Float64Array, l1: number, m: number, penal: (k: number) => boolean, active: (k: number) => boolean): number {
  let v = 0;
  for (let k = 0; k < m; k++) {
    if (!active(k)) continue;
    let e: number;
    if (!penal(k) || l1 === 0) e = Math.abs(g[k]);
    else if (w[k] > 0) e = Math.abs(g[k] + l1);
    else if (w[k] < 0) e = Math.abs(g[k] - l1);
    else e = Math.max(0, Math.abs(g[k]) - l1);
    if (e > v) v = e;
  }
  return v;
}

function freeIndex(problem: LogisticProblem, p: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < problem.K; k++) {
    for (let j = 0; j < p; j++) out.push(k * (p + 1) + j);
    if (problem.fitIntercept) out.push(k * (p + 1) + p);
  }
  return out;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > m) m = Math.abs(a[i]);
  return m;
}
