/**
 * The finite values of a numeric column, sorted ascending, once: every numeric drift statistic
 * (KS, Wasserstein, decile bins, distinct values) walks this one array. NaN counts as missing;
 * ±Infinity is left out too (as Evidently does) and counted apart.
 */

export interface SortedValues {
  /** Finite values, ascending. */
  readonly sorted: Float64Array<ArrayBuffer>;
  /** NaN cells. */
  readonly missing: number;
  /** ±Infinity cells (left out of the statistics). */
  readonly infinite: number;
}

/** Copy the finite values of `values` and sort them (NaN and ±Infinity left out, counted). */
export function sortFinite(values: ArrayLike<number>): SortedValues {
  const n = values.length;
  const out = new Float64Array(n);
  let o = 0;
  let missing = 0;
  let infinite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v === 0) out[o++] = v;
    else if (v !== v) missing++;
    else infinite++;
  }
  const sorted = o === n ? out : out.slice(0, o);
  sorted.sort();
  return { sorted, missing, infinite };
}

/** Number of distinct values in an ascending array. */
export function distinctSorted(sorted: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) d++;
  return d;
}

/** Number of distinct values in the union of two ascending arrays (merge walk), stopping past `cap`. */
export function distinctUnion(a: ArrayLike<number>, b: ArrayLike<number>, cap = Infinity): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    if (++d > cap) return d;
  }
  return d;
}

/** The distinct values of the union of two ascending arrays and each side's count of each. */
export function countDistinct(a: ArrayLike<number>, b: ArrayLike<number>): { values: number[]; a: number[]; b: number[] } {
  const values: number[] = [];
  const ca: number[] = [];
  const cb: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    const i0 = i;
    const j0 = j;
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    values.push(x);
    ca.push(i - i0);
    cb.push(j - j0);
  }
  return { values, a: ca, b: cb };
}
