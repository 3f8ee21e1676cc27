/**
 * NumPy's legacy `np.random.RandomState` — the Mersenne Twister MT19937 (Matsumoto & Nishimura,
 * ACM TOMACS 1998) seeded with `init_genrand` — for the few draws where Keel must pick the very
 * rows scikit-learn picks (its HistGradientBoosting bins numeric features on a 200,000-row
 * sample drawn this way, so equal samples give equal trees). Keel's own random choices use `Rng`.
 * @example
 * ```ts
 * const rs = new NumpyRandomState(0);
 * const u = rs.nextUint32(); // 2357136044, as np.random.RandomState(0).randint(2**32 - 1, dtype="u8")
 * ```
 */
export class NumpyRandomState {
  private readonly mt = new Int32Array(624);
  private index = 624;

  /** @param seed an integer in [0, 2^32) (others are taken modulo 2^32), as `RandomState(seed)`. */
  constructor(seed: number) {
    const mt = this.mt;
    let s = seed >>> 0;
    mt[0] = s;
    for (let i = 1; i < 624; i++) {
      // s = 1812433253·(s ⊕ (s ≫ 30)) + i  (mod 2^32)
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i) >>> 0;
      mt[i] = s;
    }
  }

  /** The next 32-bit output (`genrand_int32`), as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] by masked rejection, as NumPy's `random_interval` (max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /**
   * The first `size` entries of `permutation(n)` — what `choice(n, size, replace=False)` returns:
   * NumPy's Fisher–Yates shuffle of 0..n−1 from the last place down (Knuth's Algorithm P).
   */
  choiceWithoutReplacement(n: number, size: number): Int32Array {
    if (!(size >= 0 && size <= n)) throw new RangeError(`size: ${size} outside [0, n = ${n}] for a sample without replacement`);
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a.slice(0, size);
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const next = i === 623 ? 0 : i + 1;
      const far = i < 227 ? i + 397 : i - 227;
      const y = (mt[i] & 0x80000000) | (mt[next] & 0x7fffffff);
      mt[i] = mt[far] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

/**
 * The rows scikit-learn 1.2's HistGradientBoosting bins on when it has more than `size` rows and
 * `random_state = seed`: `RandomState(seed).randint(2**32 − 1, dtype="u8")` seeds the bin mapper's
 * `RandomState`, whose `choice(n, size, replace=False)` gives the rows (returned sorted).
 * @example
 * ```ts
 * const rows = sklearnBinningSample(300_000, 200_000, 0); // sorted row indices
 * ```
 */
export function sklearnBinningSample(n: number, size: number, seed: number): Int32Array {
  const outer = new NumpyRandomState(seed);
  let binSeed: number;
  do binSeed = outer.nextUint32();
  while (binSeed > 0xfffffffe); // randint's bound: [0, 2^32 − 1)
  return sortedRows(new NumpyRandomState(binSeed).choiceWithoutReplacement(n, size), n);
}

/** Distinct row numbers in [0, n), sorted: marked in a byte map and read back in order (linear in n, where a sort of 200,000 rows costs several times more). */
function sortedRows(rows: Int32Array, n: number): Int32Array {
  const mark = new Uint8Array(n);
  for (let i = 0; i < rows.length; i++) mark[rows[i]] = 1;
  for (let i = 0, k = 0; i < n; i++) if (mark[i] === 1) rows[k++] = i;
  return rows;
}
