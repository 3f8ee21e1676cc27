/**
 * A model's input signature compiled for serving: one slot per input column with its wire datatype
 * (Open Inference Protocol names), the training categories as a lookup table, and whether the model
 * takes missing values there. Decoders write request values straight into the typed arrays of a
 * `RowWriter` — no row objects, no intermediate arrays. A one-row request that is answered before
 * the next one is read (no micro-batching, no shadow) reuses the schema's one-row writer and its
 * frame, so it allocates nothing here at all.
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Column, type ColumnKind, MISSING_BOOL, Frame } from "../data/index.js";
import type { SignatureColumn } from "../estimator/index.js";

/** The Open Inference Protocol tensor datatypes Keel's inputs and outputs use. */
export type Datatype = "FP64" | "INT64" | "BOOL" | "BYTES";

/** Signature kind → wire datatype: numbers FP64, datetimes INT64 (epoch ms), booleans BOOL, categories and text BYTES. */
export const DATATYPE: Readonly<Record<ColumnKind, Datatype>> = { numeric: "FP64", datetime: "INT64", boolean: "BOOL", categorical: "BYTES", text: "BYTES" };

/** One input column as served. */
export interface InputSlot {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly datatype: Datatype;
  /** Training categories (categorical inputs), shared with the frames built from them. */
  readonly categories: readonly string[];
  readonly index: ReadonlyMap<string, number> | null;
  /** Whether the model predicts with this column missing (found by probing it at load). */
  missingOk: boolean;
}

/**
 * Bad request data: 400, naming the column and the row.
 * @example
 * ```ts
 * throw new InputError("column 'age': expected a number, got \"abc\" (row 0)", "age");
 * ```
 */
export class InputError extends InvalidInputError {
  constructor(
    message: string,
    /** The column at fault (for the rejected-request log), when one is. */
    readonly column: string | null,
    fields: { path?: string; expected?: string; received?: unknown } = {},
  ) {
    super(message, fields);
  }
}

/**
 * The columns a model takes, compiled from its signature.
 * @example
 * ```ts
 * const schema = new InputSchema(model.signature.inputs);
 * const w = schema.writer(1);
 * w.set(schema.slotOf("age"), 0, 42);
 * const frame = w.frame();
 * ```
 */
export class InputSchema {
  readonly slots: InputSlot[];
  /** The column names, in slot order. */
  readonly names: readonly string[];
  private readonly byName: Map<string, number>;
  /** The slots of the last column list `slotsOf` was asked for (clients send the same list every time). */
  private lastColumns: readonly string[] = [];
  private lastSlots = new Int32Array(0);
  private one: RowWriter | null = null;

  constructor(inputs: readonly SignatureColumn[]) {
    this.slots = inputs.map((c) => {
      const categories = c.kind === "categorical" ? (c.categories ?? []) : [];
      return {
        name: c.name,
        kind: c.kind,
        datatype: DATATYPE[c.kind],
        categories,
        index: c.kind === "categorical" ? new Map(categories.map((v, i) => [v, i])) : null,
        missingOk: true,
      };
    });
    this.byName = new Map(this.slots.map((s, i) => [s.name, i]));
    this.names = this.slots.map((s) => s.name);
  }

  /** The slot index of a column, or -1 (an extra column: ignored). */
  slotOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** `slotOf` of each name (a shared array: read it before the next call). */
  slotsOf(columns: readonly string[]): Int32Array {
    const last = this.lastColumns;
    let same = last.length === columns.length;
    for (let c = 0; same && c < columns.length; c++) same = last[c] === columns[c];
    if (same) return this.lastSlots;
    const slots = Int32Array.from(columns, (c) => this.slotOf(c));
    this.lastColumns = columns.slice();
    this.lastSlots = slots;
    return slots;
  }

  /**
   * A writer for `nRows` rows. With `reuse`, a one-row request gets the schema's own one-row writer,
   * cleared, whose arrays and frame are shared by every such request: its frame must be done with
   * (predicted, answered, logged) before the next request is decoded.
   */
  writer(nRows: number, reuse = false): RowWriter {
    if (reuse && nRows === 1) return (this.one ??= new RowWriter(this, 1)).clear();
    return new RowWriter(this, nRows);
  }
}

type Buffer = Float64Array | Int32Array | Uint8Array | (string | null)[];

/**
 * Typed arrays for `nRows` rows of every input column; `set` converts and checks one value, `frame`
 * hands the arrays to a `Frame` (no copy). Unseen categories extend that request's dictionary (codes
 * ≥ the training count), as `alignInput` does, so models tell unseen from missing.
 * @example
 * ```ts
 * const w = new RowWriter(new InputSchema(model.signature.inputs), 2);
 * ```
 */
export class RowWriter {
  private readonly buffers: Buffer[];
  private readonly seen: Uint8Array;
  /** Per categorical slot: the dictionary extended by unseen values, when any came. */
  private readonly extended: (string[] | null)[];
  private anyExtended = false;
  /** The frame over the arrays with the training dictionaries, built once (a reused writer's). */
  private built: Frame | null = null;

  constructor(
    readonly schema: InputSchema,
    readonly nRows: number,
  ) {
    const slots = schema.slots;
    this.buffers = new Array(slots.length);
    this.extended = new Array(slots.length).fill(null);
    this.seen = new Uint8Array(slots.length);
    for (let j = 0; j < slots.length; j++) {
      const kind = slots[j].kind;
      this.buffers[j] = kind === "numeric" || kind === "datetime" ? new Float64Array(nRows) : kind === "categorical" ? new Int32Array(nRows) : kind === "boolean" ? new Uint8Array(nRows) : new Array<string | null>(nRows).fill(null);
    }
  }

  /** Forget which columns were present and the unseen categories (for reuse: the arrays are overwritten). */
  clear(): this {
    this.seen.fill(0);
    if (this.anyExtended) {
      this.extended.fill(null);
      this.anyExtended = false;
    }
    return this;
  }

  /** Mark column `slot` as present in the request (every row of it will be set). */
  present(slot: number): void {
    this.seen[slot] = 1;
  }

  /** Whether column `slot` was marked present. */
  has(slot: number): boolean {
    return this.seen[slot] === 1;
  }

  /** Write `value` (a JSON value, or a CSV cell with `fromText`) into row `row` of column `slot`. */
  set(slot: number, row: number, value: unknown, fromText = false): void {
    const s = this.schema.slots[slot];
    const buf = this.buffers[slot];
    if (value === null || value === undefined || (fromText && value === "")) return this.missing(s, slot, row);
    switch (s.kind) {
      case "numeric": {
        let x: number;
        if (typeof value === "number") x = value;
        else if (typeof value === "boolean") x = value ? 1 : 0;
        else if (fromText && typeof value === "string") {
          x = parseNumber(value);
          if (Number.isNaN(x) && !/^\s*nan\s*$/i.test(value)) throw this.wrong(s, row, value, "a number");
        } else throw this.wrong(s, row, value, "a number");
        if (!Number.isFinite(x)) {
          if (!s.missingOk) throw new InputError(`column ${show(s.name)} row ${row}: ${show(x)} is not a finite number, and the model takes no missing values in this column`, s.name, { path: `${s.name}[${row}]`, expected: "a finite number", received: String(x) });
        }
        (buf as Float64Array)[row] = x;
        return;
      }
      case "categorical": {
        let label: string;
        if (typeof value === "string") label = value;
        else if (typeof value === "number" || typeof value === "boolean") label = String(value);
        else throw this.wrong(s, row, value, "a category (string)");
        let code = s.index!.get(label);
        if (code === undefined) {
          let ext = this.extended[slot];
          if (ext === null) {
            ext = this.extended[slot] = [...s.categories];
            this.anyExtended = true;
          }
          code = ext.indexOf(label);
          if (code < 0) {
            code = ext.length;
            ext.push(label);
          }
        }
        (buf as Int32Array)[row] = code;
        return;
      }
      case "boolean": {
        let b: number;
        if (value === true || value === 1) b = 1;
        else if (value === false || value === 0) b = 0;
        else if (typeof value === "string" && /^(true|1)$/i.test(value.trim())) b = 1;
        else if (typeof value === "string" && /^(false|0)$/i.test(value.trim())) b = 0;
        else throw this.wrong(s, row, value, "true or false");
        (buf as Uint8Array)[row] = b;
        return;
      }
      case "datetime": {
        let t: number;
        if (typeof value === "number") t = value;
        else if (typeof value === "string") t = fromText && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Date.parse(value);
        else t = NaN;
        if (!Number.isFinite(t)) throw this.wrong(s, row, value, "a time (epoch milliseconds or an ISO 8601 string)");
        (buf as Float64Array)[row] = t;
        return;
      }
      case "text": {
        if (typeof value === "string") (buf as (string | null)[])[row] = value;
        else if (typeof value === "number" || typeof value === "boolean") (buf as (string | null)[])[row] = String(value);
        else throw this.wrong(s, row, value, "a string");
        return;
      }
    }
  }

  private missing(s: InputSlot, slot: number, row: number): void {
    if (!s.missingOk) throw new InputError(`column ${show(s.name)} row ${row}: the value is missing, and the model takes no missing values in this column`, s.name, { path: `${s.name}[${row}]`, expected: DATATYPE[s.kind] === "FP64" ? "a finite number" : "a value", received: null });
    const buf = this.buffers[slot];
    switch (s.kind) {
      case "numeric":
      case "datetime":
        (buf as Float64Array)[row] = NaN;
        return;
      case "categorical":
        (buf as Int32Array)[row] = -1;
        return;
      case "boolean":
        (buf as Uint8Array)[row] = MISSING_BOOL;
        return;
      case "text":
        (buf as (string | null)[])[row] = null;
    }
  }

  private wrong(s: InputSlot, row: number, value: unknown, expected: string): InputError {
    const got = Array.isArray(value) ? "an array" : value === null ? "null" : typeof value === "object" ? "an object" : typeof value;
    return new InputError(`column ${show(s.name)} row ${row}: ${show(value)} is ${got === "string" ? "a string" : got === "number" ? "a number" : got === "boolean" ? "a boolean" : got}; the model expects ${expected} (${s.datatype})`, s.name, {
      path: `${s.name}[${row}]`,
      expected,
      received: value,
    });
  }

  /** The frame, once every column was marked present; else 400 naming the missing columns. */
  frame(): Frame {
    const slots = this.schema.slots;
    let absent: string[] | null = null;
    for (let j = 0; j < slots.length; j++) if (this.seen[j] === 0) (absent ??= []).push(slots[j].name);
    if (absent) {
      throw new InputError(`missing column${absent.length > 1 ? "s" : ""} ${absent.map((a) => show(a)).join(", ")}: the model takes ${show(slots.map((s) => s.name), 300)}`, absent[0], {
        path: absent[0],
        expected: "every column the model was trained with",
        received: absent,
      });
    }
    if (!this.anyExtended && this.built !== null) return this.built;
    const cols = new Map<string, Column>();
    for (let j = 0; j < slots.length; j++) {
      const s = slots[j];
      const buf = this.buffers[j];
      switch (s.kind) {
        case "numeric":
          cols.set(s.name, { kind: "numeric", values: buf as Float64Array });
          break;
        case "datetime":
          cols.set(s.name, { kind: "datetime", values: buf as Float64Array });
          break;
        case "categorical":
          cols.set(s.name, { kind: "categorical", codes: buf as Int32Array, categories: this.extended[j] ?? s.categories });
          break;
        case "boolean":
          cols.set(s.name, { kind: "boolean", values: buf as Uint8Array });
          break;
        case "text":
          cols.set(s.name, { kind: "text", values: buf as (string | null)[] });
      }
    }
    const frame = Frame.fromColumns(cols, this.nRows);
    if (!this.anyExtended) this.built = frame;
    return frame;
  }
}

/** A CSV cell as a number: decimal forms, `inf` / `Infinity` (signed), `nan` → NaN. */
export function parseNumber(text: string): number {
  const t = text.trim();
  if (t === "") return NaN;
  const x = Number(t);
  if (!Number.isNaN(x)) return x;
  const m = /^([+-]?)(inf|infinity)$/i.exec(t);
  if (m) return m[1] === "-" ? -Infinity : Infinity;
  return NaN;
}
