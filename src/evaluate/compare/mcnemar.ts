/**
 * McNemar's test (McNemar, "Note on the sampling error of the difference between correlated
 * proportions or percentages", Psychometrika 12, 1947) for two classifiers' accuracy on the same
 * rows. Only the discordant rows count: b = rows only A gets right, c = rows only B gets right.
 * With few of them (b + c < `exactBelow`, default 25) the exact binomial test: statistic min(b, c),
 * p = min(1, 2·P(Bin(b + c, ½) ≤ min(b, c))); otherwise χ² with continuity correction
 * (|b − c| − 1)² / (b + c) on one degree of freedom — statsmodels' `mcnemar(exact, correction=True)`.
 */
import { InvalidInputError, normalCdf } from "../../core/index.js";

export interface McNemarResult {
  method: "exact" | "chi2";
  statistic: number;
  pValue: number;
  /** Rows only A classifies right. */
  aOnly: number;
  /** Rows only B classifies right. */
  bOnly: number;
  /** Accuracy of A and of B on the rows. */
  accuracyA: number;
  accuracyB: number;
  rows: number;
}

/** P(X ≤ k) for X ~ Binomial(n, ½), summed in log space (exact for the small n it is used with). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k >= n) return 1;
  if (k < 0) return 0;
  let logTerm = -n * Math.LN2; // C(n, 0) / 2^n
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/** P(χ²₁ ≥ x) = 2Φ(−√x): the upper tail of one degree of freedom. */
export function chiSquare1Sf(x: number): number {
  return x <= 0 ? 1 : 2 * normalCdf(-Math.sqrt(x));
}

/**
 * McNemar's test on true labels and two models' predicted labels (codes, any number of classes).
 *
 * @example
 * const t = mcnemarTest(y, candidateLabels, championLabels);
 * // { method: "chi2", statistic: 4.2, pValue: 0.04, aOnly: 31, bOnly: 17, ... }
 */
export function mcnemarTest(yTrue: ArrayLike<number>, labelsA: ArrayLike<number>, labelsB: ArrayLike<number>, options: { exactBelow?: number } = {}): McNemarResult {
  const n = yTrue.length;
  if (labelsA.length !== n || labelsB.length !== n) throw new InvalidInputError(`McNemar's test needs one label per row of each model: ${n} rows, ${labelsA.length} and ${labelsB.length} labels`, { path: "labels", expected: `${n} labels each`, received: [labelsA.length, labelsB.length] });
  if (n === 0) throw new InvalidInputError("McNemar's test needs at least one row", { path: "yTrue", expected: "≥ 1 row", received: 0 });
  const exactBelow = options.exactBelow ?? 25;
  let aOnly = 0;
  let bOnly = 0;
  let rightA = 0;
  let rightB = 0;
  for (let i = 0; i < n; i++) {
    const a = labelsA[i] === yTrue[i];
    const b = labelsB[i] === yTrue[i];
    rightA += a ? 1 : 0;
    rightB += b ? 1 : 0;
    if (a && !b) aOnly++;
    else if (b && !a) bOnly++;
  }
  const discordant = aOnly + bOnly;
  const base = { aOnly, bOnly, accuracyA: rightA / n, accuracyB: rightB / n, rows: n };
  if (discordant < exactBelow) {
    const k = Math.min(aOnly, bOnly);
    return { method: "exact", statistic: k, pValue: discordant === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(k, discordant)), ...base };
  }
  const statistic = (Math.abs(aOnly - bOnly) - 1) ** 2 / discordant;
  return { method: "chi2", statistic, pValue: chiSquare1Sf(statistic), ...base };
}
