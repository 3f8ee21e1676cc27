/**
 * `readTable`: any supported file, or an SQL query over files, into a `Frame`.
 */
import { open, stat } from "node:fs/promises";
import { InvalidInputError, NotFoundError, show } from "../../core/index.js";
import { COLUMN_KINDS, type ColumnKind } from "../column.js";
import type { Frame } from "../frame.js";
import { readArrow } from "./arrow-read.js";
import { readWithDuckDb } from "./duckdb-read.js";
import { type TableFormat, detectFormat } from "./format.js";

/** Cells read as missing in CSV / TSV unless `options.na` says otherwise. */
export const DEFAULT_NA: readonly string[] = ["", "NA", "N/A", "NaN", "null"];

/** Options of `readTable`. */
export interface ReadOptions {
  /** The file format; by default from the extension. */
  readonly format?: TableFormat;
  /**
   * A DuckDB SQL query. With a file `source`, the file is the view `data` in it
   * (`SELECT origin, avg(delay) FROM data GROUP BY 1`); with `source` "" (or a source
   * `sql:SELECT ...`) the query runs as is and reads files by path (`FROM 'flights.parquet'`).
   */
  readonly sql?: string;
  /** Force column kinds, e.g. `{ zip: "categorical", comment: "text" }`. */
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
  /**
   * Datetime columns written in a given strptime format, e.g. `{ sold: "%d/%m/%Y" }` (DuckDB's
   * `strptime` codes); each is read as a datetime, and a value that does not parse is an error
   * naming it. Other string columns have their format inferred (`DATE_FORMATS`).
   */
  readonly dateFormats?: Readonly<Record<string, string>>;
  /** Read only these columns, in this order. */
  readonly columns?: readonly string[];
  /** Read at most this many rows (the first ones). */
  readonly limit?: number;
  /** CSV / TSV cells that mean "missing"; default `DEFAULT_NA` ("", NA, N/A, NaN, null). */
  readonly na?: readonly string[];
  /** CSV field delimiter; default "," (".tsv": tab). */
  readonly delimiter?: string;
}

const SQL_PREFIX = "sql:";

/**
 * Read a table into a `Frame`.
 *
 * `source` is a file path (CSV, TSV, Parquet, JSON array of records, NDJSON, Arrow IPC /
 * Feather v2; format from the extension or `options.format`) or `sql:` followed by a DuckDB query.
 * Kinds: numbers → numeric (Float64, NaN missing); booleans → boolean; DATE / TIMESTAMP (and
 * ISO-8601 strings DuckDB recognises in CSV / JSON) → datetime (epoch ms, UTC); strings →
 * categorical (codes into a sorted dictionary), or text when nearly every value is distinct
 * (`stringKind`). `options.kinds` overrides any of these. Parquet files written by `writeTable`
 * carry their kinds and read back with them.
 *
 * Errors are `KeelError`s naming the file: NOT_FOUND for a missing file or an unknown column in
 * `kinds` / `columns`; INVALID_INPUT for an empty file, a ragged CSV row (with its line), a value
 * that cannot take a forced kind, or a failed SQL query (DuckDB's message and the query);
 * UNSUPPORTED for an unknown extension.
 * @example
 * ```ts
 * const frame = await readTable("examples/credit/credit_data.csv");
 * const delays = await readTable("flights.parquet", { sql: "SELECT origin, avg(delay) AS delay FROM data GROUP BY 1" });
 * ```
 */
export async function readTable(source: string, options: ReadOptions = {}): Promise<Frame> {
  checkOptions(options);
  if (typeof source !== "string") {
    throw new InvalidInputError(`source must be a file path or "sql:<query>", got ${show(source)}`, { path: "source", expected: "a string", received: source });
  }
  if (source.startsWith(SQL_PREFIX) || (source === "" && options.sql !== undefined)) {
    const sql = source.startsWith(SQL_PREFIX) ? source.slice(SQL_PREFIX.length).trim() : options.sql!;
    if (sql.trim() === "") throw new InvalidInputError(`the SQL query is empty`, { path: "sql", expected: "a DuckDB SELECT query" });
    return readWithDuckDb({ sql, kinds: kindsWithDates(options), dateFormats: options.dateFormats, columns: options.columns, limit: options.limit, na: options.na ?? DEFAULT_NA });
  }
  const format = detectFormat(source, options.format);
  await checkFile(source, format);
  if (format === "arrow") {
    if (options.sql !== undefined) {
      throw new InvalidInputError(`options.sql cannot query an Arrow IPC file (${show(source)}): DuckDB's arrow extension is not available; read it without sql`, {
        path: "sql",
      });
    }
    return readArrow({ file: source, kinds: kindsWithDates(options), columns: options.columns, limit: options.limit });
  }
  return readWithDuckDb({
    file: source,
    format,
    sql: options.sql,
    kinds: kindsWithDates(options),
    dateFormats: options.dateFormats,
    columns: options.columns,
    limit: options.limit,
    na: options.na ?? DEFAULT_NA,
    delimiter: options.delimiter,
  });
}

/** `kinds` with every column of `dateFormats` a datetime. */
function kindsWithDates(o: ReadOptions): Readonly<Record<string, ColumnKind>> | undefined {
  if (!o.dateFormats || Object.keys(o.dateFormats).length === 0) return o.kinds;
  return { ...o.kinds, ...Object.fromEntries(Object.keys(o.dateFormats).map((c) => [c, "datetime" as const])) };
}

function checkOptions(o: ReadOptions): void {
  if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit >= 0)) {
    throw new InvalidInputError(`options.limit must be a whole number ≥ 0, got ${show(o.limit)}`, { path: "limit", expected: "an integer ≥ 0", received: o.limit });
  }
  for (const [name, kind] of Object.entries(o.kinds ?? {})) {
    if (!COLUMN_KINDS.includes(kind)) {
      throw new InvalidInputError(`options.kinds: column ${show(name)} has kind ${show(kind)}; expected one of ${COLUMN_KINDS.join(", ")}`, {
        path: `kinds.${name}`,
        expected: COLUMN_KINDS.join(" | "),
        received: kind,
      });
    }
  }
  for (const [name, format] of Object.entries(o.dateFormats ?? {})) {
    if (typeof format !== "string" || !format.includes("%")) {
      throw new InvalidInputError(`options.dateFormats: column ${show(name)} has format ${show(format)}; expected a strptime format such as "%d/%m/%Y"`, { path: `dateFormats.${name}`, expected: 'a strptime format such as "%d/%m/%Y"', received: format });
    }
    const kind = o.kinds?.[name];
    if (kind !== undefined && kind !== "datetime") {
      throw new InvalidInputError(`options.dateFormats gives column ${show(name)} a date format, but options.kinds makes it ${kind}`, { path: `dateFormats.${name}`, expected: "a datetime column", received: kind });
    }
  }
  if (o.columns !== undefined) {
    const seen = new Set<string>();
    for (const c of o.columns) {
      if (seen.has(c)) throw new InvalidInputError(`options.columns names ${show(c)} twice`, { path: "columns", received: c });
      seen.add(c);
    }
  }
  if (o.delimiter !== undefined && o.delimiter.length !== 1) {
    throw new InvalidInputError(`options.delimiter must be one character, got ${show(o.delimiter)}`, { path: "delimiter", expected: "one character", received: o.delimiter });
  }
}

/** The file exists, is a file, and is not empty (blank text files count as empty). */
async function checkFile(file: string, format: TableFormat): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new NotFoundError(`file ${show(file, 200)} not found (expected a ${format.toUpperCase()} file)`, { path: file, expected: `an existing ${format} file` });
    }
    throw new InvalidInputError(`cannot read ${show(file, 200)}: ${(e as Error).message}`, { path: file, cause: e });
  }
  if (!info.isFile()) {
    throw new InvalidInputError(`${show(file, 200)} is not a file (expected a ${format.toUpperCase()} file)`, { path: file, expected: "a file" });
  }
  let empty = info.size === 0;
  const textual = format !== "parquet" && format !== "arrow" && !/\.(gz|zst)$/i.test(file);
  if (!empty && textual && info.size <= 4096) {
    const fh = await open(file, "r");
    try {
      const buf = Buffer.alloc(info.size);
      await fh.read(buf, 0, info.size, 0);
      empty = buf.toString("utf8").replace(/^\uFEFF/, "").trim() === "";
    } finally {
      await fh.close();
    }
  }
  if (empty) {
    const expected = format === "csv" || format === "tsv" ? "a header row and data rows" : format === "json" ? "a JSON array of records" : format === "ndjson" ? "one JSON record per line" : `a ${format} file`;
    throw new InvalidInputError(`${show(file, 200)} is empty; expected ${expected}`, { path: file, expected });
  }
}
