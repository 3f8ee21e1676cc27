/**
 * Splitting a node's rows between its children, stably (order kept) and branch-free. One thread
 * compacts the left rows in place and copies the right rows back after them from a scratch run;
 * several threads split blocks of the node's row list into two scratch arrays and then copy every
 * block's two runs to their places at once, so the left
 * child's rows precede the right child's either way. A row goes left when
 * `goLeft[bin]` is 1: a 256-entry table made from the split's bin set, which expresses numeric
 * thresholds (bins 0..t, plus the missing bin when missing values go left) and category sets
 * alike.
 */

/**
 * Stable split of `rows[a..b)` on feature f (column-major codes: a node's rows are scattered, and
 * one byte per row of one feature wastes far less cache than whole rows): left rows are compacted
 * forward in place (a write never overtakes the read), right rows go to `tmp[a ..]` in order.
 * Returns the number of left rows.
 */
export function splitRun(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, tmp: Int32Array): number {
  const off = f * n;
  let cl = a;
  let cr = a;
  let i = a;
  const b4 = a + ((b - a) & ~3);
  for (; i < b4; i += 4) {
    const r0 = rows[i];
    const r1 = rows[i + 1];
    const r2 = rows[i + 2];
    const r3 = rows[i + 3];
    const l0 = goLeft[binsCol[off + r0]];
    const l1 = goLeft[binsCol[off + r1]];
    const l2 = goLeft[binsCol[off + r2]];
    const l3 = goLeft[binsCol[off + r3]];
    rows[cl] = r0;
    tmp[cr] = r0;
    cl += l0;
    cr += 1 - l0;
    rows[cl] = r1;
    tmp[cr] = r1;
    cl += l1;
    cr += 1 - l1;
    rows[cl] = r2;
    tmp[cr] = r2;
    cl += l2;
    cr += 1 - l2;
    rows[cl] = r3;
    tmp[cr] = r3;
    cl += l3;
    cr += 1 - l3;
  }
  for (; i < b; i++) {
    const r = rows[i];
    const left = goLeft[binsCol[off + r]];
    rows[cl] = r;
    tmp[cr] = r;
    cl += left;
    cr += 1 - left;
  }
  return cl - a;
}

/**
 * Stable split of `rows[a..b)` on feature f into two scratch arrays, only reading `rows`: left
 * rows at `tmpL[a ..]`, right rows at `tmpR[a ..]`, both in order (so blocks split by several
 * threads can all be copied back at once). Returns the number of left rows.
 */
export function splitToScratch(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, tmpL: Int32Array, tmpR: Int32Array): number {
  const off = f * n;
  let cl = a;
  let cr = a;
  let i = a;
  const b4 = a + ((b - a) & ~3);
  for (; i < b4; i += 4) {
    const r0 = rows[i];
    const r1 = rows[i + 1];
    const r2 = rows[i + 2];
    const r3 = rows[i + 3];
    const l0 = goLeft[binsCol[off + r0]];
    const l1 = goLeft[binsCol[off + r1]];
    const l2 = goLeft[binsCol[off + r2]];
    const l3 = goLeft[binsCol[off + r3]];
    tmpL[cl] = r0;
    tmpR[cr] = r0;
    cl += l0;
    cr += 1 - l0;
    tmpL[cl] = r1;
    tmpR[cr] = r1;
    cl += l1;
    cr += 1 - l1;
    tmpL[cl] = r2;
    tmpR[cr] = r2;
    cl += l2;
    cr += 1 - l2;
    tmpL[cl] = r3;
    tmpR[cr] = r3;
    cl += l3;
    cr += 1 - l3;
  }
  for (; i < b; i++) {
    const r = rows[i];
    const left = goLeft[binsCol[off + r]];
    tmpL[cl] = r;
    tmpR[cr] = r;
    cl += left;
    cr += 1 - left;
  }
  return cl - a;
}

/** `splitRun` on one thread, then the right rows copied back after the left ones. */
export function partitionInPlace(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, tmp: Int32Array): number {
  const cl = splitRun(binsCol, n, f, goLeft, rows, a, b, tmp);
  rows.set(tmp.subarray(a, a + (b - a - cl)), a + cl);
  return cl;
}

/** The 256-entry go-left table of a bin set (BITSET_WORDS words). */
export function goLeftTable(bits: ArrayLike<number>, out: Uint8Array): Uint8Array {
  for (let b = 0; b < 256; b++) out[b] = (bits[b >>> 5] >>> (b & 31)) & 1;
  return out;
}
