/**
 * `Frame`: an immutable, columnar table. Every operation returns a new frame that shares
 * untouched columns with the old one; row selection copies by index array. No per-row objects
 * exist in hot paths: models read the typed arrays directly or through `toMatrix`.
 */
import { InvalidInputError, NotFoundError, show } from "../core/index.js";
import {
  type CellValue,
  type Column,
  type ColumnKind,
  assertColumn,
  boolean,
  categoricalFromValues,
  cellValue,
  columnLength,
  concatColumns,
  datetime,
  missingCount,
  numeric,
  sliceColumn,
  takeColumn,
  text,
  toFloat64,
} from "./column.js";

/** What a user may pass for a column: a built column or a plain array to be typed. */
export type ColumnInput = Column | Float64Array | ArrayLike<number | null | undefined> | readonly (string | null | undefined)[] | readonly (boolean | null | undefined)[] | readonly (Date | null | undefined)[];

/** A column's name, kind and missing count, as `Frame.describe()` lists them. */
export interface ColumnInfo {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly missing: number;
  /** Categories, for categorical columns. */
  readonly categories?: readonly string[];
}

/**
 * An immutable table of typed columns, each of `nRows` rows; every operation returns a new frame (typed arrays are shared where possible).
 * @example
 * ```ts
 * const frame = Frame.fromColumns({ age: [31, 45, 27], city: ["Oslo", "Rome", "Oslo"] });
 * const adults = frame.take([0, 1]).select(["age"]);
 * console.log(frame.nRows, frame.names); // 3 ["age", "city"]
 * ```
 */
export class Frame {
  readonly nRows: number;
  private readonly cols: ReadonlyMap<string, Column>;

  private constructor(cols: Map<string, Column>, nRows: number) {
    this.cols = cols;
    this.nRows = nRows;
  }

  /**
   * A frame from named columns. Plain arrays are typed: numbers → numeric, strings →
   * categorical, booleans → boolean, Dates → datetime (null / undefined are missing).
   */
  static fromColumns(columns: Record<string, ColumnInput> | ReadonlyMap<string, ColumnInput>, nRows?: number): Frame {
    const entries = columns instanceof Map ? [...columns.entries()] : Object.entries(columns as Record<string, ColumnInput>);
    const map = new Map<string, Column>();
    let n = nRows;
    for (const [name, input] of entries) {
      const col = toColumn(input, name);
      const len = columnLength(col);
      if (n === undefined) n = len;
      else if (len !== n) {
        throw new InvalidInputError(`column ${show(name)} has ${len} rows, expected ${n} like the others`, { path: name, expected: `${n} rows`, received: len });
      }
      map.set(name, col);
    }
    return new Frame(map, n ?? 0);
  }

  /**
   * A frame from row objects. Column kinds come from the first non-missing value of each key
   * unless `kinds` fixes them; keys missing from a row are missing values.
   */
  static fromRows(rows: readonly Record<string, unknown>[], options: { kinds?: Record<string, ColumnKind>; columns?: readonly string[] } = {}): Frame {
    const names = options.columns ? [...options.columns] : [];
    if (!options.columns) {
      const seen = new Set<string>();
      for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
    }
    const map = new Map<string, Column>();
    for (const name of names) {
      const raw = rows.map((r) => r[name]);
      const kind = options.kinds?.[name] ?? guessKind(raw);
      map.set(name, columnOfKind(raw, kind, name));
    }
    return new Frame(map, rows.length);
  }

  /** An empty frame with no columns and `nRows` rows (0 by default). */
  static empty(nRows = 0): Frame {
    return new Frame(new Map(), nRows);
  }

  get nCols(): number {
    return this.cols.size;
  }

  /** Column names in order. */
  get names(): string[] {
    return [...this.cols.keys()];
  }

  has(name: string): boolean {
    return this.cols.has(name);
  }

  /** The column `name`; throws NOT_FOUND naming the column and the ones that exist. */
  column(name: string): Column {
    const c = this.cols.get(name);
    if (!c) {
      throw new NotFoundError(`column ${show(name)} not found; the columns are ${show(this.names, 200)}`, { path: name, expected: `one of ${this.names.join(", ")}`, received: name });
    }
    return c;
  }

  kind(name: string): ColumnKind {
    return this.column(name).kind;
  }

  /** Names of the columns of the given kinds, in order. */
  namesOfKind(...kinds: ColumnKind[]): string[] {
    return this.names.filter((n) => kinds.includes(this.cols.get(n)!.kind));
  }

  /** Name, kind, missing count (and categories) of each column. */
  describe(): ColumnInfo[] {
    return this.names.map((name) => {
      const c = this.cols.get(name)!;
      return { name, kind: c.kind, missing: missingCount(c), ...(c.kind === "categorical" ? { categories: c.categories } : {}) };
    });
  }

  /** Iterate `[name, column]` pairs in order. */
  entries(): IterableIterator<[string, Column]> {
    return this.cols.entries();
  }

  /** A frame with only these columns, in this order. */
  select(names: readonly string[]): Frame {
    const map = new Map<string, Column>();
    for (const n of names) map.set(n, this.column(n));
    return new Frame(map, this.nRows);
  }

  /** A frame without these columns (unknown names are an error). */
  drop(names: readonly string[]): Frame {
    for (const n of names) this.column(n);
    const dropped = new Set(names);
    return this.select(this.names.filter((n) => !dropped.has(n)));
  }

  /** A frame with `name` added, or replaced in place if it exists. */
  withColumn(name: string, input: ColumnInput): Frame {
    const col = toColumn(input, name);
    const len = columnLength(col);
    if (this.cols.size > 0 && len !== this.nRows) {
      throw new InvalidInputError(`column ${show(name)} has ${len} rows, the frame has ${this.nRows}`, { path: name, expected: `${this.nRows} rows`, received: len });
    }
    const map = new Map(this.cols);
    map.set(name, col);
    return new Frame(map, this.cols.size === 0 ? len : this.nRows);
  }

  /** A frame with columns renamed by `mapping` (old → new). */
  rename(mapping: Record<string, string>): Frame {
    for (const old of Object.keys(mapping)) this.column(old);
    const map = new Map<string, Column>();
    for (const [n, c] of this.cols) {
      const to = mapping[n] ?? n;
      if (map.has(to)) throw new InvalidInputError(`renaming gives two columns named ${show(to)}`, { path: to });
      map.set(to, c);
    }
    return new Frame(map, this.nRows);
  }

  /** Rows at `indices`, in that order (indices may repeat, e.g. for a bootstrap). */
  take(indices: ArrayLike<number>): Frame {
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      if (!(r >= 0 && r < this.nRows) || !Number.isInteger(r)) {
        throw new InvalidInputError(`row index ${show(r)} at position ${i} is out of range`, { path: `indices[${i}]`, expected: `an integer in [0, ${this.nRows})`, received: r });
      }
    }
    const map = new Map<string, Column>();
    for (const [n, c] of this.cols) map.set(n, takeColumn(c, indices));
    return new Frame(map, indices.length);
  }

  /** Rows [start, end); numeric columns are views of this frame's arrays. */
  slice(start: number, end = this.nRows): Frame {
    const s = Math.max(0, Math.min(this.nRows, start));
    const e = Math.max(s, Math.min(this.nRows, end));
    const map = new Map<string, Column>();
    for (const [n, c] of this.cols) map.set(n, sliceColumn(c, s, e));
    return new Frame(map, e - s);
  }

  head(n = 5): Frame {
    return this.slice(0, n);
  }

  /** Frames stacked end to end. Column names and kinds must match (order may differ). */
  static concat(frames: readonly Frame[]): Frame {
    if (frames.length === 0) return Frame.empty();
    const names = frames[0].names;
    for (const [i, f] of frames.entries()) {
      const fn = new Set(f.names);
      if (fn.size !== names.length || !names.every((n) => fn.has(n))) {
        throw new InvalidInputError(`frame ${i} has columns ${show(f.names, 200)}, expected ${show(names, 200)}`, { path: `frames[${i}]`, expected: names.join(", "), received: f.names.join(", ") });
      }
    }
    const map = new Map<string, Column>();
    for (const n of names) map.set(n, concatColumns(frames.map((f) => f.column(n)), n));
    return new Frame(map, frames.reduce((s, f) => s + f.nRows, 0));
  }

  /** The value at (row, column) as user code sees it. */
  get(row: number, name: string): CellValue {
    return cellValue(this.column(name), row);
  }

  /** Row `i` as an object (for display and tests; not for hot paths). */
  row(i: number): Record<string, CellValue> {
    const out: Record<string, CellValue> = {};
    for (const [n, c] of this.cols) out[n] = cellValue(c, i);
    return out;
  }

  /** Rows as objects, at most `limit` of them. */
  toRows(limit = this.nRows): Record<string, CellValue>[] {
    const n = Math.min(limit, this.nRows);
    const out: Record<string, CellValue>[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.row(i);
    return out;
  }

  /**
   * A dense matrix of the given columns (all by default) for models: numeric and datetime as
   * they are, boolean 0/1, categorical codes, missing → NaN. `layout: "row"` (default) puts row i
   * at [i*p, (i+1)*p); `"column"` puts column j at [j*n, (j+1)*n).
   */
  toMatrix(options: { columns?: readonly string[]; layout?: "row" | "column" } = {}): { data: Float64Array; rows: number; cols: number; columns: string[] } {
    const names = options.columns ? [...options.columns] : this.names;
    const n = this.nRows;
    const p = names.length;
    const data = new Float64Array(n * p);
    const layout = options.layout ?? "row";
    for (let j = 0; j < p; j++) {
      const v = toFloat64(this.column(names[j]), names[j]);
      if (layout === "column") data.set(v, j * n);
      else for (let i = 0; i < n; i++) data[i * p + j] = v[i];
    }
    return { data, rows: n, cols: p, columns: names };
  }

  toString(limit = 10): string {
    const rows = this.toRows(limit);
    const fmt = (v: CellValue) => (v === null ? "NA" : v instanceof Date ? v.toISOString() : String(v));
    const widths = this.names.map((n) => Math.min(24, Math.max(n.length, ...rows.map((r) => fmt(r[n]).length))));
    const line = (cells: string[]) => cells.map((c, j) => c.slice(0, widths[j]).padEnd(widths[j])).join("  ");
    const out = [line(this.names), ...rows.map((r) => line(this.names.map((n) => fmt(r[n]))))];
    if (this.nRows > limit) out.push(`… ${this.nRows - limit} more rows`);
    return out.join("\n");
  }
}

function toColumn(input: ColumnInput, name: string): Column {
  if (input && typeof input === "object" && "kind" in input && typeof (input as Column).kind === "string") {
    assertColumn(input, name);
    return input as Column;
  }
  if (input instanceof Float64Array) return numeric(input);
  if (ArrayBuffer.isView(input)) return numeric(Float64Array.from(input as unknown as ArrayLike<number>));
  const arr = Array.from(input as ArrayLike<unknown>);
  return columnOfKind(arr, guessKind(arr), name);
}

function guessKind(values: readonly unknown[]): ColumnKind {
  for (const v of values) {
    if (v == null) continue;
    if (typeof v === "number") return "numeric";
    if (typeof v === "boolean") return "boolean";
    if (v instanceof Date) return "datetime";
    if (typeof v === "string") return "categorical";
    return "text";
  }
  return "numeric";
}

function columnOfKind(values: readonly unknown[], kind: ColumnKind, name: string): Column {
  const bad = (i: number, expected: string): never => {
    throw new InvalidInputError(`column ${show(name)} row ${i}: ${show(values[i])} is not ${expected}`, { path: `${name}[${i}]`, expected, received: values[i] });
  };
  switch (kind) {
    case "numeric":
      values.forEach((v, i) => { if (v != null && typeof v !== "number") bad(i, "a number"); });
      return numeric(values as (number | null)[]);
    case "boolean":
      values.forEach((v, i) => { if (v != null && typeof v !== "boolean") bad(i, "a boolean"); });
      return boolean(values as (boolean | null)[]);
    case "datetime":
      values.forEach((v, i) => { if (v != null && !(v instanceof Date) && typeof v !== "number") bad(i, "a Date or epoch milliseconds"); });
      return datetime(values as (Date | number | null)[]);
    case "categorical":
      return categoricalFromValues(values.map((v) => (v == null ? null : String(v))));
    case "text":
      return text(values.map((v) => (v == null ? null : String(v))));
  }
}
