/**
 * scikit-learn's tree RNG (`sklearn/tree/_utils.pxd`: `our_rand_r`, an xorshift on a uint32 seed,
 * `rand_int(low, high) = low + our_rand_r() % (high − low)`), used to replay scikit-learn's
 * feature draws so a Keel tree can be compared node for node with scikit-learn's. Seeded with the
 * value scikit-learn's splitter draws at init (the fixtures record it).
 */
import type { RandomSource } from "../../../src/models/tree/index.js";

const RAND_R_MAX = 0x7fffffff;
const DEFAULT_SEED = 1;

export class SklearnRand implements RandomSource {
  private state: number;
  /** scikit-learn draws for known constant features even when every feature is tried. */
  readonly drawsKnownConstants = true;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private next(): number {
    let s = this.state === 0 ? DEFAULT_SEED : this.state;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return s % (RAND_R_MAX + 1);
  }

  int(n: number): number {
    return this.next() % n;
  }

  float(): number {
    return this.next() / RAND_R_MAX;
  }
}
