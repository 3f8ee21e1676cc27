/**
 * Pearson's chi-square goodness-of-fit test, as `scipy.stats.chisquare(f_obs, f_exp)`:
 * χ² = Σ (O − E)² / E with k − 1 degrees of freedom, p = P(χ²_{k−1} ≥ χ²) = Q((k − 1)/2, χ²/2),
 * the regularized upper incomplete gamma function. Q is evaluated by its power series below
 * x < a + 1 and by Lentz's continued fraction above (`gamma.ts`).
 */
import { InvalidInputError } from "../../core/index.js";
import { gammaQ } from "./gamma.js";
import type { TestResult } from "./ks-two-sample.js";

/**
 * P(χ²_df ≥ x), `scipy.stats.chi2.sf(x, df)`.
 * @example
 * ```ts
 * chiSquareSf(3.84, 1); // ≈ 0.05
 * ```
 */
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
