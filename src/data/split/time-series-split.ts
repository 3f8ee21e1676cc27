/**
 * Time-ordered splits with an expanding window (scikit-learn's `TimeSeriesSplit`): the rows are
 * put in time order; the last `nSplits · testSize` rows are cut into `nSplits` consecutive test
 * blocks, and each block's training rows are all the rows before it except the `gap` rows just
 * before it (and at most the `maxTrainSize` most recent). Training rows therefore always precede
 * test rows, by at least `gap` rows.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import { type Column, assertColumn } from "../column.js";
import { Frame } from "../frame.js";
import { checkLength, checkNonNegativeInt, checkPositiveInt, checkRowCount } from "./checks.js";
import type { Split } from "./types.js";

export interface TimeSeriesSplitOptions {
  /** Number of splits (default 5). */
  nSplits?: number;
  /** Rows per test block (default ⌊n / (nSplits + 1)⌋). */
  testSize?: number;
  /** Rows left out between the end of training and the start of each test block (default 0). */
  gap?: number;
  /** Keep at most this many most recent training rows (default: all). */
  maxTrainSize?: number;
  /** With a frame: the datetime or numeric column giving the time order. */
  time?: string;
}

/**
 * Time-ordered splits of `n` rows in their given order, or of rows ordered by time (a numeric
 * or datetime column, an array of times, or a frame with `options.time`). Ordering by time is
 * stable: rows with equal times keep their order. Indices in each split are in time order
 * (ascending for a plain `n`). With rows in their given order the splits equal scikit-learn
 * 1.2's `TimeSeriesSplit(n_splits, test_size=, gap=, max_train_size=)`.
 */
export function timeSeriesSplit(input: number | Frame | ArrayLike<number> | Column, options: TimeSeriesSplitOptions = {}): Split[] {
  const order = timeOrder(input, options.time);
  const n = order ? order.length : (input as number);
  const nSplits = options.nSplits ?? 5;
  if (typeof nSplits !== "number" || !Number.isInteger(nSplits) || nSplits < 2) {
    throw new InvalidInputError(`nSplits must be an integer ≥ 2, got ${show(nSplits)}`, { path: "nSplits", expected: "an integer ≥ 2", received: nSplits });
  }
  const gap = checkNonNegativeInt(options.gap ?? 0, "gap");
  if (nSplits + 1 > n) {
    throw new InvalidInputError(`nSplits=${nSplits} needs at least ${nSplits + 1} rows (one training block and ${nSplits} test blocks), got ${n}`, {
      path: "nSplits",
      expected: `an integer ≤ ${Math.max(0, n - 1)}`,
      received: nSplits,
    });
  }
  const testSize = options.testSize === undefined ? Math.floor(n / (nSplits + 1)) : checkPositiveInt(options.testSize, "testSize");
  const maxTrain = options.maxTrainSize === undefined ? 0 : checkPositiveInt(options.maxTrainSize, "maxTrainSize");
  if (n - gap - testSize * nSplits <= 0) {
    throw new InvalidInputError(`too many splits: ${nSplits} test blocks of ${testSize} rows and a gap of ${gap} leave no training rows out of ${n}`, {
      path: "nSplits",
      expected: `nSplits · testSize + gap < ${n}`,
      received: { nSplits, testSize, gap },
    });
  }
  const at = (p: number) => (order ? order[p] : p);
  const out: Split[] = [];
  for (let testStart = n - nSplits * testSize; testStart < n; testStart += testSize) {
    const trainEnd = testStart - gap;
    const trainStart = maxTrain > 0 && maxTrain < trainEnd ? trainEnd - maxTrain : 0;
    const testEnd = Math.min(n, testStart + testSize);
    const train = new Int32Array(trainEnd - trainStart);
    for (let p = trainStart; p < trainEnd; p++) train[p - trainStart] = at(p);
    const test = new Int32Array(testEnd - testStart);
    for (let p = testStart; p < testEnd; p++) test[p - testStart] = at(p);
    out.push({ train, test });
  }
  return out;
}

/** The stable time order of the rows, or null when rows are already in order (a plain count). */
function timeOrder(input: number | Frame | ArrayLike<number> | Column, timeName?: string): Int32Array | null {
  if (typeof input === "number") {
    checkRowCount(input);
    if (timeName !== undefined) throw new InvalidInputError(`time=${show(timeName)} needs a frame, not a row count`, { path: "time", expected: "a frame as first argument" });
    return null;
  }
  let times: ArrayLike<number>;
  let name = "time";
  if (input instanceof Frame) {
    if (timeName === undefined) {
      checkRowCount(input.nRows);
      return identity(input.nRows);
    }
    name = timeName;
    const col = input.column(timeName);
    times = columnTimes(col, timeName);
    checkLength(times.length, input.nRows, timeName);
  } else if (typeof (input as Column).kind === "string" && !ArrayBuffer.isView(input)) {
    times = columnTimes(input as Column, "time");
  } else {
    times = input as ArrayLike<number>;
  }
  const n = times.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = times[i];
    if (typeof v !== "number" || v !== v) {
      throw new InvalidInputError(`${name} is ${v !== v ? "missing" : show(v)} at row ${i}; every row needs a time to be ordered by`, { path: `${name}[${i}]`, expected: "a number or a date", received: v });
    }
    t[i] = v;
  }
  const order = identity(n);
  // stable: equal times keep row order
  return order.sort((a, b) => t[a] - t[b] || a - b);
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function columnTimes(col: Column, name: string): ArrayLike<number> {
  assertColumn(col, name);
  if (col.kind === "numeric" || col.kind === "datetime") return col.values;
  throw new InvalidInputError(`column ${show(name)} is ${col.kind}; a time order needs a datetime or numeric column`, { path: name, expected: "datetime or numeric", received: col.kind });
}
