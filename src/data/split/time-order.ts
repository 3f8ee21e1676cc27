/**
 * Rows in time order, and where a time-ordered split may cut: only at a *boundary*, a position
 * in time order where the time changes, so no timestamp lies on both sides of a cut. Shared by
 * the time-ordered holdout and time-series cross-validation, with the gap between training and
 * test given as a row count or (for datetime columns) a duration such as "7d".
 */
import { InvalidInputError, show, DURATION_EXPECTED, durationMs } from "../../core/index.js";
import { type Column, assertColumn } from "../column.js";
import { Frame } from "../frame.js";
import { checkLength, checkNonNegativeInt, checkRowCount } from "./checks.js";

/** What a time-ordered splitter orders by: a row count (rows already in order), a frame with `time`, a column or an array of times. */
export type TimeInput = number | Frame | ArrayLike<number> | Column;

export interface TimeOrder {
  readonly n: number;
  /** Row indices in time order (stable: equal times keep row order); null when rows are already in order (a count). */
  readonly order: Int32Array | null;
  /** The times in time order, or null for a plain count (every position is then a boundary). */
  readonly times: Float64Array | null;
  /** Whether the times are a datetime column (epoch ms), so durations apply. */
  readonly datetime: boolean;
}

/** The stable time order of the rows (missing times are an error naming the row). */
export function timeOrder(input: TimeInput, timeName?: string): TimeOrder {
  if (typeof input === "number") {
    checkRowCount(input);
    if (timeName !== undefined) throw new InvalidInputError(`time=${show(timeName)} needs a frame, not a row count`, { path: "time", expected: "a frame as first argument" });
    return { n: input, order: null, times: null, datetime: false };
  }
  let raw: ArrayLike<number>;
  let name = "time";
  let datetime = false;
  if (input instanceof Frame) {
    if (timeName === undefined) {
      checkRowCount(input.nRows);
      return { n: input.nRows, order: null, times: null, datetime: false };
    }
    name = timeName;
    const col = input.column(timeName);
    raw = columnTimes(col, timeName);
    datetime = col.kind === "datetime";
    checkLength(raw.length, input.nRows, timeName);
  } else if (typeof (input as Column).kind === "string" && !ArrayBuffer.isView(input)) {
    raw = columnTimes(input as Column, "time");
    datetime = (input as Column).kind === "datetime";
  } else {
    raw = input as ArrayLike<number>;
  }
  const n = raw.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (typeof v !== "number" || v !== v) {
      throw new InvalidInputError(`${name} is ${v !== v ? "missing" : show(v)} at row ${i}; every row needs a time to be ordered by`, { path: `${name}[${i}]`, expected: "a number or a date", received: v });
    }
    t[i] = v;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => t[a] - t[b] || a - b);
  const times = new Float64Array(n);
  for (let p = 0; p < n; p++) times[p] = t[order[p]];
  return { n, order, times, datetime };
}

function columnTimes(col: Column, name: string): ArrayLike<number> {
  assertColumn(col, name);
  if (col.kind === "numeric" || col.kind === "datetime") return col.values;
  throw new InvalidInputError(`column ${show(name)} is ${col.kind}; a time order needs a datetime or numeric column`, { path: name, expected: "datetime or numeric", received: col.kind });
}

/** Is position p (0..n) a boundary: the start, the end, or where the time changes? */
export function isBoundary(o: TimeOrder, p: number): boolean {
  return !o.times || p <= 0 || p >= o.n || o.times[p] !== o.times[p - 1];
}

/** The last boundary at or before position p. */
export function boundaryAtOrBefore(o: TimeOrder, p: number): number {
  while (!isBoundary(o, p)) p--;
  return p;
}

/** The first boundary at or after position p. */
export function boundaryAtOrAfter(o: TimeOrder, p: number): number {
  while (!isBoundary(o, p)) p++;
  return p;
}

/** The boundary nearest position p (the earlier one on a tie). */
export function nearestBoundary(o: TimeOrder, p: number): number {
  const lo = boundaryAtOrBefore(o, p);
  const hi = boundaryAtOrAfter(o, p);
  return p - lo <= hi - p ? lo : hi;
}


/** A gap between training and test: rows left out, or a span of time (ms) for a datetime order. */
export type Gap = { readonly rows: number } | { readonly ms: number; readonly text: string };

/**
 * A gap option: a row count (an integer ≥ 0), or a duration such as "7d", "12h", "30min", "2w"
 * (core's duration grammar), which needs a datetime time column.
 */
export function parseGap(gap: unknown, o: TimeOrder, param = "gap"): Gap {
  if (typeof gap === "string") {
    const ms = durationMs(gap);
    if (ms === null) throw new InvalidInputError(`${param} ${show(gap)} is not a duration; expected a row count or ${DURATION_EXPECTED}`, { path: param, expected: 'a row count or a duration like "7d"', received: gap });
    if (!o.datetime) throw new InvalidInputError(`${param} ${show(gap)} is a duration, which needs a datetime time column; give a row count instead`, { path: param, expected: "a row count (the time column is not a datetime)", received: gap });
    return { ms, text: gap.trim() };
  }
  return { rows: checkNonNegativeInt(gap ?? 0, param) };
}

/**
 * Where the training rows end (exclusive) for a test block starting at boundary `testStart`:
 * with a row gap, the last boundary leaving at least `rows` rows out; with a duration, before the
 * first row less than that span before the test block's first time.
 */
export function trainEnd(o: TimeOrder, testStart: number, gap: Gap): number {
  if ("rows" in gap) return Math.max(0, boundaryAtOrBefore(o, testStart - gap.rows));
  const limit = o.times![testStart] - gap.ms;
  let lo = 0;
  let hi = testStart;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (o.times![mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The row at time-order position p. */
export function rowAt(o: TimeOrder, p: number): number {
  return o.order ? o.order[p] : p;
}

/** Rows at time-order positions [from, to). */
export function rowsBetween(o: TimeOrder, from: number, to: number): Int32Array {
  const out = new Int32Array(Math.max(0, to - from));
  for (let p = from; p < to; p++) out[p - from] = rowAt(o, p);
  return out;
}
