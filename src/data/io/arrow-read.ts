/**
 * Read an Arrow IPC file (`.arrow`, `.feather` v2) into a `Frame` with `apache-arrow`. DuckDB's
 * arrow extension would need a download, so this path stays in JS: floating-point and integer
 * chunks are copied from their typed buffers; other types go through the vector's `get`.
 */
import { readFile } from "node:fs/promises";
import type { Data, Table, Vector } from "apache-arrow";
import { InvalidInputError, NotFoundError, show } from "../../core/index.js";
import { type Column, type ColumnKind, MISSING_BOOL } from "../column.js";
import { Frame } from "../frame.js";
import { stringKind } from "./string-kind.js";

export interface ArrowReadRequest {
  readonly file: string;
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
  readonly columns?: readonly string[];
  readonly limit?: number;
}

/** A column as Arrow gave it, before its Keel kind is chosen. */
type Raw =
  | { readonly type: "number"; readonly values: Float64Array }
  | { readonly type: "bool"; readonly values: Uint8Array }
  | { readonly type: "time"; readonly values: Float64Array }
  | { readonly type: "string"; readonly values: (string | null)[]; readonly dictionary: boolean };

/** apache-arrow, loaded on first use (only Arrow reads need it); its `Type` enum kept for the sync helpers. */
let Type: typeof import("apache-arrow").Type;
async function arrowModule(): Promise<typeof import("apache-arrow")> {
  const arrow = await import("apache-arrow");
  Type = arrow.Type;
  return arrow;
}

/** Read an Arrow IPC file; errors name the file. */
export async function readArrow(req: ArrowReadRequest): Promise<Frame> {
  const where = show(req.file, 200);
  const bytes = await readFile(req.file);
  let table: Table;
  try {
    table = (await arrowModule()).tableFromIPC(bytes);
  } catch (e) {
    throw new InvalidInputError(`${where}: not a readable Arrow IPC file (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`, {
      path: req.file,
      expected: "an Arrow IPC file or stream (Feather v2)",
      cause: e,
    });
  }
  if (table.schema.fields.length === 0 && bytes.length > 0 && table.numRows === 0) {
    throw new InvalidInputError(`${where}: not a readable Arrow IPC file (no schema found)`, { path: req.file, expected: "an Arrow IPC file or stream (Feather v2)" });
  }
  const names = table.schema.fields.map((f) => f.name);
  const check = (wanted: readonly string[], what: string) => {
    for (const n of wanted) {
      if (!names.includes(n)) {
        throw new NotFoundError(`${where}: ${what} names column ${show(n)}, which is not there; the columns are ${show(names, 300)}`, {
          path: n,
          expected: `one of ${names.join(", ")}`,
          received: n,
        });
      }
    }
  };
  check(Object.keys(req.kinds ?? {}), "options.kinds");
  if (req.columns) check(req.columns, "options.columns");
  const nRows = req.limit === undefined ? table.numRows : Math.min(req.limit, table.numRows);
  const out = new Map<string, Column>();
  for (const name of req.columns ?? names) {
    const vector = table.getChild(name)!;
    const raw = rawColumn(vector, nRows);
    out.set(name, toKind(raw, req.kinds?.[name], name, where));
  }
  return Frame.fromColumns(out, nRows);
}

function rawColumn(vector: Vector, n: number): Raw {
  const typeId = vector.type.typeId as import("apache-arrow").Type;
  switch (typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Decimal: {
      const values = new Float64Array(n);
      forEachChunk(vector, n, (data, at, m) => {
        const src = data.values as unknown;
        const fast = typeId !== Type.Decimal && !(typeId === Type.Float && src instanceof Uint16Array); // Float16 is stored as bits
        if (fast && src instanceof Float64Array) values.set(src.subarray(0, m), at);
        else if (fast && (src instanceof BigInt64Array || src instanceof BigUint64Array)) for (let i = 0; i < m; i++) values[at + i] = Number(src[i]);
        else if (fast && ArrayBuffer.isView(src)) {
          const a = src as unknown as ArrayLike<number>;
          for (let i = 0; i < m; i++) values[at + i] = a[i];
        } else for (let i = 0; i < m; i++) values[at + i] = Number(vector.get(at + i) ?? NaN);
        markNulls(data, at, m, values, NaN);
      });
      return { type: "number", values };
    }
    case Type.Bool: {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = vector.get(i) as boolean | null;
        values[i] = v === null ? MISSING_BOOL : v ? 1 : 0;
      }
      return { type: "bool", values };
    }
    case Type.Date:
    case Type.Timestamp: {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = vector.get(i) as number | bigint | Date | null;
        values[i] = v === null ? NaN : v instanceof Date ? v.getTime() : Number(v);
      }
      return { type: "time", values };
    }
    default: {
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const v = vector.get(i) as unknown;
        values[i] = v === null || v === undefined ? null : typeof v === "string" ? v : stringify(v);
      }
      return { type: "string", values, dictionary: typeId === Type.Dictionary };
    }
  }
}

function stringify(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(v);
  return String(v);
}

/** Visit the first `n` rows chunk by chunk: `at` is the chunk's first row, `m` its row count. */
function forEachChunk(vector: Vector, n: number, fn: (data: Data, at: number, m: number) => void): void {
  let at = 0;
  for (const data of vector.data) {
    if (at >= n) break;
    const m = Math.min(data.length, n - at);
    fn(data, at, m);
    at += m;
  }
}

function markNulls(data: Data, at: number, m: number, dst: Float64Array, missing: number): void {
  if (data.nullCount === 0) return;
  for (let i = 0; i < m; i++) if (!data.getValid(i)) dst[at + i] = missing;
}

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "0"]);

function toKind(raw: Raw, forced: ColumnKind | undefined, name: string, where: string): Column {
  const n = raw.values.length;
  const bad = (value: unknown, kind: ColumnKind, expected: string): never => {
    throw new InvalidInputError(`${where}: column ${show(name)} was asked to be ${kind} but holds ${show(value)}, which is not ${expected}`, {
      path: name,
      expected,
      received: value,
    });
  };
  const cannot = (kind: ColumnKind): never => {
    throw new InvalidInputError(`${where}: column ${show(name)} holds ${raw.type === "time" ? "dates" : "booleans"} and cannot be read as ${kind}`, {
      path: name,
      expected: kind,
      received: raw.type,
    });
  };
  const kind: ColumnKind =
    forced ??
    (raw.type === "number" ? "numeric" : raw.type === "bool" ? "boolean" : raw.type === "time" ? "datetime" : raw.dictionary ? "categorical" : stringKindOf(raw.values));
  switch (raw.type) {
    case "number":
      if (kind === "numeric" || kind === "datetime") return { kind, values: raw.values };
      if (kind === "boolean") {
        const v = new Uint8Array(n);
        for (let i = 0; i < n; i++) v[i] = raw.values[i] !== raw.values[i] ? MISSING_BOOL : raw.values[i] !== 0 ? 1 : 0;
        return { kind, values: v };
      }
      return fromStrings(Array.from(raw.values, (x) => (x !== x ? null : String(x))), kind);
    case "bool":
      if (kind === "boolean") return { kind, values: raw.values };
      if (kind === "numeric") return { kind, values: Float64Array.from(raw.values, (x) => (x === MISSING_BOOL ? NaN : x)) };
      if (kind === "datetime") return cannot(kind);
      return fromStrings(Array.from(raw.values, (x) => (x === MISSING_BOOL ? null : x === 1 ? "true" : "false")), kind);
    case "time":
      if (kind === "datetime" || kind === "numeric") return { kind, values: raw.values };
      if (kind === "boolean") return cannot(kind);
      return fromStrings(Array.from(raw.values, (x) => (x !== x ? null : new Date(x).toISOString())), kind);
    case "string": {
      if (kind === "categorical" || kind === "text") return fromStrings(raw.values, kind);
      if (kind === "numeric" || kind === "datetime") {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const s = raw.values[i];
          if (s === null) v[i] = NaN;
          else {
            const x = kind === "numeric" ? (s.trim() === "" ? NaN : Number(s)) : Date.parse(s);
            if (x !== x && !(kind === "numeric" && s.trim() === "NaN")) bad(s, kind, kind === "numeric" ? "a number" : "a date or timestamp");
            v[i] = x;
          }
        }
        return { kind, values: v };
      }
      const v = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const s = raw.values[i];
        if (s === null) v[i] = MISSING_BOOL;
        else {
          const w = s.trim().toLowerCase();
          if (TRUE_WORDS.has(w)) v[i] = 1;
          else if (FALSE_WORDS.has(w)) v[i] = 0;
          else bad(s, kind, "a boolean (true/false)");
        }
      }
      return { kind, values: v };
    }
  }
}

function stringKindOf(values: readonly (string | null)[]): "categorical" | "text" {
  const seen = new Set<string>();
  let nonMissing = 0;
  for (const v of values) {
    if (v === null) continue;
    nonMissing++;
    seen.add(v);
  }
  return stringKind(seen.size, nonMissing);
}

/** A categorical (sorted dictionary, like the DuckDB path) or text column from strings. */
function fromStrings(values: (string | null)[], kind: ColumnKind): Column {
  if (kind === "text") return { kind, values };
  const cats = [...new Set(values.filter((v): v is string => v !== null))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(cats.map((c, i) => [c, i]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = v === null ? -1 : index.get(v)!;
  }
  return { kind: "categorical", codes, categories: cats };
}
