/**
 * The random draws tree growth makes: which feature to try next (`int`) and, for extra-trees, where
 * to cut (`float`). Keel's seeded `Rng` is one; the call pattern mirrors scikit-learn's splitter
 * (one `int(high − low)` per feature drawn, Fisher–Yates over the feature list), so a generator
 * with scikit-learn's draws reproduces scikit-learn's trees exactly.
 */
export interface RandomSource {
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform double in [0, 1). */
  float(): number;
  /**
   * Whether a node that tries every feature still draws for the features known constant in it,
   * as scikit-learn does (a source replaying scikit-learn's trees says true). Keel's `Rng` does
   * not: when every feature is tried, the order they are visited in only breaks ties between
   * equally good splits, and the non-constant features still come in a uniformly random order.
   */
  readonly drawsKnownConstants?: boolean;
}
