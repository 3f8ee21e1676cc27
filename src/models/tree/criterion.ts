/**
 * What a split criterion does for the splitter, after scikit-learn's `Criterion`: node totals,
 * node impurity and value, the scan that finds the best cut along one feature's sorted rows, and
 * the impurity of a chosen split's children. Formulas follow scikit-learn 1.2 term for term, so
 * the same data gives the same floating-point comparisons (and the same tree).
 */

/** Values closer than this are one value: no split between them (scikit-learn's FEATURE_THRESHOLD). */
export const FEATURE_THRESHOLD = 1e-7;
/** Impurity at or below this is a pure node (double machine epsilon, as scikit-learn). */
export const EPSILON = 2.220446049250313e-16;

/**
 * Rows of one node sorted along a feature, from position `at` of `rows` and `x`: `nonMissing`
 * rows ascending by `x`, then the rows whose value is missing (`m` rows in all). Criteria read
 * `rows[at + i]` and `x[at + i]` for i in [0, m).
 */
export interface SortedRows {
  rows: Int32Array;
  x: Float64Array;
  at: number;
  m: number;
  nonMissing: number;
}

export interface ScanLimits {
  minSamplesLeaf: number;
  minWeightLeaf: number;
}

export interface Criterion {
  /** Node totals over `samples[start..end)`; returns the node's total weight. */
  init(samples: Int32Array, start: number, end: number): number;
  /** Impurity of the node last passed to `init`. */
  nodeImpurity(): number;
  /** The node's value (class proportions, or the prediction) into `out[offset..]`. */
  nodeValue(out: Float64Array, offset: number): void;
  /**
   * Look for the best cut of `sorted` whose proxy improvement beats `bestProxy`. Cuts lie between
   * distinct values; rows with missing values go right, or left, whichever is better (both are
   * tried), and "all present left, all missing right" is a candidate too. On success sets
   * `foundProxy`, `foundPos` (present rows on the left) and `foundMissingLeft`, and returns true.
   */
  scan(sorted: SortedRows, limits: ScanLimits, bestProxy: number): boolean;
  /**
   * Proxy improvement of a fixed partition (positions relative to `at`): `[0, leftPresent)` left,
   * `[leftPresent, nonMissing)` right, missing rows `[nonMissing, m)` on the side `missingLeft` says. −Infinity when the
   * partition breaks the leaf limits.
   */
  partitionProxy(sorted: SortedRows, leftPresent: number, missingLeft: boolean, limits: ScanLimits): number;
  /** Impurities of the children `samples[start..pos)` and `samples[pos..end)` of the current node. */
  childrenImpurity(samples: Int32Array, start: number, pos: number, end: number): { left: number; right: number; weightLeft: number; weightRight: number };
  /** Doubles of statistics one side of a cut needs for `accumulate` / `sideProxy`; 0: no such path. */
  readonly sideWidth: number;
  /**
   * For each row of `samples[start..end)`, add its statistics (`sideWidth` doubles) and 1 to
   * `stats` and `count` at every slot in `slots[ptr[row]..ptr[row + 1])` (see `BinaryFeatures`);
   * slots met for the first time (count 0 before) are appended to `touched`. Returns how many.
   */
  accumulate(samples: Int32Array, start: number, end: number, ptr: Int32Array, slots: Int32Array, count: Int32Array, stats: Float64Array, touched: Int32Array): number;
  /**
   * Proxy improvement of the cut of the current node (`m` rows) whose one side holds `n1` rows
   * with statistics `stats[slot·sideWidth ..]` — on the left when `sideLeft` — and the other side
   * the rest; −Infinity when the cut breaks the leaf limits.
   */
  sideProxy(stats: Float64Array, slot: number, n1: number, m: number, sideLeft: boolean, limits: ScanLimits): number;
  foundProxy: number;
  foundPos: number;
  foundMissingLeft: boolean;
}

/**
 * Weighted impurity decrease of a split, scikit-learn's `impurity_improvement`:
 * (N_t / N) · (impurity − N_tR / N_t · impurity_R − N_tL / N_t · impurity_L).
 */
export function impurityImprovement(weightTotal: number, weightNode: number, impurity: number, left: number, right: number, weightLeft: number, weightRight: number): number {
  return (weightNode / weightTotal) * (impurity - (weightRight / weightNode) * right - (weightLeft / weightNode) * left);
}
