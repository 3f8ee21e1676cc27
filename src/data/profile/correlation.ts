/**
 * Correlation coefficients over typed arrays: Pearson's r, Spearman's ρ (Pearson on average
 * ranks) and Cramér's V, each with pairwise complete observations (a row counts for a pair when
 * both of its cells are present), as pandas `DataFrame.corr()` and `pd.crosstab` do.
 */

/**
 * Pearson's r of x and y over rows where both are finite, two-pass (means first, then centred
 * sums): r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²). NaN when fewer than 2 rows or a zero variance.
 * @example
 * ```ts
 * pearson(Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 7)); // ≈ 0.993
 * ```
 */
export function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== a || b !== b) continue;
    m++;
    sx += a;
    sy += b;
  }
  if (m < 2) return NaN;
  const mx = sx / m;
  const my = sy / m;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== a || b !== b) continue;
    const dx = a - mx;
    const dy = b - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const d = Math.sqrt(sxx * syy);
  return d === 0 ? NaN : sxy / d;
}

/**
 * Average ranks (1-based; ties share the mean of their positions, SciPy `rankdata(method="average")`)
 * of finite `x`. Sorts an index array by value.
 * @example
 * ```ts
 * averageRanks(Float64Array.of(10, 20, 10)); // [1.5, 3, 1.5]
 * ```
 */
export function averageRanks(x: Float64Array): Float64Array {
  const n = x.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a] - x[b]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    const v = x[idx[i]];
    let j = i + 1;
    while (j < n && x[idx[j]] === v) j++;
    const r = (i + j + 1) / 2; // mean of positions i+1 .. j
    for (let t = i; t < j; t++) ranks[idx[t]] = r;
    i = j;
  }
  return ranks;
}

function hasMissing(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) return true;
  return false;
}

/**
 * Spearman's ρ for every pair of columns: Pearson's r of the average ranks, ranked within each
 * pair's complete rows (pandas `corr(method="spearman")`). Columns without missing values are
 * ranked once. Returns a symmetric matrix with NaN where undefined.
 */
export function spearmanMatrix(columns: readonly Float64Array[]): Float64Array[] {
  const p = columns.length;
  const complete = columns.map((c) => !hasMissing(c));
  const ranked = columns.map((c, j) => (complete[j] ? averageRanks(c) : null));
  const out = columns.map(() => new Float64Array(p).fill(NaN));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let r: number;
      if (ranked[a] && ranked[b]) r = pearson(ranked[a]!, ranked[b]!);
      else {
        const x = columns[a];
        const y = columns[b];
        let m = 0;
        for (let i = 0; i < x.length; i++) if (x[i] === x[i] && y[i] === y[i]) m++;
        const xs = new Float64Array(m);
        const ys = new Float64Array(m);
        let k = 0;
        for (let i = 0; i < x.length; i++) {
          if (x[i] === x[i] && y[i] === y[i]) {
            xs[k] = x[i];
            ys[k] = y[i];
            k++;
          }
        }
        r = pearson(averageRanks(xs), averageRanks(ys));
      }
      out[a][b] = r;
      out[b][a] = r;
    }
  }
  return out;
}

/** Pearson's r for every pair of columns (pairwise complete), a symmetric matrix with NaN where undefined. */
export function pearsonMatrix(columns: readonly Float64Array[]): Float64Array[] {
  const p = columns.length;
  const out = columns.map(() => new Float64Array(p).fill(NaN));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const r = pearson(columns[a], columns[b]);
      out[a][b] = r;
      out[b][a] = r;
    }
  }
  return out;
}

/**
 * Cramér's V between two coded categorical columns (codes 0..ka−1, 0..kb−1; negative = missing):
 * V = √(χ² / (n · (min(r, c) − 1))) over the rows where both are present, where χ² is Pearson's
 * statistic of the contingency table without Yates' continuity correction, and r, c count the
 * categories actually observed. No bias correction (Bergsma 2013 is not applied), matching SciPy
 * `scipy.stats.contingency.association(table, method="cramer", correction=False)`.
 * NaN when either side has fewer than 2 observed categories.
 * @example
 * ```ts
 * const v = cramersV(Int32Array.of(0, 0, 1, 1), 2, Int32Array.of(0, 0, 1, 1), 2); // 1
 * ```
 */
export function cramersV(a: Int32Array, ka: number, b: Int32Array, kb: number): number {
  const table = new Float64Array(ka * kb);
  const rowSum = new Float64Array(ka);
  const colSum = new Float64Array(kb);
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x < 0 || y < 0) continue;
    table[x * kb + y]++;
    n++;
  }
  if (n === 0) return NaN;
  for (let x = 0; x < ka; x++) {
    for (let y = 0; y < kb; y++) {
      const c = table[x * kb + y];
      rowSum[x] += c;
      colSum[y] += c;
    }
  }
  let r = 0;
  let c = 0;
  for (let x = 0; x < ka; x++) if (rowSum[x] > 0) r++;
  for (let y = 0; y < kb; y++) if (colSum[y] > 0) c++;
  if (r < 2 || c < 2) return NaN;
  let chi2 = 0;
  for (let x = 0; x < ka; x++) {
    const rs = rowSum[x];
    if (rs === 0) continue;
    for (let y = 0; y < kb; y++) {
      const cs = colSum[y];
      if (cs === 0) continue;
      const e = (rs * cs) / n;
      const d = table[x * kb + y] - e;
      chi2 += (d * d) / e;
    }
  }
  return Math.sqrt(chi2 / n / (Math.min(r, c) - 1));
}
