/**
 * Columns: the typed arrays a `Frame` is made of (DESIGN "Core shapes").
 * - numeric: `Float64Array`, `NaN` for missing
 * - categorical: `Int32Array` codes into `categories`, −1 for missing
 * - boolean: `Uint8Array` of 0 / 1, `MISSING_BOOL` (255) for missing
 * - datetime: `Float64Array` of epoch milliseconds (UTC), `NaN` for missing
 * - text: `(string | null)[]`, `null` for missing
 * Columns are treated as immutable: nothing in Keel writes into a column it did not create.
 */
import { InvalidInputError, show } from "../core/index.js";

/** The five kinds of column a `Frame` holds. */
export type ColumnKind = "numeric" | "categorical" | "boolean" | "datetime" | "text";
/** Every `ColumnKind`, in a fixed order. */
export const COLUMN_KINDS: readonly ColumnKind[] = ["numeric", "categorical", "boolean", "datetime", "text"];

/** The code for a missing boolean. */
export const MISSING_BOOL = 255;

/** Numbers as doubles; NaN is missing. */
export interface NumericColumn {
  readonly kind: "numeric";
  readonly values: Float64Array;
}
/** Codes into `categories`; −1 is missing. */
export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly codes: Int32Array;
  readonly categories: readonly string[];
}
/** 0 (false), 1 (true) or `MISSING_BOOL`. */
export interface BooleanColumn {
  readonly kind: "boolean";
  readonly values: Uint8Array;
}
/** Milliseconds since the Unix epoch (UTC); NaN is missing. */
export interface DatetimeColumn {
  readonly kind: "datetime";
  readonly values: Float64Array;
}
/** Free text (or IDs); null is missing. */
export interface TextColumn {
  readonly kind: "text";
  readonly values: readonly (string | null)[];
}
/** One column of a `Frame`, tagged by its kind. */
export type Column = NumericColumn | CategoricalColumn | BooleanColumn | DatetimeColumn | TextColumn;

/** A cell value as user code sees it: number, string, boolean, Date (datetime) or null. */
export type CellValue = number | string | boolean | Date | null;

/**
 * A numeric column; null and undefined become NaN (missing).
 * @example
 * ```ts
 * const age = numeric([31, null, 45]); // values: Float64Array [31, NaN, 45]
 * ```
 */
export function numeric(values: Float64Array | ArrayLike<number | null | undefined>): NumericColumn {
  if (values instanceof Float64Array) return { kind: "numeric", values };
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v == null ? NaN : v;
  }
  return { kind: "numeric", values: out };
}

/**
 * A categorical column from codes (−1 missing) and their categories.
 * @example
 * ```ts
 * const color = categorical(Int32Array.of(0, 1, -1), ["red", "blue"]);
 * ```
 */
export function categorical(codes: Int32Array, categories: readonly string[]): CategoricalColumn {
  return { kind: "categorical", codes, categories };
}

/**
 * A categorical column from string values; categories in order of first appearance unless given.
 * @example
 * ```ts
 * const color = categoricalFromValues(["red", "blue", null, "red"]); // categories ["red", "blue"]
 * ```
 */
export function categoricalFromValues(values: ArrayLike<string | null | undefined>, categories?: readonly string[]): CategoricalColumn {
  const index = new Map<string, number>();
  const cats: string[] = [];
  if (categories) {
    for (const c of categories) {
      index.set(c, cats.length);
      cats.push(c);
    }
  }
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      if (categories) throw new InvalidInputError(`value ${show(v)} at row ${i} is not one of the allowed categories`, { received: v, expected: `one of ${show(categories)}` });
      c = cats.length;
      index.set(v, c);
      cats.push(v);
    }
    codes[i] = c;
  }
  return { kind: "categorical", codes, categories: cats };
}

/**
 * A boolean column; null and undefined become missing.
 * @example
 * ```ts
 * const paid = boolean([true, false, null]);
 * ```
 */
export function boolean(values: Uint8Array | ArrayLike<boolean | null | undefined>): BooleanColumn {
  if (values instanceof Uint8Array) return { kind: "boolean", values };
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v == null ? MISSING_BOOL : v ? 1 : 0;
  }
  return { kind: "boolean", values: out };
}

/**
 * A datetime column of epoch milliseconds (UTC) from numbers or Dates; null, undefined and NaN are missing.
 * @example
 * ```ts
 * const sold = datetime([new Date("2024-01-31"), Date.UTC(2024, 1, 1), null]);
 * ```
 */
export function datetime(values: Float64Array | ArrayLike<number | Date | null | undefined>): DatetimeColumn {
  if (values instanceof Float64Array) return { kind: "datetime", values };
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v == null ? NaN : v instanceof Date ? v.getTime() : v;
  }
  return { kind: "datetime", values: out };
}

/**
 * A text column; undefined becomes null (missing).
 * @example
 * ```ts
 * const notes = text(["late delivery", null]);
 * ```
 */
export function text(values: readonly (string | null | undefined)[]): TextColumn {
  return { kind: "text", values: values.map((v) => (v == null ? null : v)) };
}

/**
 * The number of rows of a column.
 * @example
 * ```ts
 * columnLength(numeric([1, 2, 3])); // 3
 * ```
 */
export function columnLength(c: Column): number {
  return c.kind === "categorical" ? c.codes.length : c.values.length;
}

/**
 * Is row `i` missing in this column?
 * @example
 * ```ts
 * isMissing(numeric([1, NaN]), 1); // true
 * ```
 */
export function isMissing(c: Column, i: number): boolean {
  switch (c.kind) {
    case "numeric":
    case "datetime":
      return Number.isNaN(c.values[i]);
    case "categorical":
      return c.codes[i] < 0;
    case "boolean":
      return c.values[i] === MISSING_BOOL;
    case "text":
      return c.values[i] === null;
  }
}

/**
 * Count of missing cells.
 * @example
 * ```ts
 * missingCount(text(["a", null, null])); // 2
 * ```
 */
export function missingCount(c: Column): number {
  let n = 0;
  switch (c.kind) {
    case "numeric":
    case "datetime":
      for (let i = 0; i < c.values.length; i++) if (c.values[i] !== c.values[i]) n++;
      return n;
    case "categorical":
      for (let i = 0; i < c.codes.length; i++) if (c.codes[i] < 0) n++;
      return n;
    case "boolean":
      for (let i = 0; i < c.values.length; i++) if (c.values[i] === MISSING_BOOL) n++;
      return n;
    case "text":
      for (let i = 0; i < c.values.length; i++) if (c.values[i] === null) n++;
      return n;
  }
}

/**
 * The value at row `i` as user code sees it.
 * @example
 * ```ts
 * cellValue(categoricalFromValues(["a", "b"]), 1); // "b"
 * ```
 */
export function cellValue(c: Column, i: number): CellValue {
  switch (c.kind) {
    case "numeric": {
      const v = c.values[i];
      return v !== v ? null : v;
    }
    case "datetime": {
      const v = c.values[i];
      return v !== v ? null : new Date(v);
    }
    case "categorical": {
      const k = c.codes[i];
      return k < 0 ? null : c.categories[k];
    }
    case "boolean": {
      const v = c.values[i];
      return v === MISSING_BOOL ? null : v === 1;
    }
    case "text":
      return c.values[i];
  }
}

/**
 * Rows `indices` of a column, as a new column.
 * @example
 * ```ts
 * const firstAndLast = takeColumn(numeric([1, 2, 3]), [0, 2]);
 * ```
 */
export function takeColumn(c: Column, indices: ArrayLike<number>): Column {
  const n = indices.length;
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      const out = new Float64Array(n);
      const src = c.values;
      for (let i = 0; i < n; i++) out[i] = src[indices[i]];
      return { kind: c.kind, values: out };
    }
    case "categorical": {
      const out = new Int32Array(n);
      const src = c.codes;
      for (let i = 0; i < n; i++) out[i] = src[indices[i]];
      return { kind: "categorical", codes: out, categories: c.categories };
    }
    case "boolean": {
      const out = new Uint8Array(n);
      const src = c.values;
      for (let i = 0; i < n; i++) out[i] = src[indices[i]];
      return { kind: "boolean", values: out };
    }
    case "text": {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) out[i] = c.values[indices[i]];
      return { kind: "text", values: out };
    }
  }
}

/**
 * Rows [start, end) of a column; typed arrays are views, not copies.
 * @example
 * ```ts
 * const middle = sliceColumn(numeric([1, 2, 3, 4]), 1, 3); // values [2, 3]
 * ```
 */
export function sliceColumn(c: Column, start: number, end: number): Column {
  switch (c.kind) {
    case "numeric":
    case "datetime":
      return { kind: c.kind, values: c.values.subarray(start, end) };
    case "categorical":
      return { kind: "categorical", codes: c.codes.subarray(start, end), categories: c.categories };
    case "boolean":
      return { kind: "boolean", values: c.values.subarray(start, end) };
    case "text":
      return { kind: "text", values: c.values.slice(start, end) };
  }
}

/**
 * Concatenate columns of one kind end to end. Categorical dictionaries are merged: the first
 * column's categories keep their codes, new ones are appended in order of appearance.
 * @example
 * ```ts
 * const all = concatColumns([categoricalFromValues(["a"]), categoricalFromValues(["b", "a"])]); // categories ["a", "b"]
 * ```
 */
export function concatColumns(parts: readonly Column[], name = "column"): Column {
  if (parts.length === 0) throw new InvalidInputError("nothing to concatenate", { path: name });
  const kind = parts[0].kind;
  for (const p of parts) {
    if (p.kind !== kind) {
      throw new InvalidInputError(`column ${show(name)} is ${kind} in one frame and ${p.kind} in another`, {
        path: name,
        expected: kind,
        received: p.kind,
      });
    }
  }
  const total = parts.reduce((s, p) => s + columnLength(p), 0);
  switch (kind) {
    case "numeric":
    case "datetime": {
      const out = new Float64Array(total);
      let o = 0;
      for (const p of parts as (NumericColumn | DatetimeColumn)[]) {
        out.set(p.values, o);
        o += p.values.length;
      }
      return { kind, values: out };
    }
    case "boolean": {
      const out = new Uint8Array(total);
      let o = 0;
      for (const p of parts as BooleanColumn[]) {
        out.set(p.values, o);
        o += p.values.length;
      }
      return { kind, values: out };
    }
    case "text": {
      const out: (string | null)[] = [];
      for (const p of parts as TextColumn[]) for (const v of p.values) out.push(v);
      return { kind, values: out };
    }
    case "categorical": {
      const cats = [...(parts[0] as CategoricalColumn).categories];
      const index = new Map(cats.map((c, i) => [c, i]));
      const out = new Int32Array(total);
      let o = 0;
      for (const p of parts as CategoricalColumn[]) {
        const remap = new Int32Array(p.categories.length);
        p.categories.forEach((c, i) => {
          let k = index.get(c);
          if (k === undefined) {
            k = cats.length;
            index.set(c, k);
            cats.push(c);
          }
          remap[i] = k;
        });
        for (let i = 0; i < p.codes.length; i++) {
          const k = p.codes[i];
          out[o + i] = k < 0 ? -1 : remap[k];
        }
        o += p.codes.length;
      }
      return { kind, codes: out, categories: cats };
    }
  }
}

/**
 * A column's values as doubles, for models: numeric and datetime as they are, boolean 0/1,
 * categorical codes (missing → NaN). Text cannot be converted.
 * @example
 * ```ts
 * toFloat64(boolean([true, false])); // Float64Array [1, 0]
 * ```
 */
export function toFloat64(c: Column, name = "column"): Float64Array {
  switch (c.kind) {
    case "numeric":
    case "datetime":
      return c.values;
    case "boolean": {
      const out = new Float64Array(c.values.length);
      for (let i = 0; i < out.length; i++) out[i] = c.values[i] === MISSING_BOOL ? NaN : c.values[i];
      return out;
    }
    case "categorical": {
      const out = new Float64Array(c.codes.length);
      for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? NaN : c.codes[i];
      return out;
    }
    case "text":
      throw new InvalidInputError(`column ${show(name)} is text and cannot be used as numbers; encode it first (e.g. a hashing encoder) or drop it`, {
        path: name,
        expected: "numeric, boolean, datetime or categorical",
        received: "text",
      });
  }
}

/**
 * Check a value is a column of a known kind with consistent arrays.
 * @example
 * ```ts
 * const c: unknown = numeric([1, 2]);
 * assertColumn(c, "age"); // c is now a Column
 * ```
 */
export function assertColumn(c: unknown, name: string): asserts c is Column {
  const k = (c as Column | null)?.kind;
  const ok =
    (k === "numeric" || k === "datetime") ? (c as NumericColumn).values instanceof Float64Array
    : k === "categorical" ? (c as CategoricalColumn).codes instanceof Int32Array && Array.isArray((c as CategoricalColumn).categories)
    : k === "boolean" ? (c as BooleanColumn).values instanceof Uint8Array
    : k === "text" ? Array.isArray((c as TextColumn).values)
    : false;
  if (!ok) {
    throw new InvalidInputError(`column ${show(name)} is not a valid column`, { path: name, expected: `a column of kind ${COLUMN_KINDS.join(" | ")}`, received: k ?? typeof c });
  }
}
