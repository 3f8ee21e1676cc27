/**
 * MinHash signatures and LSH banding (Broder, "On the resemblance and containment of documents",
 * 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.3–3.4). For a random
 * permutation h, P[min h(A) = min h(B)] = J(A, B), the Jaccard similarity. A signature of
 * `bands · rows` such minima is cut into `bands` bands of `rows` values; two sets become a
 * candidate pair when any band agrees entirely, which happens with probability
 * 1 − (1 − J^rows)^bands: an S-curve that is steep around its threshold. Candidates are then
 * verified with their exact Jaccard similarity, so banding only decides what is looked at.
 * Each permutation is simulated by h_i(x) = (a_i·x + b_i) mod 2³² with a random odd a_i, applied
 * to the token's 32-bit hash x (already uniformly mixed), a bijection per i.
 */
import { Rng } from "../../core/index.js";
import type { TokenSets } from "./row-tokens.js";

/** LSH banding: `bands` bands of `rows` minhashes each. */
export interface Banding {
  readonly bands: number;
  readonly rows: number;
}

/**
 * Bands and rows per band for `hashes` minhashes: the largest `rows` (fewest false candidates)
 * for which a pair with similarity exactly `threshold` is still a candidate with probability
 * ≥ `recall` (default 0.999).
 * @example
 * ```ts
 * const { bands, rows } = chooseBanding(0.8, 128);
 * ```
 */
export function chooseBanding(threshold: number, hashes: number, recall = 0.999): Banding {
  let best: Banding = { bands: hashes, rows: 1 };
  for (let r = 1; r <= hashes; r++) {
    const b = Math.floor(hashes / r);
    if (b < 1) break;
    const p = 1 - Math.pow(1 - Math.pow(threshold, r), b);
    if (p >= recall) best = { bands: b, rows: r };
  }
  return best;
}

/**
 * Probability that a pair of similarity `s` becomes a candidate under `banding`.
 * @example
 * ```ts
 * candidateProbability(0.8, chooseBanding(0.8, 128)); // ≥ 0.999
 * ```
 */
export function candidateProbability(s: number, banding: Banding): number {
  return 1 - Math.pow(1 - Math.pow(s, banding.rows), banding.bands);
}

/** The permutations: odd multipliers a_i and offsets b_i, from a fixed seed so results are reproducible. */
export function permutations(count: number, seed: number): { mul: Int32Array; xor: Int32Array } {
  const rng = new Rng(seed);
  const mul = new Int32Array(count);
  const xor = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    mul[i] = rng.nextUint32() | 1;
    xor[i] = rng.nextUint32() | 0;
  }
  return { mul, xor };
}

const TWO20 = 1048576;

/**
 * Band keys of the token sets of rows `which`: `which.length × bands` 32-bit keys, each a hash
 * of one band of the MinHash signature mixed with the band's number.
 */
export function bandKeys(sets: TokenSets, which: Int32Array, banding: Banding, perm: { mul: Int32Array; xor: Int32Array }): Int32Array {
  const { bands, rows } = banding;
  const H = bands * rows;
  const mins = new Int32Array(H);
  const out = new Int32Array(which.length * bands);
  const { offsets, tokens } = sets;
  const mul = perm.mul;
  const add = perm.xor;
  let xs = new Int32Array(64);
  for (let w = 0; w < which.length; w++) {
    const r = which[w];
    const s0 = offsets[r];
    const m = offsets[r + 1] - s0;
    if (m > xs.length) xs = new Int32Array(2 * m);
    for (let t = 0; t < m; t++) xs[t] = (tokens[s0 + t] / TWO20) | 0;
    // min over tokens of h_i, compared as signed 32-bit integers (any fixed order of the
    // 2³² values is as good as another for min-wise hashing, and int32 stays in registers)
    let i = 0;
    for (; i + 4 <= H; i += 4) {
      // four permutations per pass: independent chains the CPU can overlap
      const a0 = mul[i], a1 = mul[i + 1], a2 = mul[i + 2], a3 = mul[i + 3];
      const b0 = add[i], b1 = add[i + 1], b2 = add[i + 2], b3 = add[i + 3];
      let m0 = 0x7fffffff, m1 = 0x7fffffff, m2 = 0x7fffffff, m3 = 0x7fffffff;
      for (let t = 0; t < m; t++) {
        const x = xs[t];
        const v0 = (Math.imul(x, a0) + b0) | 0;
        const v1 = (Math.imul(x, a1) + b1) | 0;
        const v2 = (Math.imul(x, a2) + b2) | 0;
        const v3 = (Math.imul(x, a3) + b3) | 0;
        if (v0 < m0) m0 = v0;
        if (v1 < m1) m1 = v1;
        if (v2 < m2) m2 = v2;
        if (v3 < m3) m3 = v3;
      }
      mins[i] = m0;
      mins[i + 1] = m1;
      mins[i + 2] = m2;
      mins[i + 3] = m3;
    }
    for (; i < H; i++) {
      const a = mul[i];
      const b = add[i];
      let lo = 0x7fffffff;
      for (let t = 0; t < m; t++) {
        const v = (Math.imul(xs[t], a) + b) | 0;
        if (v < lo) lo = v;
      }
      mins[i] = lo;
    }
    for (let b = 0; b < bands; b++) {
      let h = Math.imul(b + 1, 0x9e3779b9);
      for (let i = b * rows; i < (b + 1) * rows; i++) {
        let k = Math.imul(mins[i], 0xcc9e2d51);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, 0x1b873593);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      }
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      out[w * bands + b] = h ^ (h >>> 16);
    }
  }
  return out;
}

/**
 * An LSH index over band keys: for each key, the items that carry it, as chained lists in typed
 * arrays (no per-item objects). Band number is already mixed into each key.
 */
export class BandIndex {
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly key: Int32Array;
  private readonly mask: number;
  readonly bands: number;

  constructor(keys: Int32Array, bands: number) {
    this.bands = bands;
    const m = keys.length;
    let size = 16;
    while (size < 2 * m) size *= 2;
    this.mask = size - 1;
    this.head = new Int32Array(size).fill(-1);
    this.next = new Int32Array(m);
    this.key = keys;
    for (let e = 0; e < m; e++) {
      const s = keys[e] & this.mask;
      this.next[e] = this.head[s];
      this.head[s] = e;
    }
  }

  /** First entry in the chain of `key` (−1 when none); entries hold item = entry ÷ bands. */
  first(key: number): number {
    return this.advance(this.head[key & this.mask], key);
  }

  /** The entry after `entry` with the same key, or −1. */
  following(entry: number, key: number): number {
    return this.advance(this.next[entry], key);
  }

  private advance(e: number, key: number): number {
    while (e >= 0 && this.key[e] !== key) e = this.next[e];
    return e;
  }
}
