/**
 * Data preparation shared by the least-squares models, as scikit-learn's `_preprocess_data` and
 * `_rescale_data`: with an intercept, X and y are centred on their (sample-weighted) means; with
 * sample weights, rows are then multiplied by √sᵢ, so that ordinary least squares on the result
 * solves the weighted problem. The intercept is recovered as ȳ − x̄·w.
 */

export interface Centered {
  /** Centred (and √s-scaled) feature columns: fresh copies. */
  cols: Float64Array[];
  y: Float64Array;
  xOffset: Float64Array;
  yOffset: number;
}

export function centerData(cols: readonly Float64Array[], y: Float64Array, sw: Float64Array | null, fitIntercept: boolean): Centered {
  const n = y.length;
  const p = cols.length;
  const xOffset = new Float64Array(p);
  let yOffset = 0;
  if (fitIntercept) {
    let wsum = 0;
    if (sw) for (let i = 0; i < n; i++) wsum += sw[i];
    else wsum = n;
    for (let j = 0; j < p; j++) xOffset[j] = weightedSum(cols[j], sw) / wsum;
    yOffset = weightedSum(y, sw) / wsum;
  }
  const out: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const c = new Float64Array(n);
    const src = cols[j];
    const m = xOffset[j];
    for (let i = 0; i < n; i++) c[i] = src[i] - m;
    out.push(c);
  }
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - yOffset;
  if (sw) {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = Math.sqrt(sw[i]);
    for (const c of out) for (let i = 0; i < n; i++) c[i] *= r[i];
    for (let i = 0; i < n; i++) yc[i] *= r[i];
  }
  return { cols: out, y: yc, xOffset, yOffset };
}

function weightedSum(v: Float64Array, sw: Float64Array | null): number {
  let s = 0;
  if (sw) for (let i = 0; i < v.length; i++) s += sw[i] * v[i];
  else for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}
