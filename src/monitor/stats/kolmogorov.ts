/**
 * The Kolmogorov–Smirnov distributions behind `ks_2samp`'s p-values, computed as SciPy 1.10 does:
 * - `kolmogorovSf(n, d)` = P(Dₙ ≥ d) for the two-sided one-sample statistic Dₙ = supₓ |Fₙ(x) − F(x)|
 *   (`scipy.stats.kstwo.sf(d, n)`), with the algorithm choice of Simard & L'Ecuyer, "Computing the
 *   two-sided Kolmogorov–Smirnov distribution", J. Stat. Softw. 39(11), 2011: Ruben–Gambino closed
 *   forms at the ends, Durbin's matrix (Marsaglia, Tsang & Wang 2003) and Pomeranz's recursion (1974)
 *   for the exact body, the Pelz–Good (1976) expansion for large n, and 2 × the one-sided tail (Miller)
 *   where the two one-sided events cannot overlap numerically;
 * - `smirnovSf(n, d)` = P(Dₙ⁺ ≥ d), the one-sided statistic (`scipy.special.smirnov`), by the
 *   Birnbaum–Tingey sum d·Σ_{v=0}^{⌊n(1−d)⌋} C(n,v)(d + v/n)^{v−1}(1 − d − v/n)^{n−v}, summed in log
 *   space until the terms no longer matter; for n > 10⁶ the approximation exp(−(6nd + 1)²/(18n)).
 */

import { logGamma } from "./gamma.js";

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT3 = Math.sqrt(3);
/** exp() below this underflows to 0. */
const MIN_LOG = -708;
/** Above this n, `smirnovSf` uses the closed-form approximation (SciPy's SMIRNOV_MAX_COMPUTE_N). */
const SMIRNOV_MAX_N = 1_000_000;
const EPS = 2 ** -52;
/** Above this many terms, the Smirnov sum is taken on a grid (`gridSum`). */
const GRID_MIN_TERMS = 4096;

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** p · 2^e without overflow in the intermediate power. */
function ldexp(p: number, e: number): number {
  while (e > 1000) {
    p *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    p *= 2 ** -1000;
    e += 1000;
  }
  return p * 2 ** e;
}

/** log(n! / nⁿ) by Stirling's series with the n·log n term removed up front. */
function logFactorialOverPower(n: number): number {
  // Bernoulli terms B_{2j} / (2j(2j − 1)), j = 8 … 1 (Horner order)
  const c = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2];
  const rn = 1 / n;
  const y = rn / n;
  let s = 0;
  for (const ci of c) s = s * y + ci;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * s;
}

/**
 * P(Dₙ ≥ d), the survival function of the two-sided one-sample Kolmogorov–Smirnov statistic —
 * `scipy.stats.kstwo.sf(d, n)` (Simard & L'Ecuyer 2011's choice of method). NaN for a bad n.
 * @example kolmogorovSf(100, 0.1) // ≈ 0.2527
 */
export function kolmogorovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      const f = 2 * t - 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * f;
    } else prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip01(1 - durbinCdf(n, d));
    if (nd2 <= 4) return clip01(1 - pomeranzCdf(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}

/**
 * P(Dₙ ≤ d) by Durbin's matrix method as Marsaglia, Tsang & Wang (2003) compute it: write
 * d = (k − h)/n, build the (2k − 1)² matrix H, take the k-th diagonal entry of Hⁿ by repeated
 * squaring (rescaled by 2^±128 to stay in range) and multiply by n!/nⁿ.
 */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let P = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      P = matmul(P, H, m);
      expnt += hExpnt;
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > E128) {
      for (let i = 0; i < H.length; i++) H[i] /= E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return clip01(ldexp(p, expnt));
}

function matmul(a: Float64Array<ArrayBuffer>, b: Float64Array<ArrayBuffer>, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const oi = i * m;
    for (let l = 0; l < m; l++) {
      const ail = a[oi + l];
      if (ail === 0) continue;
      const bl = l * m;
      for (let j = 0; j < m; j++) out[oi + j] += ail * b[bl + j];
    }
  }
  return out;
}

/** Row i's non-zero column range in Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    const odd = (i + 1) % 2;
    if (odd === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * P(Dₙ ≤ d) by Pomeranz's recursion (CACM algorithm 487, 1974): 2n + 1 rows, each the
 * convolution of the previous one with (almost) Poisson weights, rescaled against underflow.
 */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  const a = g / n;
  const b = (2 * g) / n;
  const c = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * a) / m;
    twogpower[m] = (twogpower[m - 1] * b) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * c) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzRange(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilf, roundf);
    const pw = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const len = j2 - k1 + 1;
    if (len > 0) {
      // full convolution of V0[k1 − V0s, +len) with pw[0, len), entries conv_start … conv_start + conv_len
      const off = k1 - V0s;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let q = 0; q < convLen; q++) {
        const idx = convStart + q;
        let s = 0;
        const lo = Math.max(0, idx - (len - 1));
        const hi = Math.min(idx, len - 1);
        for (let r = lo; r <= hi; r++) s += V0[off + r] * pw[idx - r];
        V1[q] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let q = 0; q < V1.length; q++) V1[q] *= E128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return clip01(ldexp(ans, expnt));
}

/**
 * The Pelz–Good (1976) approximation to P(Dₙ ≤ x): Li-Chien / Korolyuk's expansion
 * K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^{3/2} at z = x√n, each term rewritten with Jacobi theta
 * functions so the series converge fast for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qp + c[i];
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}

/**
 * P(Dₙ⁺ ≥ d), the survival function of the one-sided Smirnov statistic (`scipy.special.smirnov`).
 * Exact Birnbaum–Tingey sum for n ≤ 10⁶ (terms in log space, stopped once the rest cannot change
 * the sum), exp(−(6nd + 1)²/(18n)) above.
 * @example smirnovSf(10, 0.5) // ≈ 0.003889
 */
export function smirnovSf(n: number, d: number): number {
  if (!(n > 0 && d >= 0 && d <= 1) || !Number.isInteger(n)) return NaN;
  if (n === 1) return 1 - d;
  if (d === 0) return 1;
  if (d === 1) return 0;
  const nd = n * d;
  const ndFloor = Math.floor(nd);
  const alpha = nd - ndFloor;
  if (ndFloor === 0 || (ndFloor === 1 && alpha === 0)) return clip01(1 - d * (1 + d) ** (n - 1));
  if (-2 * n * d * d < -708.3964185322641) return 0;
  if (ndFloor >= n - 1) return clip01((1 - d) ** n);
  if (n > SMIRNOV_MAX_N) {
    const logp = -((6 * n * d + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  // Σ_{v=0}^{n−⌊nd⌋−1} A_v, A_v = C(n,v)(d + v/n)^{v−1}(1 − d − v/n)^{n−v}
  const terms = n - ndFloor;
  if (terms > GRID_MIN_TERMS) {
    const s = gridSum(n, d, terms);
    if (s !== null) return clip01(d * s);
  }
  const half = n / 2;
  let logC = 0;
  let sum = 0;
  for (let v = 0; v < terms; v++) {
    const up = v / n + d;
    const down = (n - v) / n - d;
    const logA = logC + (v - 1) * Math.log(up) + (n - v) * Math.log(down);
    const a = Math.exp(logA);
    sum += a;
    if (a !== 0) {
      if (4 * (terms - v) * a < EPS * sum && v !== terms - 1) break;
    } else if (v > half) break;
    logC += Math.log((n - v) / (v + 1));
  }
  return clip01(d * sum);
}

/** log A_v = log C(n,v) + (v − 1)·log(d + v/n) + (n − v)·log(1 − d − v/n), by log Γ. */
function logTerm(n: number, d: number, v: number, logGammaN1: number): number {
  return logGammaN1 - logGamma(v + 1) - logGamma(n - v + 1) + (v - 1) * Math.log(v / n + d) + (n - v) * Math.log((n - v) / n - d);
}

/**
 * Σ_{v=0}^{N−1} A_v for large N without visiting every term. The terms form one smooth bump
 * (log-concave in v; its width σ grows like √n or faster), negligible at both ends of the range. For
 * such a function the sum over the integers equals its integral up to e^{−2π²σ²} (Poisson summation),
 * and the trapezoid rule with step h equals the integral up to about e^{−2π²σ²/h²}: with h = σ/8 both
 * are far below double precision, so the sum is h × the terms at every h-th v. Returns null (the
 * caller sums every term) when the bump is narrow or reaches an end of the range.
 */
function gridSum(n: number, d: number, N: number): number | null {
  const lg = logGamma(n + 1);
  const g = (v: number) => logTerm(n, d, v, lg);
  // the peak, by ternary search over integers (g is concave)
  let lo = 0;
  let hi = N - 1;
  while (hi - lo > 2) {
    const m1 = lo + Math.floor((hi - lo) / 3);
    const m2 = hi - Math.floor((hi - lo) / 3);
    if (g(m1) < g(m2)) lo = m1 + 1;
    else hi = m2 - 1;
  }
  let peak = lo;
  for (let v = lo + 1; v <= hi; v++) if (g(v) > g(peak)) peak = v;
  const gp = g(peak);
  // the width: second difference at a step large enough to rise above rounding noise
  let step = 1;
  let curv = 0;
  for (;;) {
    if (peak - step < 0 || peak + step > N - 1) return null;
    curv = (g(peak + step) + g(peak - step) - 2 * gp) / (step * step);
    if (-curv * step * step > 1e-2) break;
    step *= 2;
  }
  if (!(curv < 0)) return null;
  const sigma = 1 / Math.sqrt(-curv);
  const h = Math.floor(sigma / 8);
  if (h < 4) return null;
  const CUT = 60; // e^{−60} of the peak: nothing beyond matters
  let sum = 0;
  for (let v = peak; ; v += h) {
    if (v > N - 1) return null;
    const t = g(v) - gp;
    sum += Math.exp(t);
    if (t < -CUT) break;
  }
  for (let v = peak - h; ; v -= h) {
    if (v < 0) return null;
    const t = g(v) - gp;
    sum += Math.exp(t);
    if (t < -CUT) break;
  }
  return h * sum * Math.exp(gp);
}
