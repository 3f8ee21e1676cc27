/**
 * Exact duplicate rows between two frames: each row is hashed from its typed arrays
 * (MurmurHash3 steps over the cells), the first frame's rows are grouped in an open-addressing
 * table, and every hash match is confirmed cell by cell, so a hash collision never reports a
 * false duplicate. Missing equals missing. O(rows · columns).
 */
import type { AlignedColumn } from "./aligned-columns.js";
import { fmix32, mixNumber, mixWord } from "./hash.js";

export interface ExactMatches {
  /** Group of identical rows of the first frame that each of its rows belongs to. */
  readonly groupOfA: Int32Array;
  readonly nGroups: number;
  /** For each row of the second frame, the group of identical first-frame rows, or −1. */
  readonly matchOfB: Int32Array;
}

export function rowHashes(cols: readonly AlignedColumn[], side: "a" | "b", n: number): Int32Array {
  const h = new Int32Array(n).fill(0x5bd1e995);
  for (let j = 0; j < cols.length; j++) {
    const c = cols[j];
    if (c.domain === "number") {
      const v = c[side];
      for (let i = 0; i < n; i++) h[i] = mixNumber(h[i], v[i]);
    } else {
      const v = c[side];
      for (let i = 0; i < n; i++) h[i] = mixWord(h[i], v[i]);
    }
  }
  for (let i = 0; i < n; i++) h[i] = fmix32(h[i] ^ cols.length) | 0;
  return h;
}

/** Are row `i` of side `x` and row `j` of side `y` equal in every column? */
export function rowsEqual(cols: readonly AlignedColumn[], x: "a" | "b", i: number, y: "a" | "b", j: number): boolean {
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c];
    if (col.domain === "number") {
      const u = col[x][i];
      const v = col[y][j];
      if (u !== v && !(u !== u && v !== v)) return false;
    } else if (col[x][i] !== col[y][j]) return false;
  }
  return true;
}

export function exactMatches(cols: readonly AlignedColumn[], nA: number, nB: number): ExactMatches {
  const ha = rowHashes(cols, "a", nA);
  let size = 16;
  while (size < 2 * nA) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const groupOfA = new Int32Array(nA);
  const repOf = new Int32Array(nA);
  let nGroups = 0;
  for (let i = 0; i < nA; i++) {
    const h = ha[i];
    let s = fmix32(h) & mask;
    for (;;) {
      const g = slots[s];
      if (g < 0) {
        slots[s] = nGroups;
        repOf[nGroups] = i;
        groupOfA[i] = nGroups++;
        break;
      }
      const r = repOf[g];
      if (ha[r] === h && rowsEqual(cols, "a", r, "a", i)) {
        groupOfA[i] = g;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  const hb = rowHashes(cols, "b", nB);
  const matchOfB = new Int32Array(nB).fill(-1);
  for (let j = 0; j < nB; j++) {
    const h = hb[j];
    let s = fmix32(h) & mask;
    for (;;) {
      const g = slots[s];
      if (g < 0) break;
      const r = repOf[g];
      if (ha[r] === h && rowsEqual(cols, "a", r, "b", j)) {
        matchOfB[j] = g;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return { groupOfA, nGroups, matchOfB };
}
