/**
 * The first Wasserstein (earth mover's) distance between two samples, as
 * `scipy.stats.wasserstein_distance(u, v)`: W₁ = ∫ |F_u(x) − F_v(x)| dx, the area between the two
 * empirical CDFs — a sum over consecutive pooled values of |F_u − F_v| × the gap between them,
 * taken here in one merge walk of the two sorted samples.
 */

/**
 * W₁ between ascending samples `a` and `b` (both non-empty, finite).
 * @example
 * ```ts
 * wassersteinSorted([1, 2, 3], [2, 3, 4]); // 1
 * ```
 */
export function wassersteinSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let x = a[0] <= b[0] ? a[0] : b[0];
  while (i < n1 || j < n2) {
    while (i < n1 && a[i] <= x) i++;
    while (j < n2 && b[j] <= x) j++;
    if (i === n1 && j === n2) break;
    const next = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    const diff = i / n1 - j / n2;
    sum += (diff < 0 ? -diff : diff) * (next - x);
    x = next;
  }
  return sum;
}

/**
 * Population standard deviation (ddof 0, `np.std`) of the values: √(Σ(x − mean)² / n); NaN if empty.
 * @example
 * ```ts
 * populationStd([1, 2, 3, 4]); // ≈ 1.118
 * ```
 */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

/**
 * Evidently's `wasserstein_norm`: W₁(reference, current) ÷ the reference's population standard
 * deviation (÷ 1 when that is 0), so 0.1 means "the mass moved a tenth of a standard deviation".
 * @example
 * ```ts
 * wassersteinNormalized([1, 2, 3, 4], [2, 3, 4, 5], populationStd([1, 2, 3, 4])); // ≈ 0.894
 * ```
 */
export function wassersteinNormalized(reference: ArrayLike<number>, current: ArrayLike<number>, referenceStd: number): number {
  return wassersteinSorted(reference, current) / (referenceStd > 0 ? referenceStd : 1);
}
