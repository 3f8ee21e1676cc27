/**
 * Fold assignments for inner cross-fitting (the target encoder's `fit_transform`), exactly as
 * scikit-learn's `KFold` and `StratifiedKFold` assign test folds; only the shuffling draws from
 * Keel's `Rng` instead of NumPy's, so with `shuffle: false` the folds equal scikit-learn's.
 */
import { InvalidInputError, type Rng } from "../core/index.js";

/**
 * Test fold of each of `n` rows, as `KFold(k, shuffle)`: rows (shuffled first when asked) are cut
 * into k contiguous blocks, the first n mod k blocks one row longer.
 * @example
 * ```ts
 * const fold = kFoldAssignment(10, 5, true, new Rng(0)); // fold of each row, 0..4
 * ```
 */
export function kFoldAssignment(n: number, k: number, shuffle: boolean, rng: Rng, where = "cv"): Int32Array {
  if (k > n) {
    throw new InvalidInputError(`${where}: cannot make ${k} folds from ${n} rows`, { path: where, expected: `at most ${n} folds (or more rows)`, received: k });
  }
  const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const folds = new Int32Array(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let at = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let i = 0; i < size; i++) folds[order[at++]] = f;
  }
  return folds;
}

/**
 * Test fold of each row, as `StratifiedKFold(k, shuffle)._make_test_folds`: classes are numbered
 * by first appearance, the class-sorted rows are dealt round-robin to folds to decide how many
 * rows of each class each fold gets, and each class's rows (in data order) are given their fold
 * numbers in blocks — the blocks shuffled when asked.
 * @example
 * ```ts
 * const fold = stratifiedFoldAssignment(Int32Array.of(0, 0, 1, 1, 0, 1), 3, false, new Rng(0));
 * ```
 */
export function stratifiedFoldAssignment(y: Int32Array, k: number, shuffle: boolean, rng: Rng, where = "cv"): Int32Array {
  const n = y.length;
  // classes by order of first appearance
  const firstSeen = new Map<number, number>();
  const enc = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = firstSeen.get(y[i]);
    if (c === undefined) {
      c = firstSeen.size;
      firstSeen.set(y[i], c);
    }
    enc[i] = c;
  }
  const nClasses = firstSeen.size;
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) counts[enc[i]]++;
  if (counts.every((c) => k > c)) {
    throw new InvalidInputError(`${where}: cannot make ${k} stratified folds when every class has fewer than ${k} rows (class sizes ${[...counts].join(", ")})`, {
      path: where,
      expected: `a class with at least ${k} rows`,
      received: [...counts],
    });
  }
  // allocation[f][c]: rows of class c in fold f, from dealing the class-sorted rows round-robin
  const allocation = Array.from({ length: k }, () => new Int32Array(nClasses));
  let start = 0;
  for (let c = 0; c < nClasses; c++) {
    for (let p = start; p < start + counts[c]; p++) allocation[p % k][c]++;
    start += counts[c];
  }
  const folds = new Int32Array(n);
  for (let c = 0; c < nClasses; c++) {
    const blocks = new Int32Array(counts[c]);
    let o = 0;
    for (let f = 0; f < k; f++) for (let r = 0; r < allocation[f][c]; r++) blocks[o++] = f;
    if (shuffle) rng.shuffle(blocks);
    let j = 0;
    for (let i = 0; i < n; i++) if (enc[i] === c) folds[i] = blocks[j++];
  }
  return folds;
}
