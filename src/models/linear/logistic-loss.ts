/**
 * Logistic-regression loss and gradient kernels over a row range, fused in one pass over the
 * data: rows are taken in blocks of `BLOCK`, the block's linear predictions are accumulated
 * column by column (eight, then four columns per sweep), turned into pointwise losses and gradients, and the
 * gradient is accumulated from the same block while it is still in cache. Features are
 * column-major (`cols[j][i]`), so a Frame's numeric columns are used without copying.
 *
 * Objective (scikit-learn ≥ 1.1 `LinearModelLoss`): Σᵢ sᵢ·ℓ(yᵢ, zᵢ), with
 * - binary (half binomial): ℓ = log(1 + e^z) − y·z, ∂ℓ/∂z = σ(z) − y, y ∈ {0, 1}, evaluated as
 *   max(z, 0) − y·z + log(1 + e^{−|z|}): one exp per row, and (unweighted) one log per 512 rows
 *   through the product of the (1 + e) factors; Math.exp/Math.log measured faster in V8 than
 *   inline polynomial approximations, whose Horner chains are latency-bound;
 * - multinomial: ℓ = log Σₖ e^{zₖ} − z_y, ∂ℓ/∂zₖ = softmaxₖ(z) − [y = k].
 * The L2 penalty is added by the caller.
 *
 * These functions reference nothing outside themselves: the parallel evaluator sends their
 * source text to worker threads.
 */

/** Rows per block: the block's predictions and its slice of every column stay in L2 cache. */
export const BLOCK = 4096;

/**
 * Binary loss over rows [start, end). Coefficients `w` are [w₀ … w_{p−1}, b] (b used when
 * `fitIntercept`). Adds the gradient into `grad[0 .. p]` (grad[p] is the intercept's) and returns
 * the loss. `z` is scratch of length ≥ BLOCK.
 */
export function binaryLossGradient(
  cols: Float64Array[],
  y: Float64Array,
  sw: Float64Array | null,
  w: Float64Array,
  fitIntercept: boolean,
  start: number,
  end: number,
  z: Float64Array,
  grad: Float64Array,
): number {
  const p = cols.length;
  const B = 4096;
  const b = fitIntercept ? w[p] : 0;
  let loss = 0;
  let gsum = 0;
  for (let s = start; s < end; s += B) {
    const len = Math.min(B, end - s);
    for (let i = 0; i < len; i++) z[i] = b;
    let j = 0;
    for (; j + 8 <= p; j += 8) {
      const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3], c4 = cols[j + 4], c5 = cols[j + 5], c6 = cols[j + 6], c7 = cols[j + 7];
      const w0 = w[j], w1 = w[j + 1], w2 = w[j + 2], w3 = w[j + 3], w4 = w[j + 4], w5 = w[j + 5], w6 = w[j + 6], w7 = w[j + 7];
      for (let i = 0, k = s; i < len; i++, k++) z[i] += w0 * c0[k] + w1 * c1[k] + w2 * c2[k] + w3 * c3[k] + w4 * c4[k] + w5 * c5[k] + w6 * c6[k] + w7 * c7[k];
    }
    for (; j + 4 <= p; j += 4) {
      const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3];
      const w0 = w[j], w1 = w[j + 1], w2 = w[j + 2], w3 = w[j + 3];
      for (let i = 0, k = s; i < len; i++, k++) z[i] += w0 * c0[k] + w1 * c1[k] + w2 * c2[k] + w3 * c3[k];
    }
    for (; j < p; j++) {
      const c = cols[j], wj = w[j];
      for (let i = 0, k = s; i < len; i++, k++) z[i] += wj * c[k];
    }
    if (sw === null) {
      // Σ log(1 + e) as log Π(1 + e) over runs of 512 rows: each factor is in (1, 2], so the
      // product stays below 2^512, and one log replaces 512 log1p calls (rounding as a sum of logs)
      // branch-free on the sign of z (random signs defeat branch prediction): max(z, 0) as
      // (z + |z|)/2 and σ(z) as ½ + sign(z)·½·(1 − e)/(1 + e), sign(z) as z/(|z| + tiny)
      let prod = 1;
      for (let i = 0, k = s; i < len; i++, k++) {
        const r = z[i];
        const yi = y[k];
        const a = Math.abs(r);
        const e = Math.exp(-a);
        const q = 1 + e;
        prod *= q;
        if ((i & 511) === 511) {
          loss += Math.log(prod);
          prod = 1;
        }
        loss += (r + a) * 0.5 - yi * r;
        const g = 0.5 + ((r * 0.5) / (a + 1e-300)) * ((1 - e) / q) - yi;
        z[i] = g;
        gsum += g;
      }
      loss += Math.log(prod);
    } else {
      for (let i = 0, k = s; i < len; i++, k++) {
        const r = z[i];
        const yi = y[k];
        const wi = sw[k];
        const e = Math.exp(-Math.abs(r));
        loss += wi * ((r > 0 ? r : 0) - yi * r + Math.log1p(e));
        const g = wi * ((r >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi);
        z[i] = g;
        gsum += g;
      }
    }
    j = 0;
    for (; j + 8 <= p; j += 8) {
      const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3], c4 = cols[j + 4], c5 = cols[j + 5], c6 = cols[j + 6], c7 = cols[j + 7];
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let i = 0, k = s; i < len; i++, k++) {
        const g = z[i];
        a0 += g * c0[k];
        a1 += g * c1[k];
        a2 += g * c2[k];
        a3 += g * c3[k];
        a4 += g * c4[k];
        a5 += g * c5[k];
        a6 += g * c6[k];
        a7 += g * c7[k];
      }
      grad[j] += a0;
      grad[j + 1] += a1;
      grad[j + 2] += a2;
      grad[j + 3] += a3;
      grad[j + 4] += a4;
      grad[j + 5] += a5;
      grad[j + 6] += a6;
      grad[j + 7] += a7;
    }
    for (; j + 4 <= p; j += 4) {
      const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3];
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0, k = s; i < len; i++, k++) {
        const g = z[i];
        a0 += g * c0[k];
        a1 += g * c1[k];
        a2 += g * c2[k];
        a3 += g * c3[k];
      }
      grad[j] += a0;
      grad[j + 1] += a1;
      grad[j + 2] += a2;
      grad[j + 3] += a3;
    }
    for (; j < p; j++) {
      const c = cols[j];
      let a = 0;
      for (let i = 0, k = s; i < len; i++, k++) a += z[i] * c[k];
      grad[j] += a;
    }
  }
  if (fitIntercept) grad[p] += gsum;
  return loss;
}

/**
 * Multinomial loss over rows [start, end) for K classes. Coefficients are class-major:
 * `w[k·(p+1) + j]`, the intercept of class k at `w[k·(p+1) + p]`. `y` holds class indices.
 * Adds the gradient (same layout) into `grad` and returns the loss. `z` is scratch of length
 * ≥ K·BLOCK.
 */
export function multinomialLossGradient(
  cols: Float64Array[],
  y: Float64Array,
  sw: Float64Array | null,
  w: Float64Array,
  K: number,
  fitIntercept: boolean,
  start: number,
  end: number,
  z: Float64Array,
  grad: Float64Array,
): number {
  const p = cols.length;
  const d = p + 1;
  const B = 4096;
  let loss = 0;
  for (let s = start; s < end; s += B) {
    const len = Math.min(B, end - s);
    for (let c = 0; c < K; c++) {
      const o = c * B;
      const wc = c * d;
      const b = fitIntercept ? w[wc + p] : 0;
      for (let i = 0; i < len; i++) z[o + i] = b;
      let j = 0;
      for (; j + 4 <= p; j += 4) {
        const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3];
        const w0 = w[wc + j], w1 = w[wc + j + 1], w2 = w[wc + j + 2], w3 = w[wc + j + 3];
        for (let i = 0, k = s; i < len; i++, k++) z[o + i] += w0 * c0[k] + w1 * c1[k] + w2 * c2[k] + w3 * c3[k];
      }
      for (; j < p; j++) {
        const cj = cols[j], wj = w[wc + j];
        for (let i = 0, k = s; i < len; i++, k++) z[o + i] += wj * cj[k];
      }
    }
    for (let i = 0, k = s; i < len; i++, k++) {
      let mx = z[i];
      for (let c = 1; c < K; c++) if (z[c * B + i] > mx) mx = z[c * B + i];
      const yi = y[k] | 0;
      const zy = z[yi * B + i];
      let sum = 0;
      for (let c = 0; c < K; c++) {
        const e = Math.exp(z[c * B + i] - mx);
        z[c * B + i] = e;
        sum += e;
      }
      const wi = sw === null ? 1 : sw[k];
      loss += wi * (Math.log(sum) + mx - zy);
      const inv = 1 / sum;
      for (let c = 0; c < K; c++) z[c * B + i] = wi * (z[c * B + i] * inv - (c === yi ? 1 : 0));
    }
    for (let c = 0; c < K; c++) {
      const o = c * B;
      const gc = c * d;
      let j = 0;
      for (; j + 4 <= p; j += 4) {
        const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3];
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let i = 0, k = s; i < len; i++, k++) {
          const g = z[o + i];
          a0 += g * c0[k];
          a1 += g * c1[k];
          a2 += g * c2[k];
          a3 += g * c3[k];
        }
        grad[gc + j] += a0;
        grad[gc + j + 1] += a1;
        grad[gc + j + 2] += a2;
        grad[gc + j + 3] += a3;
      }
      for (; j < p; j++) {
        const cj = cols[j];
        let a = 0;
        for (let i = 0, k = s; i < len; i++, k++) a += z[o + i] * cj[k];
        grad[gc + j] += a;
      }
      if (fitIntercept) {
        let a = 0;
        for (let i = 0; i < len; i++) a += z[o + i];
        grad[gc + p] += a;
      }
    }
  }
  return loss;
}
