/**
 * Column mean and population variance with NumPy's definitions, NaN ignored, optionally weighted
 * (the corrected two-pass algorithm scikit-learn uses: Chan, Golub & LeVeque, "Algorithms for
 * computing the sample variance", Am. Stat. 1983). Medians and percentiles are `core/quantile`'s.
 */

export interface MeanVar {
  mean: number;
  /** Population variance (ddof = 0). */
  variance: number;
  /** Non-NaN values (or their total weight). */
  count: number;
}

/**
 * Mean and population variance ignoring NaN, optionally weighted: mean = Σw·x / Σw, variance by
 * the corrected two-pass formula (Σw·(x−m)² − (Σw·(x−m))² / Σw) / Σw.
 */
export function meanVariance(values: Float64Array, weights?: Float64Array): MeanVar {
  let sum = 0;
  let count = 0;
  const n = values.length;
  if (weights) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === v) {
        sum += weights[i] * v;
        count += weights[i];
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === v) {
        sum += v;
        count++;
      }
    }
  }
  if (count === 0) return { mean: NaN, variance: NaN, count: 0 };
  const mean = sum / count;
  let corr = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === v) {
      const d = v - mean;
      const w = weights ? weights[i] : 1;
      corr += w * d;
      sq += w * d * d;
    }
  }
  return { mean, variance: (sq - (corr * corr) / count) / count, count };
}
