/**
 * Seeded pseudo-random numbers: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021). 128-bit state, period 2^128 − 1, passes
 * BigCrush; 32-bit arithmetic only, so it is fast in JavaScript. Seeds are expanded with
 * SplitMix32 so nearby seeds give unrelated streams. Every random choice in Keel goes through
 * an `Rng` passed down from the caller: the same seed gives the same model bytes.
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const u = rng.float(); // [0, 1)
 * const order = rng.permutation(10);
 * ```
 */
export class Rng {
  /** The four state words (an Int32Array: V8 keeps them unboxed, about twice as fast as fields). */
  private readonly s = new Int32Array(4);

  /** @param seed an integer or a string; strings are hashed (FNV-1a) first. */
  constructor(seed: number | string = 0) {
    let x = typeof seed === "string" ? fnv1a(seed) : seed >>> 0 ^ Math.floor(seed / 4294967296) >>> 0;
    const next = () => {
      // SplitMix32 (Steele, Lea & Flood 2014, 32-bit variant)
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const s = this.s;
    for (let i = 0; i < 4; i++) s[i] = next();
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n), without bias. n ≤ 2^32. Lemire's multiply-and-reject
   * ("Fast random integer generation in an interval", 2019) while the product stays exact
   * in a double (n ≤ 2^21), plain rejection sampling above that.
   */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296 || !Number.isInteger(n)) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 1) return 0;
    if (n <= 2097152) {
      // the rejection threshold (2^32 − n) mod n is below n, so a low part ≥ n is accepted without
      // computing it (Lemire's early exit: the modulo runs in about n / 2^32 of the draws)
      for (;;) {
        const prod = this.nextUint32() * n;
        const hi = Math.floor(prod / 4294967296);
        const lo = prod - hi * 4294967296;
        if (lo >= n || lo >= (4294967296 - n) % n) return hi;
      }
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** Standard normal variate (Marsaglia polar method). */
  normal(): number {
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  /** Shuffle in place (Fisher–Yates) and return the same array. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** k distinct indices from 0..n-1 in random order (partial Fisher–Yates). */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n) throw new RangeError(`cannot draw ${k} distinct items from ${n}`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p.slice(0, k);
  }

  /** A new generator whose stream is independent of this one (seeded from it). */
  fork(): Rng {
    return new Rng(this.nextUint32() ^ Math.imul(this.nextUint32(), 0x9e3779b9));
  }

  /** The state, to save and restore a generator exactly. */
  getState(): [number, number, number, number] {
    const s = this.s;
    return [s[0] >>> 0, s[1] >>> 0, s[2] >>> 0, s[3] >>> 0];
  }

  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    for (let i = 0; i < 4; i++) r.s[i] = state[i];
    return r;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * FNV-1a 32-bit hash of a string's UTF-16 code units.
 * @example
 * ```ts
 * const seed = fnv1a("credit/fold-3");
 * ```
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * An `Rng` from a seed, or the given generator itself. Default seed 0 keeps runs reproducible.
 * @example
 * ```ts
 * const rng = toRng(7); // same as new Rng(7); toRng(rng) returns rng itself
 * ```
 */
export function toRng(seedOrRng?: number | string | Rng): Rng {
  return seedOrRng instanceof Rng ? seedOrRng : new Rng(seedOrRng ?? 0);
}
