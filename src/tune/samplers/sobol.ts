/**
 * The Sobol' low-discrepancy sequence (Sobol' 1967) in base 2 with Joe & Kuo's direction
 * numbers ("Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci.
 * Comput. 30, 2008), 32-bit, in Gray-code order (Antonov & Saleev 1979) — SciPy's
 * `qmc.Sobol(scramble=False)` point for point. A random digital shift (XOR of each coordinate
 * with a seeded mask) randomises it while keeping its net structure.
 */
import { InvalidInputError, Rng } from "../../core/index.js";
import { SOBOL_INITIAL, SOBOL_POLYNOMIALS } from "./sobol-directions.js";

const BITS = 32;

/** The most dimensions the built-in direction table covers. */
export const SOBOL_MAX_DIMENSIONS = SOBOL_POLYNOMIALS.length;

/** Direction numbers v_1..v_32 (as 32-bit integers) of one dimension. */
function directions(dim: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  const poly = SOBOL_POLYNOMIALS[dim];
  const s = Math.floor(Math.log2(poly));
  const m = new Array<number>(BITS);
  for (let k = 0; k < s; k++) m[k] = SOBOL_INITIAL[dim][k];
  for (let k = s; k < BITS; k++) {
    // m_k = 2^s m_{k−s} ⊕ m_{k−s} ⊕ ⊕_{i=1}^{s−1} a_i 2^i m_{k−i}, a_i the polynomial's inner bits
    let next = m[k - s] ^ (m[k - s] * 2 ** s);
    for (let i = 1; i < s; i++) if ((poly >> (s - i)) & 1) next ^= m[k - i] * 2 ** i;
    m[k] = next;
  }
  for (let k = 0; k < BITS; k++) v[k] = (m[k] * 2 ** (BITS - 1 - k)) >>> 0;
  return v;
}

/**
 * Points of a d-dimensional Sobol' sequence in [0, 1)^d, optionally digitally shifted by a seed.
 * @example
 * ```ts
 * const sobol = new SobolSequence(2, { seed: 7 });
 * const first = sobol.next(); // Float64Array of 2 coordinates in [0, 1)
 * ```
 */
export class SobolSequence {
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;
  private readonly x: Uint32Array;
  private index = 0;

  constructor(readonly dimensions: number, opts: { seed?: number | null } = {}) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > SOBOL_MAX_DIMENSIONS) {
      throw new InvalidInputError(`Sobol' dimensions ${dimensions} out of range; expected an integer in [1, ${SOBOL_MAX_DIMENSIONS}]`, { path: "dimensions", received: dimensions, expected: `1..${SOBOL_MAX_DIMENSIONS}` });
    }
    this.v = Array.from({ length: dimensions }, (_, j) => directions(j));
    this.shift = new Uint32Array(dimensions);
    if (opts.seed !== undefined && opts.seed !== null) {
      const rng = new Rng(opts.seed);
      for (let j = 0; j < dimensions; j++) this.shift[j] = rng.nextUint32();
    }
    this.x = new Uint32Array(dimensions);
  }

  /** The next point (the first is the origin, shifted). */
  next(): Float64Array {
    const out = new Float64Array(this.dimensions);
    if (this.index > 0) {
      let c = 0;
      while (((this.index >>> c) & 1) === 0) c++;
      for (let j = 0; j < this.dimensions; j++) this.x[j] ^= this.v[j][c];
    }
    for (let j = 0; j < this.dimensions; j++) out[j] = ((this.x[j] ^ this.shift[j]) >>> 0) / 2 ** BITS;
    this.index++;
    return out;
  }

  /** The point with the given index (0-based), moving the sequence there. */
  at(index: number): Float64Array {
    if (index < this.index) {
      this.x.fill(0);
      this.index = 0;
    }
    while (this.index < index) this.next();
    return this.next();
  }
}
