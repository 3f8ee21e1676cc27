/**
 * Columns of two frames made comparable cell by cell: numbers (numeric, datetime, boolean) as
 * doubles, strings (categorical, text) as ids shared by both frames, so that equal values have
 * equal representations whatever each frame's dictionary is. Kinds that cannot mean the same
 * value (a number in one frame, a string in the other) are a SCHEMA_MISMATCH naming the column.
 */
import { SchemaMismatchError, show } from "../../core/index.js";
import { type Column, MISSING_BOOL } from "../column.js";
import type { Frame } from "../frame.js";

export type AlignedColumn =
  | { readonly name: string; readonly domain: "number"; readonly datetime: boolean; readonly a: Float64Array; readonly b: Float64Array }
  | {
      readonly name: string;
      readonly domain: "string";
      /** True when either side is free text (tokenised into shingles for near duplicates). */
      readonly text: boolean;
      /** String id per row, −1 for missing. */
      readonly a: Int32Array;
      readonly b: Int32Array;
      /** The string of each id. */
      readonly strings: readonly string[];
    };

export function alignColumns(a: Frame, b: Frame, names: readonly string[]): AlignedColumn[] {
  return names.map((name) => {
    const ca = a.column(name);
    const cb = b.column(name);
    const da = domainOf(ca);
    const db = domainOf(cb);
    if (da !== db) {
      throw new SchemaMismatchError(`column ${show(name)} is ${ca.kind} in the first frame and ${cb.kind} in the second; rows cannot be compared`, { path: name, expected: ca.kind, received: cb.kind });
    }
    if (da === "number") {
      return { name, domain: "number", datetime: ca.kind === "datetime" && cb.kind === "datetime", a: asNumbers(ca), b: asNumbers(cb) };
    }
    const index = new Map<string, number>();
    const strings: string[] = [];
    const ia = stringIds(ca, index, strings);
    const ib = stringIds(cb, index, strings);
    return { name, domain: "string", text: ca.kind === "text" || cb.kind === "text", a: ia, b: ib, strings };
  });
}

function domainOf(c: Column): "number" | "string" {
  return c.kind === "categorical" || c.kind === "text" ? "string" : "number";
}

function asNumbers(c: Column): Float64Array {
  if (c.kind === "numeric" || c.kind === "datetime") return c.values;
  if (c.kind === "boolean") {
    const out = new Float64Array(c.values.length);
    for (let i = 0; i < out.length; i++) out[i] = c.values[i] === MISSING_BOOL ? NaN : c.values[i];
    return out;
  }
  throw new Error("unreachable");
}

function stringIds(c: Column, index: Map<string, number>, strings: string[]): Int32Array {
  const idOf = (s: string): number => {
    let k = index.get(s);
    if (k === undefined) {
      k = strings.length;
      index.set(s, k);
      strings.push(s);
    }
    return k;
  };
  if (c.kind === "categorical") {
    const remap = new Int32Array(c.categories.length);
    for (let k = 0; k < remap.length; k++) remap[k] = idOf(c.categories[k]);
    const out = new Int32Array(c.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? -1 : remap[c.codes[i]];
    return out;
  }
  if (c.kind === "text") {
    const out = new Int32Array(c.values.length);
    for (let i = 0; i < out.length; i++) {
      const v = c.values[i];
      out[i] = v === null ? -1 : idOf(v);
    }
    return out;
  }
  throw new Error("unreachable");
}
