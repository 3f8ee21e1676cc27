/**
 * Which test decides whether a column drifted, chosen as Evidently's defaults choose it
 * (`get_default_stattest`, Evidently 0.4): a numeric column with at most 5 distinct values (both
 * sides together) counts as categorical; up to 1,000 reference values, the two-sample KS test
 * (numeric) or Pearson's χ² (categorical) at p < 0.05; above, the normalised Wasserstein distance
 * (numeric) or the Jensen–Shannon distance (categorical) above 0.1. Evidently tests a binary column
 * with ≤ 1,000 rows by a proportions z-test; Keel uses χ² there too (the same test for 2 buckets,
 * up to continuity). Any column can be given another test and threshold.
 */

/** A drift test Keel can decide by: p-value tests ("ks", "chi2") drift below their threshold, distances above. */
export type DriftTest = "ks" | "chi2" | "wasserstein_norm" | "js" | "psi";
/** The drift tests Keel runs (Evidently's names). */
export const DRIFT_TESTS: readonly DriftTest[] = ["ks", "chi2", "wasserstein_norm", "js", "psi"];

/** Default thresholds: α = 0.05 for p-values, 0.1 for distances (PSI 0.1: "moderate shift" starts). */
export const DRIFT_THRESHOLDS: Readonly<Record<DriftTest, number>> = { ks: 0.05, chi2: 0.05, wasserstein_norm: 0.1, js: 0.1, psi: 0.1 };

/** Up to this many reference values, the p-value tests decide (Evidently's cut-over). */
export const SMALL_REFERENCE_ROWS = 1000;
/** A numeric column with at most this many distinct values counts as categorical. */
export const MAX_CATEGORICAL_NUMERIC_VALUES = 5;

/**
 * Is this test's statistic a p-value (drift when below the threshold)?
 * @example
 * ```ts
 * isPValueTest("ks"); // true
 * isPValueTest("psi"); // false
 * ```
 */
export function isPValueTest(test: DriftTest): boolean {
  return test === "ks" || test === "chi2";
}

/**
 * Evidently's default test for a column treated as `kind` with `referenceRows` non-missing reference values.
 * @example
 * ```ts
 * defaultTest("numeric", 500); // "ks"
 * defaultTest("numeric", 5000); // "wasserstein_norm"
 * ```
 */
export function defaultTest(kind: "numeric" | "categorical", referenceRows: number): DriftTest {
  if (referenceRows <= SMALL_REFERENCE_ROWS) return kind === "numeric" ? "ks" : "chi2";
  return kind === "numeric" ? "wasserstein_norm" : "js";
}
