/**
 * Sorting scores largest first without comparator calls in the common case: an LSD radix sort
 * (11 bits per pass, 3 passes, 2,048 buckets so scatter writes stay cache-friendly) on the high
 * 32 bits of each double (sign, exponent, top 20 mantissa bits), mapped so that unsigned order
 * is descending numeric order. The values travel with their indices through the passes, so the
 * sorted values come out without a random-access gather; runs of equal high words are then
 * ordered by the full value (insertion sort for short runs, a comparison sort for long ones).
 * Stable: equal values keep index order. O(n) plus the runs. NaN must be rejected by the caller;
 * −0 sorts as 0. Assumes a little-endian platform (x86, ARM), as typed-array views do.
 */

const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;

/** Descending-order key of a double's high word h: larger values get smaller keys. */
function descKey(h: number): number {
  return h & 0x80000000 ? h >>> 0 : ~h & 0x7fffffff;
}

/** Descending-order key of the double at position i of the word view w, with −0 read as 0. */
function keyAt(w: Uint32Array, i: number): number {
  const h = w[2 * i + 1];
  return descKey(h === 0x80000000 && w[2 * i] === 0 ? 0 : h);
}

/** Scatter rows by digit `shift` of their key, using the prefix sums in `offsets` (consumed). */
function scatter(shift: number, offsets: Int32Array, val: Float64Array, hiw: Uint32Array, idx: Int32Array | null, valOut: Float64Array, idxOut: Int32Array): void {
  const n = val.length;
  if (idx) {
    for (let i = 0; i < n; i++) {
      const v = val[i];
      const p = offsets[(keyAt(hiw, i) >>> shift) & MASK]++;
      valOut[p] = v;
      idxOut[p] = idx[i];
    }
  } else {
    // first pass: read the caller's array directly, indices are the positions; −0 becomes 0
    for (let i = 0; i < n; i++) {
      const v = val[i];
      const p = offsets[(keyAt(hiw, i) >>> shift) & MASK]++;
      valOut[p] = v === 0 ? 0 : v;
      idxOut[p] = i;
    }
  }
}

/** Order runs that share a high word by value, descending, keeping index order among equals. */
function fixRuns(val: Float64Array, hiw: Uint32Array, idx: Int32Array): void {
  const n = val.length;
  let start = 0;
  while (start < n) {
    const h = hiw[2 * start + 1];
    let end = start + 1;
    while (end < n && hiw[2 * end + 1] === h) end++;
    if (end - start > 1) {
      if (end - start <= 32) {
        for (let i = start + 1; i < end; i++) {
          const v = val[i];
          const id = idx[i];
          let j = i - 1;
          while (j >= start && val[j] < v) {
            val[j + 1] = val[j];
            idx[j + 1] = idx[j];
            j--;
          }
          val[j + 1] = v;
          idx[j + 1] = id;
        }
      } else {
        const vs = val.slice(start, end);
        const is = idx.slice(start, end);
        const pos = new Int32Array(end - start);
        for (let i = 0; i < pos.length; i++) pos[i] = i;
        pos.sort((a, b) => vs[b] - vs[a] || is[a] - is[b]);
        for (let i = 0; i < pos.length; i++) {
          val[start + i] = vs[pos[i]];
          idx[start + i] = is[pos[i]];
        }
      }
    }
    start = end;
  }
}

/** The values sorted largest first, and the index of each in `x`. */
export function sortDescending(x: Float64Array): { sorted: Float64Array; order: Int32Array } {
  const n = x.length;
  if (n < 2) return { sorted: Float64Array.from(x, (v) => (v === 0 ? 0 : v)), order: n === 1 ? Int32Array.of(0) : new Int32Array(0) };
  // the three digit histograms in one read of the keys
  const xw = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  const hist = new Int32Array(3 * BUCKETS);
  for (let i = 0; i < n; i++) {
    const k = keyAt(xw, i);
    hist[k & MASK]++;
    hist[BUCKETS + ((k >>> 11) & MASK)]++;
    hist[2 * BUCKETS + ((k >>> 22) & MASK)]++;
  }
  let val: Float64Array = x;
  let idx: Int32Array | null = null;
  let bufA: Float64Array = new Float64Array(n);
  let idxA: Int32Array = new Int32Array(n);
  for (let pass = 0; pass < 3; pass++) {
    const h = hist.subarray(pass * BUCKETS, (pass + 1) * BUCKETS);
    const first = (keyAt(xw, 0) >>> (11 * pass)) & MASK;
    if (h[first] === n && idx !== null) continue; // every key has this digit: order unchanged
    let sum = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const c = h[d];
      h[d] = sum;
      sum += c;
    }
    scatter(11 * pass, h, val, new Uint32Array(val.buffer, val.byteOffset, 2 * n), idx, bufA, idxA);
    const nextVal = bufA;
    const nextIdx = idxA;
    if (idx === null) {
      bufA = new Float64Array(n);
      idxA = new Int32Array(n);
    } else {
      bufA = val;
      idxA = idx;
    }
    val = nextVal;
    idx = nextIdx;
  }
  fixRuns(val, new Uint32Array(val.buffer, val.byteOffset, 2 * n), idx!);
  return { sorted: val, order: idx! };
}

/**
 * Indices of `x` ordering it largest first (stable).
 * @example
 * ```ts
 * argsortDescending(Float64Array.of(0.2, 0.9, 0.5)); // Int32Array [1, 2, 0]
 * ```
 */
export function argsortDescending(x: Float64Array): Int32Array {
  return sortDescending(x).order;
}
