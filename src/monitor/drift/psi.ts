/**
 * The Population Stability Index over matching buckets (Yurdakul, "Statistical properties of
 * population stability index", 2018): PSI = Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ) over the shares rᵢ of the
 * reference and cᵢ of the current data, each share floored at 0.0001 so an empty bucket stays finite.
 * Rules of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.
 */

/** Share floor for PSI (an empty bucket counts as 0.01 %). */
export const PSI_FLOOR = 1e-4;

/**
 * PSI of current against reference bucket counts (same buckets, same order). 0 when a side is empty.
 * @example
 * ```ts
 * psi([25, 25, 25, 25], [10, 20, 30, 40]);
 * ```
 */
export function psi(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): number {
  const rt = total(referenceCounts);
  const ct = total(currentCounts);
  if (rt === 0 || ct === 0) return 0;
  let s = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const r = Math.max(referenceCounts[i] / rt, PSI_FLOOR);
    const c = Math.max(currentCounts[i] / ct, PSI_FLOOR);
    s += (c - r) * Math.log(c / r);
  }
  return s;
}

export function total(counts: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < counts.length; i++) t += counts[i];
  return t;
}
