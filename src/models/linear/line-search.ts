/**
 * The Moré–Thuente line search: finds a step `stp > 0` along a descent direction that satisfies
 * the strong Wolfe conditions
 *   f(stp) ≤ f(0) + ftol·stp·f'(0)   and   |f'(stp)| ≤ gtol·|f'(0)|,
 * by safeguarded cubic/quadratic interpolation inside an interval of uncertainty.
 * J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
 * ACM TOMS 20(3), 1994. This is the search L-BFGS-B uses (ftol 1e-3, gtol 0.9, xtol 0.1), written
 * as a resumable state machine: call `start`, evaluate f and f' at `stp`, call `next`, repeat.
 */

export type SearchStatus = "evaluate" | "converged" | "warning" | "error";

const XTRAPL = 1.1;
const XTRAPU = 4.0;

/** Resumable Moré–Thuente search state. */
export class MoreThuente {
  stp = 0;
  status: SearchStatus = "evaluate";
  message = "";
  private brackt = false;
  private stage = 1;
  private ginit = 0;
  private gtest = 0;
  private finit = 0;
  private stx = 0;
  private fx = 0;
  private gx = 0;
  private sty = 0;
  private fy = 0;
  private gy = 0;
  private stmin = 0;
  private stmax = 0;
  private width = 0;
  private width1 = 0;

  constructor(
    readonly ftol = 1e-3,
    readonly gtol = 0.9,
    readonly xtol = 0.1,
    readonly stpmin = 0,
    readonly stpmax = 1e10,
  ) {}

  /** Begin at step `stp` with f(0) = `f`, f'(0) = `g` (< 0). Afterwards evaluate at `this.stp`. */
  start(stp: number, f: number, g: number): SearchStatus {
    this.stp = stp;
    if (stp < this.stpmin) return this.fail("stp < stpmin");
    if (stp > this.stpmax) return this.fail("stp > stpmax");
    if (g >= 0) return this.fail("initial directional derivative ≥ 0");
    this.brackt = false;
    this.stage = 1;
    this.finit = f;
    this.ginit = g;
    this.gtest = this.ftol * g;
    this.width = this.stpmax - this.stpmin;
    this.width1 = this.width / 0.5;
    this.stx = 0;
    this.fx = f;
    this.gx = g;
    this.sty = 0;
    this.fy = f;
    this.gy = g;
    this.stmin = 0;
    this.stmax = stp + XTRAPU * stp;
    this.status = "evaluate";
    return this.status;
  }

  /** Report f(stp) and f'(stp); returns "evaluate" (with a new `stp`) or a final status. */
  next(f: number, g: number): SearchStatus {
    const ftest = this.finit + this.stp * this.gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    const stp = this.stp;
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) return this.warn("rounding errors prevent progress");
    if (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) return this.warn("xtol test satisfied");
    if (stp === this.stpmax && f <= ftest && g <= this.gtest) return this.warn("stp = stpmax");
    if (stp === this.stpmin && (f > ftest || g >= this.gtest)) return this.warn("stp = stpmin");
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) {
      this.status = "converged";
      return this.status;
    }
    if (this.stage === 1 && f <= this.fx && f > ftest) {
      // the modified function ψ(stp) = f(stp) − f(0) − ftol·stp·f'(0) while in stage 1
      const gt = this.gtest;
      const s = step(this.stx, this.fx - this.stx * gt, this.gx - gt, this.sty, this.fy - this.sty * gt, this.gy - gt, stp, f - stp * gt, g - gt, this.brackt, this.stmin, this.stmax);
      this.stx = s.stx;
      this.fx = s.fx + s.stx * gt;
      this.gx = s.dx + gt;
      this.sty = s.sty;
      this.fy = s.fy + s.sty * gt;
      this.gy = s.dy + gt;
      this.brackt = s.brackt;
      this.stp = s.stp;
    } else {
      const s = step(this.stx, this.fx, this.gx, this.sty, this.fy, this.gy, stp, f, g, this.brackt, this.stmin, this.stmax);
      this.stx = s.stx;
      this.fx = s.fx;
      this.gx = s.dx;
      this.sty = s.sty;
      this.fy = s.fy;
      this.gy = s.dy;
      this.brackt = s.brackt;
      this.stp = s.stp;
    }
    // force a sufficient decrease in the size of the interval of uncertainty
    if (this.brackt) {
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1) this.stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
    }
    if (this.brackt) {
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = this.stp + XTRAPL * (this.stp - this.stx);
      this.stmax = this.stp + XTRAPU * (this.stp - this.stx);
    }
    this.stp = Math.min(Math.max(this.stp, this.stpmin), this.stpmax);
    if ((this.brackt && (this.stp <= this.stmin || this.stp >= this.stmax)) || (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax)) {
      this.stp = this.stx;
    }
    this.status = "evaluate";
    return this.status;
  }

  private warn(message: string): SearchStatus {
    this.message = message;
    this.status = "warning";
    return this.status;
  }

  private fail(message: string): SearchStatus {
    this.message = message;
    this.status = "error";
    return this.status;
  }
}

interface StepResult {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  stp: number;
  brackt: boolean;
}

/**
 * One safeguarded step of Moré–Thuente: given the best step so far (stx), the other end of the
 * interval (sty) and the trial step (stp) with values and derivatives, choose the next trial
 * step (cubic, quadratic or secant interpolation by the paper's four cases) and update the
 * interval.
 */
function step(stx: number, fx: number, dx: number, sty: number, fy: number, dy: number, stp: number, fp: number, dp: number, brackt: boolean, stpmin: number, stpmax: number): StepResult {
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    // case 1: higher function value; the minimum is bracketed
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    brackt = true;
  } else if (sgnd < 0) {
    // case 2: lower value, derivatives of opposite sign; bracketed
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // case 3: lower value, same-sign derivative that decreases in magnitude
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else {
    // case 4: lower value, same-sign derivative that does not decrease
    if (brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else stpf = stp > stx ? stpmax : stpmin;
  }
  if (fp > fx) {
    sty = stp;
    fy = fp;
    dy = dp;
  } else {
    if (sgnd < 0) {
      sty = stx;
      fy = fx;
      dy = dx;
    }
    stx = stp;
    fx = fp;
    dx = dp;
  }
  return { stx, fx, dx, sty, fy, dy, stp: stpf, brackt };
}
