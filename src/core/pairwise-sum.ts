/**
 * Sums as NumPy computes them (`np.sum`, `np.mean`, `np.average` on a float64 vector): the vector
 * is reduced in buffers of 8,192 values added one after another, and each buffer by NumPy's
 * pairwise summation (`pairwise_sum`: below 8 values a plain loop; up to 128, eight running sums
 * combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the rest; above, the two halves — the first
 * a multiple of 8 — summed recursively). Bit-for-bit equal to NumPy, which matters where a
 * reference value starts from a mean (scikit-learn's baseline predictions).
 */

/** NumPy's reduction buffer size (`np.getbufsize()`). */
const BUFFER = 8192;

/**
 * Σ values[i] (times weights[i] when given: `np.multiply(values, weights).sum()`), in NumPy's order.
 * @example pairwiseSum(Float64Array.of(0.1, 0.2, 0.3)) // 0.6000000000000001, as np.sum
 */
export function pairwiseSum(values: ArrayLike<number>, weights?: ArrayLike<number> | null): number {
  let res = 0;
  for (let lo = 0; lo < values.length; lo += BUFFER) res += block(values, weights ?? null, lo, Math.min(BUFFER, values.length - lo));
  return res;
}

/**
 * `np.average(values, weights=weights)` (the plain mean without weights); NaN when empty.
 * @example
 * ```ts
 * numpyAverage([1, 2, 3], [1, 1, 2]); // 2.25
 * ```
 */
export function numpyAverage(values: ArrayLike<number>, weights?: ArrayLike<number> | null): number {
  return weights ? pairwiseSum(values, weights) / pairwiseSum(weights) : pairwiseSum(values) / values.length;
}

function at(v: ArrayLike<number>, w: ArrayLike<number> | null, i: number): number {
  return w ? v[i] * w[i] : v[i];
}

function block(v: ArrayLike<number>, w: ArrayLike<number> | null, lo: number, n: number): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0; i < n; i++) r += at(v, w, lo + i);
    return r;
  }
  if (n <= 128) {
    let r0 = at(v, w, lo), r1 = at(v, w, lo + 1), r2 = at(v, w, lo + 2), r3 = at(v, w, lo + 3);
    let r4 = at(v, w, lo + 4), r5 = at(v, w, lo + 5), r6 = at(v, w, lo + 6), r7 = at(v, w, lo + 7);
    let i = 8;
    for (const end = n - (n % 8); i < end; i += 8) {
      const o = lo + i;
      r0 += at(v, w, o);
      r1 += at(v, w, o + 1);
      r2 += at(v, w, o + 2);
      r3 += at(v, w, o + 3);
      r4 += at(v, w, o + 4);
      r5 += at(v, w, o + 5);
      r6 += at(v, w, o + 6);
      r7 += at(v, w, o + 7);
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += at(v, w, lo + i);
    return res;
  }
  let n2 = n >> 1;
  n2 -= n2 % 8;
  return block(v, w, lo, n2) + block(v, w, lo + n2, n - n2);
}
