/**
 * A single train/test holdout (scikit-learn's `train_test_split`), optionally stratified.
 * Sizes follow scikit-learn: a fractional `testSize` gives ⌈testSize · n⌉ test rows, an integer
 * gives that many. Stratified, each class gets ⌊share⌋ or ⌈share⌉ of the test rows where share =
 * n_test · n_class / n (largest remainders first, ties broken at random), so test proportions are
 * within one row of exact for every class; the rows within a class are drawn at random.
 */
import { InvalidInputError, show, type Rng } from "../../core/index.js";
import { Frame } from "../frame.js";
import { checkBool, checkLength, checkRowCount, rngOf } from "./checks.js";
import { partition } from "./folds.js";
import { encodeLabels } from "./labels.js";
import type { LabelInput, Split } from "./types.js";

/** Options of `holdout`. */
export interface HoldoutOptions {
  /** Fraction of rows in (0, 1) or a row count for the test set (default 0.25). */
  testSize?: number;
  /** Class labels to stratify on, or the name of a column of the frame. */
  stratify?: LabelInput | string;
  /** Draw rows at random (default true). Without shuffling, the test set is the last rows. */
  shuffle?: boolean;
  /** Generator or seed (default seed 0). */
  rng?: Rng | number;
}

/**
 * Split `n` rows (or a frame's rows) into one training and one test set, both ascending.
 * @example
 * ```ts
 * const { train, test } = holdout(frame, { testSize: 0.2, stratify: "Status", rng: 42 });
 * const trainFrame = frame.take(train);
 * ```
 */
export function holdout(nOrFrame: number | Frame, options: HoldoutOptions = {}): Split {
  const frame = nOrFrame instanceof Frame ? nOrFrame : null;
  const n = frame ? frame.nRows : checkRowCount(nOrFrame);
  const nTest = testCount(options.testSize ?? 0.25, n);
  const nTrain = n - nTest;
  const shuffle = checkBool(options.shuffle ?? true, "shuffle");
  const mark = new Uint8Array(n);
  if (options.stratify === undefined) {
    if (!shuffle) {
      mark.fill(1, nTrain);
      return partition(mark);
    }
    const picked = rngOf(options.rng).sampleWithoutReplacement(n, nTest);
    for (let i = 0; i < nTest; i++) mark[picked[i]] = 1;
    return partition(mark);
  }
  if (!shuffle) {
    throw new InvalidInputError("a stratified holdout needs shuffle: true (the last rows cannot be both last and stratified)", { path: "shuffle", expected: "true with stratify", received: false });
  }
  let labels: LabelInput;
  if (typeof options.stratify === "string") {
    if (!frame) throw new InvalidInputError(`stratify=${show(options.stratify)} names a column, so the first argument must be a frame`, { path: "stratify", expected: "a frame, or labels instead of a column name" });
    labels = frame.column(options.stratify);
  } else labels = options.stratify;
  const enc = encodeLabels(labels, typeof options.stratify === "string" ? options.stratify : "stratify", "sorted");
  checkLength(enc.codes.length, n, "stratify");
  const k = enc.values.length;
  for (let c = 0; c < k; c++) {
    if (enc.counts[c] < 2) {
      throw new InvalidInputError(`class ${show(enc.values[c])} has only 1 member; a stratified holdout needs at least 2 rows of every class`, {
        path: "stratify",
        expected: "at least 2 rows of every class",
        received: { class: enc.values[c], count: enc.counts[c] },
      });
    }
  }
  if (nTest < k || nTrain < k) {
    const which = nTest < k ? "test" : "training";
    throw new InvalidInputError(`the ${which} set would have ${Math.min(nTest, nTrain)} rows for ${k} classes; each class needs a row on both sides`, {
      path: "testSize",
      expected: `a test size leaving at least ${k} rows on each side`,
      received: options.testSize ?? 0.25,
    });
  }
  const rng = rngOf(options.rng);
  // test rows per class: largest remainder apportionment of nTest
  const take = new Int32Array(k);
  const frac = new Float64Array(k);
  let given = 0;
  for (let c = 0; c < k; c++) {
    const share = (nTest * enc.counts[c]) / n;
    take[c] = Math.floor(share);
    frac[c] = share - take[c];
    given += take[c];
  }
  const byRemainder = rng.permutation(k);
  const order = Array.from(byRemainder).sort((a, b) => frac[b] - frac[a]);
  for (let j = 0; given < nTest; j++, given++) take[order[j]]++;
  // rows of each class (counting sort), then a random subset of each
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c] + enc.counts[c];
  const pos = start.slice(0, k);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[pos[enc.codes[i]]++] = i;
  for (let c = 0; c < k; c++) {
    const picked = rng.sampleWithoutReplacement(enc.counts[c], take[c]);
    for (let j = 0; j < picked.length; j++) mark[rows[start[c] + picked[j]]] = 1;
  }
  return partition(mark);
}

/** Test rows for `testSize` (fraction or count) of `n` rows, as scikit-learn computes it. */
function testCount(testSize: unknown, n: number): number {
  if (typeof testSize !== "number" || !Number.isFinite(testSize) || testSize <= 0) {
    throw new InvalidInputError(`testSize must be a fraction in (0, 1) or a row count ≥ 1, got ${show(testSize)}`, { path: "testSize", expected: "a number in (0, 1) or an integer ≥ 1", received: testSize });
  }
  let nTest: number;
  if (testSize < 1) nTest = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize)) nTest = testSize;
  else throw new InvalidInputError(`testSize must be a fraction in (0, 1) or a whole row count, got ${show(testSize)}`, { path: "testSize", expected: "a number in (0, 1) or an integer ≥ 1", received: testSize });
  if (nTest >= n || nTest < 1) {
    throw new InvalidInputError(`testSize=${show(testSize)} gives ${nTest} test rows out of ${n}; both sets need at least one row`, { path: "testSize", expected: `between 1 and ${n - 1} test rows`, received: testSize });
  }
  return nTest;
}
