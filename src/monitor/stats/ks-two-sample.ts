/**
 * The two-sample Kolmogorov–Smirnov test as `scipy.stats.ks_2samp(a, b)` (two-sided, method
 * "auto") computes it, on samples already sorted ascending:
 * - statistic D = maxₓ |F_a(x) − F_b(x)| over the pooled values (right-continuous ECDFs, so ties
 *   count on both sides at once), found by one merge walk of the two sorted arrays;
 * - p-value exact when both samples hold at most 10,000 values: for equal sizes the closed form
 *   of Gnedenko & Korolyuk (an alternating sum evaluated Horner-fashion), otherwise Hodges' (1958)
 *   lattice-path "inside" count in Viehmann's (arXiv:2102.08037) form that yields 1 − p directly; then
 *   D is reported as h / lcm(n_a, n_b) with h = round(D · lcm);
 * - otherwise (or when the exact count fails numerically) asymptotic: the one-sample two-sided
 *   distribution at the effective size round(n_a·n_b / (n_a + n_b)) (`kolmogorovSf`).
 */
import { InvalidInputError } from "../../core/index.js";
import { kolmogorovSf } from "./kolmogorov.js";

/** A test result: the statistic and its p-value. */
export interface TestResult {
  readonly statistic: number;
  readonly pValue: number;
}

/** Above this sample size, ks_2samp's "auto" method uses the asymptotic distribution. */
export const KS_MAX_EXACT_N = 10_000;

/**
 * The two-sided two-sample KS test of ascending `a` and `b` (no NaN), as `scipy.stats.ks_2samp`.
 * @throws InvalidInputError when a sample is empty.
 * @example ksTwoSample(Float64Array.of(1, 2, 3), Float64Array.of(2.5, 4, 5, 6)) // { statistic: 0.75, pValue: ≈0.23 }
 */
export function ksTwoSample(a: Float64Array, b: Float64Array): TestResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    throw new InvalidInputError(`the KS test needs values on both sides; got ${n1} reference and ${n2} current values`, {
      path: n1 === 0 ? "reference" : "current",
      expected: "at least one non-missing value",
      received: 0,
    });
  }
  let d = ksStatistic(a, b);
  const g = gcd(n1, n2);
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    const dExact = h / lcm;
    if (h === 0) return { statistic: dExact, pValue: 1 };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: dExact, pValue: prob };
    d = dExact;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: kolmogorovSf(roundHalfEven(en), d) };
}

/** max |F_a − F_b| over the pooled values of ascending `a` and `b`, by one merge walk. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = a[i] <= b[j] ? a[i] : b[j];
    while (i < n1 && a[i] <= x) i++;
    while (j < n2 && b[j] <= x) j++;
    const diff = i / n1 - j / n2;
    const ad = diff < 0 ? -diff : diff;
    if (ad > d) d = ad;
  }
  // once one side is exhausted its ECDF is 1; the other only climbs toward 1, so the gap shrinks
  return d;
}

/**
 * P(D_{n,n} ≥ h/n) = 2·Σ_k (−1)^{k+1} C(2n, n − kh) / C(2n, n), each ratio a product of h simple
 * factors, folded as 2·A₀(1 − A₁(1 − A₂(…))).
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * The share of monotone lattice paths (0,0) → (m,n) that touch |x/m − y/n| ≥ h/lcm(m,n): Hodges'
 * inside method, one sliding column of the path-count table, carried as 1 − share ratios.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** NumPy's rounding: to the nearest integer, halves to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
