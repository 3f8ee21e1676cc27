/**
 * Pearson's chi-square goodness-of-fit test, as `scipy.stats.chisquare(f_obs, f_exp)`:
 * χ² = Σ (O − E)² / E with k − 1 degrees of freedom, p = P(χ²_{k−1} ≥ χ²) = Q((k − 1)/2, χ²/2),
 * the regularized upper incomplete gamma function. Q is evaluated by its power series below
 * x < a + 1 and by Lentz's continued fraction above (Numerical Recipes §6.2); log Γ by Lanczos'
 * approximation with Godfrey's coefficients (g = 607/128, 15 terms; relative error ≈ 1e-15).
 */
import { InvalidInputError } from "../../core/errors.js";
import type { TestResult } from "./ks-two-sample.js";

const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174, -0.49191381609762019978, 0.33994649984811888699e-4,
  0.46523628927048575665e-4, -0.98374475304879564677e-4, 0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.2174396181152126432e-3,
  -0.16431810653676389022e-3, 0.84418223983852743293e-4, -0.2619083840158140867e-4, 0.36899182659531622704e-5,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Γ(x) for x > 0 (Lanczos). */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function (`scipy.special.gammaincc`), a > 0, x ≥ 0.
 * @example gammaQ(1, 2) // e⁻² ≈ 0.1353
 */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^{−x} x^a / Γ(a + 1) · Σ x^k / ((a + 1)…(a + k))
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 10_000; k++) {
      term *= x / (a + k);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  if (logPrefix < -745) return 0;
  // Q(a, x) = e^{−x} x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − …)), modified Lentz
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * f;
}

/** P(χ²_df ≥ x), `scipy.stats.chi2.sf(x, df)`. */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/**
 * Pearson's χ² test of observed counts against expected counts (same length, same total), as
 * `scipy.stats.chisquare(observed, expected)`. With a single bucket there is no degree of freedom:
 * SciPy answers NaN; Keel reports statistic 0 and p-value 1 (nothing can have moved).
 * @throws InvalidInputError for different lengths, a negative or non-finite count, an expected count ≤ 0, or totals that differ.
 * @example chiSquareTest([10, 20, 30], [15, 15, 30]) // { statistic: 3.333…, pValue: ≈0.189 }
 */
export function chiSquareTest(observed: ArrayLike<number>, expected: ArrayLike<number>): TestResult {
  const k = observed.length;
  if (expected.length !== k) {
    throw new InvalidInputError(`observed and expected counts differ in length (${k} vs ${expected.length})`, { path: "expected", expected: `${k} counts`, received: expected.length });
  }
  let so = 0;
  let se = 0;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const o = observed[i];
    const e = expected[i];
    if (!(o >= 0) || !Number.isFinite(o)) throw new InvalidInputError(`observed count ${i} is ${o}`, { path: `observed[${i}]`, expected: "a finite count ≥ 0", received: o });
    if (!(e > 0) || !Number.isFinite(e)) throw new InvalidInputError(`expected count ${i} is ${e}`, { path: `expected[${i}]`, expected: "a finite count > 0", received: e });
    so += o;
    se += e;
    stat += ((o - e) * (o - e)) / e;
  }
  if (Math.abs(so - se) > 1e-8 * Math.max(so, se)) {
    throw new InvalidInputError(`observed and expected totals differ (${so} vs ${se})`, { path: "expected", expected: `counts summing to ${so}`, received: se });
  }
  if (k <= 1) return { statistic: 0, pValue: 1 };
  return { statistic: stat, pValue: chiSquareSf(stat, k - 1) };
}
