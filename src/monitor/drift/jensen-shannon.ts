/**
 * The Jensen–Shannon distance (Lin, "Divergence measures based on the Shannon entropy", 1991) as
 * `scipy.spatial.distance.jensenshannon(p, q)` with the natural log: normalise both count vectors
 * to shares, m = (p + q)/2, JS = √((KL(p‖m) + KL(q‖m)) / 2), with 0·ln 0 = 0. Between 0 (same
 * shares) and √ln 2 ≈ 0.833 (disjoint buckets).
 */
import { total } from "./psi.js";

/**
 * JS distance between two count vectors over the same buckets (raw shares, no floor). 0 when a side is empty.
 * @example
 * ```ts
 * jensenShannon([50, 50], [90, 10]); // > 0.1: drifted under Evidently's threshold
 * ```
 */
export function jensenShannon(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): number {
  const rt = total(referenceCounts);
  const ct = total(currentCounts);
  if (rt === 0 || ct === 0) return 0;
  let left = 0;
  let right = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const p = referenceCounts[i] / rt;
    const q = currentCounts[i] / ct;
    const m = (p + q) / 2;
    if (p > 0) left += p * Math.log(p / m);
    if (q > 0) right += q * Math.log(q / m);
  }
  return Math.sqrt(Math.max(left + right, 0) / 2);
}
