/**
 * A time-ordered holdout: the latest rows are the test set, the earlier ones the training set,
 * with an optional gap between them, so the model is scored on a future it has not seen. The cut
 * falls on a time boundary (the one nearest the asked-for test size), so no timestamp is on both
 * sides — with `time: Year` the cut never lands in the middle of a year.
 */
import { InvalidInputError, show } from "../../core/index.js";
import { boundaryAtOrAfter, boundaryAtOrBefore, nearestBoundary, parseGap, rowsBetween, type TimeInput, timeOrder, trainEnd } from "./time-order.js";
import type { Split } from "./types.js";

/** Options of `timeHoldout`. */
export interface TimeHoldoutOptions {
  /** Fraction of rows in (0, 1) or a row count for the test set (default 0.25), moved to the nearest time boundary. */
  testSize?: number;
  /** Left out between training and test: a row count (at least that many, up to a time boundary) or, for a datetime column, a duration like "7d". Default 0. */
  gap?: number | string;
  /** With a frame: the datetime or numeric column giving the time order. */
  time?: string;
}

/** A time-ordered split; `left` rows fall in the gap and are in neither set. */
export interface TimeHoldout extends Split {
  readonly left: number;
}

/**
 * Split rows by time: test = the latest ⌈testSize · n⌉ rows (or `testSize` rows), moved to the
 * nearest time boundary; train = the rows before the gap. Indices are in time order (stable for
 * equal times).
 *
 * @example timeHoldout(frame, { time: "Year", testSize: 0.2, gap: 1 })
 */
export function timeHoldout(input: TimeInput, options: TimeHoldoutOptions = {}): TimeHoldout {
  const o = timeOrder(input, options.time);
  const n = o.n;
  const testSize = options.testSize ?? 0.25;
  if (typeof testSize !== "number" || !Number.isFinite(testSize) || testSize <= 0 || (testSize >= 1 && !Number.isInteger(testSize))) {
    throw new InvalidInputError(`testSize must be a fraction in (0, 1) or a whole row count, got ${show(testSize)}`, { path: "testSize", expected: "a number in (0, 1) or an integer ≥ 1", received: testSize });
  }
  const gap = parseGap(options.gap, o);
  const wanted = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (wanted >= n) throw new InvalidInputError(`testSize=${show(testSize)} gives ${wanted} test rows out of ${n}; both sets need rows`, { path: "testSize", expected: `fewer than ${n} test rows`, received: testSize });
  // the nearest boundary, unless it is an end (a set would be empty): then the other neighbour
  let start = nearestBoundary(o, n - wanted);
  if (start === 0) start = boundaryAtOrAfter(o, n - wanted);
  else if (start === n) start = boundaryAtOrBefore(o, n - wanted);
  const where = options.time === undefined ? "the rows" : `column ${show(options.time)}`;
  if (start <= 0 || start >= n) {
    throw new InvalidInputError(`${where} hold${options.time === undefined ? "" : "s"} one time only; a time-ordered split needs at least two distinct times`, { path: options.time ?? "time", expected: "at least two distinct times", received: n });
  }
  const end = trainEnd(o, start, gap);
  if (end <= 0) {
    throw new InvalidInputError(`the gap (${"rows" in gap ? `${gap.rows} rows` : gap.text}) leaves no training rows before the test set's first time`, { path: "gap", expected: "a gap shorter than the time before the test set", received: options.gap });
  }
  return { train: rowsBetween(o, 0, end), test: rowsBetween(o, start, n), left: start - end };
}
