/**
 * Write a `Frame` as Parquet through DuckDB. The columns are appended chunk by chunk into a
 * temporary table in their typed form (numeric and datetime DOUBLE, boolean UTINYINT,
 * categorical INTEGER codes, text VARCHAR), each typed chunk filled with one `.set`; then
 * `COPY ... TO (FORMAT PARQUET)` writes numeric as DOUBLE, datetime as TIMESTAMP, boolean as
 * BOOLEAN, categorical as VARCHAR (codes looked up in the dictionary, held once as a list) and
 * text as VARCHAR. The Frame's kinds go into the file's key-value metadata (`keel:kinds`), so
 * `readTable` gives them back even where inference alone would not (an all-distinct
 * categorical, a low-cardinality text).
 */
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";

/** The DuckDB module (already loaded by the connection `writeParquet` is given). */
type DuckDb = typeof import("@duckdb/node-api");
import { type Column, type ColumnKind, MISSING_BOOL } from "../column.js";
import type { Frame } from "../frame.js";
import { ident, literal } from "./duckdb.js";
import { KINDS_METADATA_KEY } from "./duckdb-read.js";
import { fillNumbers, fillStrings } from "./vector-copy.js";

const CHUNK_ROWS = 2048;

function transferType(duck: DuckDb, kind: ColumnKind): DuckDBType {
  switch (kind) {
    case "numeric":
    case "datetime":
      return duck.DOUBLE;
    case "boolean":
      return duck.UTINYINT;
    case "categorical":
      return duck.INTEGER;
    case "text":
      return duck.VARCHAR;
  }
}

const isNaN = (x: number) => x !== x;
const isMissingBool = (x: number) => x === MISSING_BOOL;
const isMissingCode = (x: number) => x < 0;

/** Append rows [start, start+m) of `columns` as one chunk of `types`. */
function chunkOf(duck: DuckDb, columns: readonly Column[], types: readonly DuckDBType[], start: number, m: number) {
  const chunk = duck.DuckDBDataChunk.create(types, m);
  columns.forEach((c, j) => {
    const v = chunk.getColumnVector(j);
    switch (c.kind) {
      case "numeric":
      case "datetime":
        return fillNumbers(v, c.values, start, m, isNaN, Float64Array);
      case "boolean":
        return fillNumbers(v, c.values, start, m, isMissingBool, Uint8Array);
      case "categorical":
        return fillNumbers(v, c.codes, start, m, isMissingCode, Int32Array);
      case "text":
        return fillStrings(v, c.values, start, m);
    }
  });
  return chunk;
}

/** Append whole columns into an existing table. */
async function append(duck: DuckDb, con: DuckDBConnection, table: string, columns: readonly Column[], nRows: number): Promise<void> {
  const types = columns.map((c) => transferType(duck, c.kind));
  const appender = await con.createAppender(table);
  try {
    for (let start = 0; start < nRows; start += CHUNK_ROWS) appender.appendDataChunk(chunkOf(duck, columns, types, start, Math.min(CHUNK_ROWS, nRows - start)));
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Write `frame` to `file` (a path DuckDB may create or overwrite) as Parquet. */
export async function writeParquet(con: DuckDBConnection, frame: Frame, file: string): Promise<void> {
  const duck = await import("@duckdb/node-api");
  const names = frame.names;
  const cols = names.map((n) => frame.column(n));
  await con.run(`CREATE TEMP TABLE keel_out (${cols.map((c, j) => `c${j} ${transferType(duck, c.kind).toString()}`).join(", ")})`);
  await append(duck, con, "keel_out", cols, frame.nRows);
  const selects: string[] = [];
  for (const [j, c] of cols.entries()) {
    let expr: string;
    switch (c.kind) {
      case "datetime":
        expr = `make_timestamp(CAST(round(c${j} * 1000) AS BIGINT))`;
        break;
      case "boolean":
        expr = `CAST(c${j} AS BOOLEAN)`;
        break;
      case "categorical": {
        // the dictionary as one list value; a code's string is list[code + 1]
        await con.run(`CREATE TEMP TABLE keel_cat_${j} (s VARCHAR)`);
        await append(duck, con, `keel_cat_${j}`, [{ kind: "text", values: c.categories }], c.categories.length);
        await con.run(`CREATE TEMP TABLE keel_list_${j} AS SELECT list(s ORDER BY rowid) AS d FROM keel_cat_${j}`);
        expr = `CAST((SELECT d FROM keel_list_${j})[c${j} + 1] AS VARCHAR)`;
        break;
      }
      default:
        expr = `c${j}`;
    }
    selects.push(`${expr} AS ${ident(names[j])}`);
  }
  const kinds = JSON.stringify(Object.fromEntries(cols.map((c, j) => [names[j], c.kind])));
  await con.run(
    `COPY (SELECT ${selects.join(", ")} FROM keel_out) TO ${literal(file)} (FORMAT PARQUET, KV_METADATA {${literal(KINDS_METADATA_KEY)}: ${literal(kinds)}})`,
  );
}
