/**
 * Cohen's kappa (Cohen 1960): agreement between two labellings beyond chance,
 * κ = 1 − Σ w·O / Σ w·E with O the confusion matrix, E the outer product of its margins over the
 * total, and w the disagreement weights: 1 off the diagonal (unweighted), |i − j| ("linear") or
 * (i − j)² ("quadratic", Cohen 1968), i and j being positions in the sorted label list.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Numbers, WeightOption } from "./check.js";
import { confusionMatrix } from "./confusion-matrix.js";

/** Options of `cohenKappa`. */
export interface CohenKappaOptions extends WeightOption {
  /** Disagreement weights (default: none, i.e. 0/1). */
  weights?: "linear" | "quadratic";
  /** Labels to include, in order (default: labels present, ascending). */
  labels?: Numbers;
}

/**
 * Cohen's kappa (Cohen 1960): agreement between two labelings beyond chance, κ = (p_o − p_e) / (1 − p_e); `weights` gives the weighted kappa for ordinal labels.
 * @example
 * ```ts
 * cohenKappa([0, 1, 2, 2], [0, 1, 2, 1], { weights: "quadratic" });
 * ```
 */
export function cohenKappa(y1: Numbers, y2: Numbers, options: CohenKappaOptions = {}): number {
  const { weights } = options;
  if (weights !== undefined && weights !== "linear" && weights !== "quadratic") {
    throw new InvalidInputError(`weights must be "linear" or "quadratic" (or absent), got ${show(weights)}`, { path: "weights", expected: "linear | quadratic", received: weights });
  }
  const { labels, matrix } = confusionMatrix(y1, y2, { sampleWeight: options.sampleWeight, labels: options.labels });
  const L = labels.length;
  const rows = new Float64Array(L);
  const cols = new Float64Array(L);
  let total = 0;
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      rows[a] += matrix[a * L + b];
      cols[b] += matrix[a * L + b];
    }
  }
  for (let b = 0; b < L; b++) total += cols[b];
  let observed = 0;
  let expected = 0;
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      const w = weights === "linear" ? Math.abs(a - b) : weights === "quadratic" ? (a - b) * (a - b) : a === b ? 0 : 1;
      observed += w * matrix[a * L + b];
      // scikit-learn's expected matrix is outer(column sums, row sums) / total
      expected += (w * (cols[a] * rows[b])) / total;
    }
  }
  return 1 - observed / expected;
}
