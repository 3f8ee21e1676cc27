/**
 * Logged requests as tables: the input rows of answered requests as one Frame (columns typed by the
 * reference profile, so a number logged as text shows as a missing value, not a new column kind),
 * and their `prediction` output as one column; and time windows (UTC hours or days) over the log.
 */
import { type Column, type ColumnKind, boolean, categoricalFromValues, datetime, numeric, text, Frame } from "../../data/index.js";
import type { LoggedPrediction } from "./log-reader.js";

/** The monitoring window sizes. */
export type WindowSize = "hour" | "day";
/** Each window size in milliseconds. */
export const WINDOW_MS: Readonly<Record<WindowSize, number>> = { hour: 3_600_000, day: 86_400_000 };

/**
 * Start (epoch ms, UTC) of the window holding `time`.
 * @example
 * ```ts
 * new Date(windowStart(Date.parse("2024-05-01T10:42:00Z"), "hour")).toISOString(); // "2024-05-01T10:00:00.000Z"
 * ```
 */
export function windowStart(time: number, size: WindowSize): number {
  return Math.floor(time / WINDOW_MS[size]) * WINDOW_MS[size];
}

/** One window of logged predictions: [start, end) in epoch ms. */
export interface LogWindow {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  records: LoggedPrediction[];
}

/**
 * The windows that hold at least one record, oldest first.
 * @example
 * ```ts
 * const windows = logWindows(await reader.predictions({ model: "credit" }), "day");
 * ```
 */
export function logWindows(records: readonly LoggedPrediction[], size: WindowSize): LogWindow[] {
  const by = new Map<number, LoggedPrediction[]>();
  for (const r of records) {
    const s = windowStart(r.time, size);
    let list = by.get(s);
    if (!list) by.set(s, (list = []));
    list.push(r);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([start, recs]) => ({ start, end: start + WINDOW_MS[size], records: recs }));
}

/** A logged value as a number (NaN when missing or not a number). */
function asNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isNaN(n) ? NaN : n;
  }
  return NaN;
}

function asLabel(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === "string" ? v : String(v);
}

/**
 * One column of logged values, of `kind`.
 * @example
 * ```ts
 * const col = columnOfValues([1, 2, null], "numeric");
 * ```
 */
export function columnOfValues(values: readonly unknown[], kind: ColumnKind): Column {
  switch (kind) {
    case "numeric":
      return numeric(Float64Array.from(values, asNumber));
    case "categorical":
      return categoricalFromValues(values.map(asLabel));
    case "boolean":
      return boolean(values.map((v) => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : null)));
    case "datetime":
      return datetime(values.map((v) => (typeof v === "string" ? Date.parse(v) : typeof v === "number" ? v : NaN)));
    case "text":
      return text(values.map(asLabel));
  }
}

/** The kind of a column nobody declared: numbers are numeric, anything else categorical. */
function guessKind(values: readonly unknown[]): ColumnKind {
  let seen = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v !== "number") return typeof v === "boolean" ? "boolean" : "categorical";
    seen = true;
  }
  return seen ? "numeric" : "categorical";
}

/**
 * The input rows and predictions of answered requests (status 200 with inputs), in log order.
 * `kinds` types the columns the reference knows; other columns are typed from their values. A
 * request that lacks a column has missing values there.
 * @example
 * ```ts
 * const { inputs, prediction } = recordsFrame(records, { age: "numeric", city: "categorical" });
 * ```
 */
export function recordsFrame(records: readonly LoggedPrediction[], kinds: Readonly<Record<string, ColumnKind>>, predictionKind?: ColumnKind): { inputs: Frame; prediction: Column | null } {
  const answered = records.filter((r) => r.status === 200 && r.inputs !== null);
  let n = 0;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of answered) {
    n += r.rows;
    for (const c of Object.keys(r.inputs!)) if (!seen.has(c)) (seen.add(c), names.push(c));
  }
  const gather = (pick: (r: LoggedPrediction) => unknown[] | undefined): unknown[] => {
    const out: unknown[] = new Array(n);
    let at = 0;
    for (const r of answered) {
      const vals = pick(r);
      for (let i = 0; i < r.rows; i++) out[at + i] = vals && i < vals.length ? vals[i] : null;
      at += r.rows;
    }
    return out;
  };
  const cols: Record<string, Column> = {};
  for (const name of names) {
    const vals = gather((r) => r.inputs![name]);
    cols[name] = columnOfValues(vals, kinds[name] ?? guessKind(vals));
  }
  const anyPrediction = answered.some((r) => r.outputs?.prediction);
  let prediction: Column | null = null;
  if (anyPrediction) {
    const vals = gather((r) => r.outputs?.prediction);
    prediction = columnOfValues(vals, predictionKind ?? guessKind(vals));
  }
  return { inputs: Frame.fromColumns(cols, n), prediction };
}
