/**
 * Labels and groups as dense codes: what stratified and grouped splitters work on. Accepts class
 * codes, numbers, strings or a frame column; missing values are an error naming the first row.
 */
import { InvalidInputError, show } from "../../core/index.js";
import { type Column, MISSING_BOOL, assertColumn } from "../column.js";
import type { LabelInput } from "./types.js";

/** Dense codes 0..k−1 for each row, the label of each code, and how many rows carry it. */
export interface EncodedLabels {
  readonly codes: Int32Array;
  /** The original value of each code (for messages and ordering). */
  readonly values: readonly (string | number)[];
  readonly counts: Int32Array;
}

/**
 * Encode labels as dense codes. `order: "first-seen"` numbers classes by first appearance
 * (scikit-learn's StratifiedKFold); `"sorted"` by sorted value (numbers numerically, strings by
 * code units, as `np.unique`).
 * @example
 * ```ts
 * const { codes } = encodeLabels(["b", "a", "b"], "y", "sorted"); // codes [1, 0, 1]
 * ```
 */
export function encodeLabels(input: LabelInput, name: string, order: "first-seen" | "sorted"): EncodedLabels {
  const { codes, values } = firstSeen(input, name);
  let out = codes;
  let vals = values;
  if (order === "sorted") {
    const idx = values.map((_, i) => i);
    idx.sort((i, j) => compareValues(values[i], values[j]));
    const remap = new Int32Array(values.length);
    idx.forEach((old, k) => (remap[old] = k));
    out = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = remap[codes[i]];
    vals = idx.map((i) => values[i]);
  }
  const counts = new Int32Array(vals.length);
  for (let i = 0; i < out.length; i++) counts[out[i]]++;
  return { codes: out, values: vals, counts };
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function missing(name: string, row: number): never {
  throw new InvalidInputError(`${name} is missing at row ${row}; every row needs a value to be split on`, { path: `${name}[${row}]`, expected: "a label", received: null });
}

function isColumn(x: unknown): x is Column {
  return typeof x === "object" && x !== null && !ArrayBuffer.isView(x) && !Array.isArray(x) && typeof (x as { kind?: unknown }).kind === "string";
}

function firstSeen(input: LabelInput, name: string): { codes: Int32Array; values: (string | number)[] } {
  if (isColumn(input)) {
    assertColumn(input, name);
    const c = input;
    switch (c.kind) {
      case "categorical": {
        const remap = new Int32Array(c.categories.length).fill(-1);
        const values: string[] = [];
        const codes = new Int32Array(c.codes.length);
        for (let i = 0; i < codes.length; i++) {
          const k = c.codes[i];
          if (k < 0) missing(name, i);
          if (remap[k] < 0) {
            remap[k] = values.length;
            values.push(c.categories[k]);
          }
          codes[i] = remap[k];
        }
        return { codes, values };
      }
      case "numeric":
      case "datetime":
        return fromNumbers(c.values, name);
      case "boolean": {
        for (let i = 0; i < c.values.length; i++) if (c.values[i] === MISSING_BOOL) missing(name, i);
        return fromNumbers(c.values, name);
      }
      case "text":
        return fromStrings(c.values, name);
    }
  }
  if (input instanceof Int32Array || input instanceof Uint8Array) return fromInts(input, name);
  if (ArrayBuffer.isView(input)) return fromNumbers(input as Float64Array, name);
  const arr = input as readonly (string | number | null)[];
  const first = arr.find((v) => v != null);
  if (typeof first === "string") return fromStrings(arr as readonly (string | null)[], name);
  return fromNumbers(arr as readonly number[], name);
}

function fromInts(a: Int32Array | Uint8Array, name: string): { codes: Int32Array; values: number[] } {
  const n = a.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (a[i] < lo) lo = a[i];
    if (a[i] > hi) hi = a[i];
  }
  if (n === 0 || hi - lo > 4 * n + 1024) return fromNumbers(a, name);
  const remap = new Int32Array(hi - lo + 1).fill(-1);
  const values: number[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = a[i] - lo;
    if (remap[k] < 0) {
      remap[k] = values.length;
      values.push(a[i]);
    }
    codes[i] = remap[k];
  }
  return { codes, values };
}

function fromNumbers(a: ArrayLike<number>, name: string): { codes: Int32Array; values: number[] } {
  const index = new Map<number, number>();
  const values: number[] = [];
  const codes = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v == null || v !== v) missing(name, i);
    if (typeof v !== "number") {
      throw new InvalidInputError(`${name} row ${i}: ${show(v)} is not a label`, { path: `${name}[${i}]`, expected: "a number or a string", received: v });
    }
    const key = v === 0 ? 0 : v; // −0 and 0 are one label
    let k = index.get(key);
    if (k === undefined) {
      k = values.length;
      index.set(key, k);
      values.push(key);
    }
    codes[i] = k;
  }
  return { codes, values };
}

function fromStrings(a: readonly (string | null)[], name: string): { codes: Int32Array; values: string[] } {
  const index = new Map<string, number>();
  const values: string[] = [];
  const codes = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v == null) missing(name, i);
    let k = index.get(v);
    if (k === undefined) {
      k = values.length;
      index.set(v, k);
      values.push(v);
    }
    codes[i] = k;
  }
  return { codes, values };
}
