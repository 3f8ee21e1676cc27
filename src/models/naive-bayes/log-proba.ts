/** Probabilities from joint log-likelihoods: pᵢₖ = exp(jᵢₖ − log Σₖ exp jᵢₖ), row by row (log-sum-exp). */
export function normaliseLogRows(jll: Float64Array, rows: number, K: number): Float64Array {
  const out = new Float64Array(rows * K);
  for (let i = 0; i < rows; i++) {
    const o = i * K;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (jll[o + k] > mx) mx = jll[o + k];
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(jll[o + k] - mx);
    const lse = mx + Math.log(s);
    for (let k = 0; k < K; k++) out[o + k] = Math.exp(jll[o + k] - lse);
  }
  return out;
}
