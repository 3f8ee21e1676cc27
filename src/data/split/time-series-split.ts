/**
 * Time-ordered splits with an expanding window (scikit-learn's `TimeSeriesSplit`): the rows are
 * put in time order; the last `nSplits · testSize` rows are cut into `nSplits` consecutive test
 * blocks, and each block's training rows are all the rows before it except a `gap` just before it
 * (and at most the `maxTrainSize` most recent). Training rows therefore always precede test rows.
 *
 * Every cut falls on a time boundary: a test block starts at the boundary nearest its nominal
 * position, so rows sharing a timestamp are never split between training and test, between two
 * test blocks, or between training and the gap. Without ties this is scikit-learn's split exactly.
 */
import { InvalidInputError, show } from "../../core/index.js";
import { checkPositiveInt } from "./checks.js";
import { type TimeInput, boundaryAtOrAfter, nearestBoundary, parseGap, rowsBetween, timeOrder, trainEnd } from "./time-order.js";
import type { Split } from "./types.js";

/** Options of `timeSeriesSplit`. */
export interface TimeSeriesSplitOptions {
  /** Number of splits (default 5). */
  nSplits?: number;
  /** Rows per test block (default ⌊n / (nSplits + 1)⌋); blocks move to time boundaries. */
  testSize?: number;
  /**
   * Left out between the end of training and the start of each test block (default 0): a row
   * count (at least that many rows, up to a time boundary), or with a datetime time column a
   * duration such as "7d" (training rows are more than 7 days before the block's first time).
   */
  gap?: number | string;
  /** Keep at most this many most recent training rows (default: all). */
  maxTrainSize?: number;
  /** With a frame: the datetime or numeric column giving the time order. */
  time?: string;
}

/**
 * Time-ordered splits of `n` rows in their given order, or of rows ordered by time (a numeric
 * or datetime column, an array of times, or a frame with `options.time`). Ordering by time is
 * stable: rows with equal times keep their order. Indices in each split are in time order
 * (ascending for a plain `n`). With rows in their given order, or times without ties, the splits
 * equal scikit-learn 1.2's `TimeSeriesSplit(n_splits, test_size=, gap=, max_train_size=)`.
 *
 * @example timeSeriesSplit(frame, { time: "date", nSplits: 5, gap: "7d" })
 */
export function timeSeriesSplit(input: TimeInput, options: TimeSeriesSplitOptions = {}): Split[] {
  const o = timeOrder(input, options.time);
  const n = o.n;
  const nSplits = options.nSplits ?? 5;
  if (typeof nSplits !== "number" || !Number.isInteger(nSplits) || nSplits < 2) {
    throw new InvalidInputError(`nSplits must be an integer ≥ 2, got ${show(nSplits)}`, { path: "nSplits", expected: "an integer ≥ 2", received: nSplits });
  }
  const gap = parseGap(options.gap, o);
  const gapRows = "rows" in gap ? gap.rows : 0;
  if (nSplits + 1 > n) {
    throw new InvalidInputError(`nSplits=${nSplits} needs at least ${nSplits + 1} rows (one training block and ${nSplits} test blocks), got ${n}`, {
      path: "nSplits",
      expected: `an integer ≤ ${Math.max(0, n - 1)}`,
      received: nSplits,
    });
  }
  const testSize = options.testSize === undefined ? Math.floor(n / (nSplits + 1)) : checkPositiveInt(options.testSize, "testSize");
  const maxTrain = options.maxTrainSize === undefined ? 0 : checkPositiveInt(options.maxTrainSize, "maxTrainSize");
  if (n - gapRows - testSize * nSplits <= 0) {
    throw new InvalidInputError(`too many splits: ${nSplits} test blocks of ${testSize} rows and a gap of ${gapRows} leave no training rows out of ${n}`, {
      path: "nSplits",
      expected: `nSplits · testSize + gap < ${n}`,
      received: { nSplits, testSize, gap: gapRows },
    });
  }
  const starts: number[] = [];
  for (let i = 0; i < nSplits; i++) starts.push(nearestBoundary(o, n - (nSplits - i) * testSize));
  starts.push(n);
  const where = options.time === undefined ? "the times" : `column ${show(options.time)}`;
  const out: Split[] = [];
  for (let i = 0; i < nSplits; i++) {
    if (starts[i + 1] <= starts[i] || starts[0] === 0) {
      throw new InvalidInputError(`${where} has too few distinct times for ${nSplits} test blocks of about ${testSize} rows after a training block: ${starts[0] === 0 ? "no training rows would be left" : `test block ${i + 1} would be empty`}, since no cut may split a timestamp; use fewer splits`, {
        path: "nSplits",
        expected: "fewer splits, or more distinct times",
        received: nSplits,
      });
    }
    const end = trainEnd(o, starts[i], gap);
    const begin = maxTrain > 0 && maxTrain < end ? boundaryAtOrAfter(o, end - maxTrain) : 0;
    if (end <= begin) {
      const cause = end === 0 ? `the gap (${"rows" in gap ? `${gap.rows} rows` : gap.text}) leaves nothing before it` : `maxTrainSize=${maxTrain} is less than the rows sharing the last training time`;
      throw new InvalidInputError(`split ${i + 1} has no training rows: its test block starts at position ${starts[i]} in time order and ${cause}`, {
        path: end === 0 ? "gap" : "maxTrainSize",
        expected: "training rows before every test block",
        received: end === 0 ? options.gap : maxTrain,
      });
    }
    out.push({ train: rowsBetween(o, begin, end), test: rowsBetween(o, starts[i], starts[i + 1]) });
  }
  return out;
}
