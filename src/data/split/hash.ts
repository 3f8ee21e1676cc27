/**
 * 32-bit hashing primitives for duplicate detection: MurmurHash3's mixing steps (Appleby 2011)
 * over 32-bit words, for numbers (their IEEE-754 bits), string code units and small tuples.
 * All arithmetic is 32-bit (`Math.imul`), so hashing allocates nothing.
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** MurmurHash3's finaliser: a bijection on 32 bits with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fold one 32-bit word into a running hash (MurmurHash3's body step). */
export function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Fold a double's bits into a running hash; −0 hashes as 0 and every NaN alike. */
export function mixNumber(h: number, x: number): number {
  if (x !== x) return mixWord(mixWord(h, 0x7ff80000), 0);
  F64[0] = x === 0 ? 0 : x;
  return mixWord(mixWord(h, U32[0]), U32[1]);
}

/** Hash of a string's code units in [start, end) with a seed. */
export function hashChars(s: string, start: number, end: number, seed: number): number {
  let h = seed | 0;
  for (let i = start; i < end; i++) h = mixWord(h, s.charCodeAt(i));
  return fmix32(h ^ (end - start));
}

/** Hash of a whole string with a seed. */
export function hashString(s: string, seed: number): number {
  return hashChars(s, 0, s.length, seed);
}
