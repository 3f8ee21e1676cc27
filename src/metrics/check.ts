/**
 * Input checks shared by the metrics: lengths, class codes, finite numbers, sample weights.
 * Every failure is an INVALID_INPUT naming the argument, the row and the value.
 */
import { InvalidInputError, show } from "../core/index.js";

/** A numeric vector a metric accepts. */
export type Numbers = Float64Array | Int32Array | Uint8Array | readonly number[];

/** Per-row sample weights, accepted by every metric. */
export interface WeightOption {
  /** Per-row weights (finite, ≥ 0). */
  sampleWeight?: Numbers;
}

function bad(what: string, i: number, v: unknown, expected: string): never {
  throw new InvalidInputError(`${what}[${i}] is ${show(v)}; expected ${expected}`, { path: `${what}[${i}]`, expected, received: v });
}

/** Class codes as an Int32Array: integers ≥ 0. */
export function classCodes(y: Numbers, what: string): Int32Array {
  if (y instanceof Int32Array) {
    for (let i = 0; i < y.length; i++) if (y[i] < 0) bad(what, i, y[i], "a class index ≥ 0");
    return y;
  }
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v > 2147483647) bad(what, i, v, "a class index (an integer ≥ 0)");
    out[i] = v;
  }
  return out;
}

/** Finite doubles as a Float64Array (copied only when not one already). */
export function finiteNumbers(x: Numbers, what: string): Float64Array {
  const out = x instanceof Float64Array ? x : Float64Array.from(x as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) bad(what, i, out[i], "a finite number");
  return out;
}

export function sameLength(n: number, m: number, a: string, b: string): void {
  if (n !== m) {
    throw new InvalidInputError(`${a} has ${n} values and ${b} has ${m}; they must have one value per row`, { path: b, expected: `${n} values`, received: m });
  }
}

/** Sample weights checked against `n` rows, or null when absent. */
export function weightsOf(w: Numbers | undefined, n: number): Float64Array | null {
  if (w === undefined || w === null) return null;
  sameLength(n, w.length, "y_true", "sampleWeight");
  const out = w instanceof Float64Array ? w : Float64Array.from(w as ArrayLike<number>);
  for (let i = 0; i < n; i++) if (!(out[i] >= 0) || !Number.isFinite(out[i])) bad("sampleWeight", i, out[i], "a finite weight ≥ 0");
  return out;
}

/** Σw (or n) for a weighted mean; zero is an error, as NumPy's `average` refuses it. */
export function weightTotal(w: Float64Array | null, n: number): number {
  if (n === 0) throw new InvalidInputError("no rows to score", { path: "y_true", expected: "at least one row", received: 0 });
  if (!w) return n;
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i];
  if (s === 0) throw new InvalidInputError("the sample weights sum to zero, so a weighted mean is undefined", { path: "sampleWeight", expected: "weights with a positive sum", received: 0 });
  return s;
}

/** Number of columns of a row-major matrix of `length` values with `rows` rows. */
export function columnsOf(length: number, rows: number, what: string): number {
  if (rows === 0) throw new InvalidInputError("no rows to score", { path: "y_true", expected: "at least one row", received: 0 });
  const k = length / rows;
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidInputError(`${what} has ${length} values for ${rows} rows; expected one value per row, or rows × classes values (row-major)`, { path: what, expected: `a multiple of ${rows} values`, received: length });
  }
  return k;
}
