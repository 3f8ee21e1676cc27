/**
 * Exact duplicate rows, found by hashing rows from the columns' typed arrays: two independent
 * 32-bit hashes per row (built column by column), an open-addressing table of row indices keyed
 * by the first, and an exact cell-by-cell comparison whenever both hashes agree — so hash
 * collisions never produce a false duplicate. Missing cells equal each other and 0 equals −0, as
 * in pandas `DataFrame.duplicated()`.
 */
import { fnv1a } from "../../core/index.js";
import { type Column, MISSING_BOOL } from "../column.js";
import type { Duplicates } from "./types.js";

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const NAN_LO = 0x7ff80000;

/** Fold one column into the row hashes h1, h2. */
function hashColumn(c: Column, h1: Uint32Array, h2: Uint32Array): void {
  const n = h1.length;
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      const v = c.values;
      const bits = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let i = 0; i < n; i++) {
        const x = v[i];
        let lo: number;
        let hi: number;
        if (x !== x) {
          lo = NAN_LO;
          hi = 1;
        } else if (x === 0) {
          lo = 0;
          hi = 0;
        } else {
          lo = bits[2 * i];
          hi = bits[2 * i + 1];
        }
        h1[i] = mix(Math.imul(h1[i] ^ lo, 0x9e3779b1) ^ hi);
        h2[i] = mix(Math.imul(h2[i] + hi, 0x85ebca77) ^ lo ^ 0x27d4eb2f);
      }
      return;
    }
    case "categorical": {
      const v = c.codes;
      for (let i = 0; i < n; i++) {
        const x = v[i] < 0 ? -1 : v[i];
        h1[i] = mix(Math.imul(h1[i] ^ x, 0x9e3779b1));
        h2[i] = mix(Math.imul(h2[i] + x, 0x85ebca77) ^ 0x165667b1);
      }
      return;
    }
    case "boolean": {
      const v = c.values;
      for (let i = 0; i < n; i++) {
        const x = v[i] === MISSING_BOOL ? 2 : v[i];
        h1[i] = mix(Math.imul(h1[i] ^ x, 0x9e3779b1));
        h2[i] = mix(Math.imul(h2[i] + x, 0x85ebca77) ^ 0x165667b1);
      }
      return;
    }
    case "text": {
      const v = c.values;
      for (let i = 0; i < n; i++) {
        const s = v[i];
        const x = s === null ? 0xdeadbeef : fnv1a(s);
        const y = s === null ? 0 : s.length + 1;
        h1[i] = mix(Math.imul(h1[i] ^ x, 0x9e3779b1) ^ y);
        h2[i] = mix(Math.imul(h2[i] + y, 0x85ebca77) ^ x);
      }
      return;
    }
  }
}

function cellsEqual(c: Column, i: number, j: number): boolean {
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      const a = c.values[i];
      const b = c.values[j];
      return a === b || (a !== a && b !== b);
    }
    case "categorical": {
      const a = c.codes[i];
      const b = c.codes[j];
      return a === b || (a < 0 && b < 0);
    }
    case "boolean":
      return c.values[i] === c.values[j];
    case "text":
      return c.values[i] === c.values[j];
  }
}

/**
 * Rows equal in every column to an earlier row. `count` is the number of such later rows
 * (pandas `duplicated(keep="first").sum()`); `examples` holds up to `maxGroups` groups of
 * row indices, each its first occurrence followed by up to `maxPerGroup − 1` copies.
 */
export function findDuplicates(columns: readonly Column[], nRows: number, options: { maxGroups?: number; maxPerGroup?: number } = {}): Duplicates {
  const maxGroups = options.maxGroups ?? 5;
  const maxPerGroup = options.maxPerGroup ?? 10;
  if (nRows < 2 || columns.length === 0) return { count: 0, fraction: 0, examples: [] };
  const h1 = new Uint32Array(nRows).fill(0x811c9dc5);
  const h2 = new Uint32Array(nRows).fill(0x1b873593);
  for (const c of columns) hashColumn(c, h1, h2);
  let size = 1;
  while (size < nRows * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  let count = 0;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < nRows; i++) {
    let slot = h1[i] & mask;
    for (;;) {
      const j = table[slot];
      if (j < 0) {
        table[slot] = i;
        break;
      }
      if (h1[j] === h1[i] && h2[j] === h2[i]) {
        let same = true;
        for (let c = 0; c < columns.length && same; c++) same = cellsEqual(columns[c], i, j);
        if (same) {
          count++;
          const g = groups.get(j);
          if (g) {
            if (g.length < maxPerGroup) g.push(i);
          } else if (groups.size < maxGroups) groups.set(j, [j, i]);
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  return { count, fraction: count / nRows, examples: [...groups.values()] };
}
