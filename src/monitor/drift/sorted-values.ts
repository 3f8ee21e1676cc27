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

/** Below this many values the built-in sort is as fast as the radix sort's fixed costs. */
const RADIX_MIN = 20_000;

/**
 * Copy the finite values of `values` and sort them ascending (NaN and ±Infinity left out, counted).
 * Large inputs are sorted by an LSD radix sort on the IEEE-754 bit patterns (sign flipped for
 * positives, all bits for negatives, so unsigned order is numeric order; −0 just before +0), 16
 * bits per pass; a pass whose digit is the same for every value is skipped — whole numbers have
 * all-zero low words, so they sort in two passes. Whole numbers spanning a range smaller than 4n
 * (hours, weekdays, counts, ages) are sorted by counting instead: one pass to count, one to write.
 * @example
 * ```ts
 * const { sorted } = sortFinite([3, NaN, 1, Infinity, 2]); // sorted [1, 2, 3]
 * ```
 */
export function sortFinite(values: ArrayLike<number>): SortedValues {
  const n = values.length;
  if (n < RADIX_MIN || !(values instanceof Float64Array)) return sortSmall(values);
  const counted = countingSort(values);
  if (counted) return counted;
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  const counts = new Uint32Array(4 * 65536);
  let m = 0;
  let missing = 0;
  let infinite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) {
      if (v !== v) missing++;
      else infinite++;
      continue;
    }
    let l = bits[2 * i];
    let h = bits[2 * i + 1];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    hi[m] = h;
    lo[m] = l;
    counts[l & 0xffff]++;
    counts[65536 + (l >>> 16)]++;
    counts[131072 + (h & 0xffff)]++;
    counts[196608 + (h >>> 16)]++;
    m++;
  }
  let hi2 = new Uint32Array(m);
  let lo2 = new Uint32Array(m);
  const offsets = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    let trivial = false;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[base + b];
      if (c === m) trivial = true;
      offsets[b] = sum;
      sum += c;
    }
    if (trivial) continue;
    const shift = (pass & 1) * 16;
    const src = pass < 2 ? lo : hi;
    for (let i = 0; i < m; i++) {
      const digit = (src[i] >>> shift) & 0xffff;
      const o = offsets[digit]++;
      hi2[o] = hi[i];
      lo2[o] = lo[i];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  const sorted = new Float64Array(m);
  const out = new Uint32Array(sorted.buffer);
  for (let i = 0; i < m; i++) {
    let h = hi[i];
    let l = lo[i];
    if (h & 0x80000000) h = (h & 0x7fffffff) >>> 0;
    else {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    out[2 * i] = l;
    out[2 * i + 1] = h;
  }
  return { sorted, missing, infinite };
}

/** Counting sort for whole numbers in a range below 4n (and 2²⁴); null when the values are not such. */
function countingSort(values: Float64Array): SortedValues | null {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  let missing = 0;
  let infinite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) {
      if (v !== v) missing++;
      else infinite++;
    } else {
      if (Math.floor(v) !== v) return null;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const m = n - missing - infinite;
  if (m === 0) return { sorted: new Float64Array(0), missing, infinite };
  const range = max - min + 1;
  if (range > 4 * n || range > 1 << 24) return null;
  const counts = new Int32Array(range);
  let negZero = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v === 0) {
      counts[v - min]++;
      if (v === 0 && 1 / v < 0) negZero++;
    }
  }
  const sorted = new Float64Array(m);
  let o = 0;
  for (let k = 0; k < range; k++) {
    const c = counts[k];
    if (c === 0) continue;
    const v = k + min;
    if (v === 0 && negZero > 0) {
      sorted.fill(-0, o, o + negZero);
      sorted.fill(0, o + negZero, o + c);
    } else sorted.fill(v, o, o + c);
    o += c;
  }
  return { sorted, missing, infinite };
}

function sortSmall(values: ArrayLike<number>): SortedValues {
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
