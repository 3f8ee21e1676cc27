/**
 * Read CSV / TSV / Parquet / JSON / NDJSON files, or an SQL query over files, into a `Frame`
 * through DuckDB.
 *
 * Plan: (1) describe the source to learn its columns and DuckDB types; (2) choose each column's
 * kind (forced by `kinds`, else from the type; strings are datetimes when every value is a date in
 * one common format (`date-formats.ts`), else categorical or text by `stringKind`); (3) one pass counts rows, non-missing and distinct values of string columns;
 * (4) each categorical column's sorted distinct values become its dictionary; (5) one final query
 * returns every column as DOUBLE (numeric, datetime as epoch ms), INTEGER (category codes,
 * computed in SQL by casting to an ENUM of the dictionary, or by a join with it when the
 * dictionary is large), UTINYINT (boolean) or VARCHAR (text), and the typed vectors of its
 * streamed result are copied chunk by chunk (`vector-copy.ts`). Only text columns make a JS value
 * per cell. A text file is parsed once into a temporary table for those passes — unless every
 * column is a number, boolean or date: then the final query alone reads the file, and DuckDB never
 * holds a copy of the data (on 500,000 × 31 numbers, the read's peak memory fell from 730 to 540 MB).
 */
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBResult } from "@duckdb/node-api";
import { InvalidInputError, KeelError, NotFoundError, show } from "../../core/index.js";
import { type Column, type ColumnKind, MISSING_BOOL } from "../column.js";
import { Frame } from "../frame.js";
import { findRaggedRow, recordBound } from "./csv-shape.js";
import { firstLine, ident, literal, withConnection } from "./duckdb.js";
import type { TableFormat } from "./format.js";
import { dateExpr, detectDateFormats } from "./date-formats.js";
import { stringKind } from "./string-kind.js";
import { copyNumbers, copyStrings } from "./vector-copy.js";

/** Dictionaries up to this size become an inline ENUM cast; larger ones a join (faster there). */
const ENUM_MAX_CATEGORIES = 2000;
/** Parquet key-value metadata key under which `writeTable` stores the Frame's column kinds. */
export const KINDS_METADATA_KEY = "keel:kinds";

export interface DuckReadRequest {
  /** The file, unless this is a bare SQL query. */
  readonly file?: string;
  readonly format?: Exclude<TableFormat, "arrow">;
  /** An SQL query; when `file` is given too, the file is the view `data` inside it. */
  readonly sql?: string;
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
  /** strptime formats of datetime columns written as strings. */
  readonly dateFormats?: Readonly<Record<string, string>>;
  readonly columns?: readonly string[];
  readonly limit?: number;
  /** Cells read as missing in CSV / TSV. */
  readonly na: readonly string[];
  readonly delimiter?: string;
  /** CSV: sniff column types from every row, not a sample (set on retry after a late type clash). */
  readonly sampleAll?: boolean;
}

type SourceClass = "numeric" | "boolean" | "datetime" | "enum" | "string";

interface ColumnPlan {
  readonly name: string;
  readonly sourceType: string;
  kind: ColumnKind;
  readonly forced: boolean;
  /** SQL giving the value in the kind's transfer type (string for categorical, before coding). */
  expr: string;
  /** For forced conversions: SQL that is NULL where the conversion failed. */
  readonly convert?: { readonly expr: string; readonly expected: string };
  categories?: string[];
}

/** Read through DuckDB. Errors are KeelErrors naming the file (or the query). */
export async function readWithDuckDb(req: DuckReadRequest): Promise<Frame> {
  try {
    return await withConnection((con) => read(con, req));
  } catch (e) {
    if (e instanceof KeelError) throw e;
    // DuckDB sniffs CSV types from a sample; a later row that does not fit (a word in a column of
    // numbers) fails the scan. Sniffing from every row then gives the column a type that fits.
    if ((req.format === "csv" || req.format === "tsv") && !req.sampleAll && req.file !== undefined && /Could not convert/.test(String(e))) {
      return readWithDuckDb({ ...req, sampleAll: true });
    }
    throw await explain(e, req);
  }
}

function label(req: DuckReadRequest): string {
  return req.file !== undefined ? show(req.file, 200) : `query ${show(req.sql, 200)}`;
}

/** The table function that scans the file. `varchar` names columns to read as raw text (CSV). */
function scanExpr(req: DuckReadRequest, varchar: readonly string[] = []): string {
  const file = literal(req.file!);
  switch (req.format) {
    case "csv":
    case "tsv": {
      const delim = req.delimiter ?? (req.format === "tsv" ? "\t" : ",");
      const nulls = `[${req.na.map(literal).join(", ")}]`;
      const types = varchar.length > 0 ? `, types = {${varchar.map((n) => `${literal(n)}: 'VARCHAR'`).join(", ")}}` : "";
      const sample = req.sampleAll ? ", sample_size = -1" : "";
      return `read_csv(${file}, header = true, skip = 0, comment = '', quote = '"', escape = '"', delim = ${literal(delim)}, nullstr = ${nulls}${types}${sample})`;
    }
    case "parquet":
      return `read_parquet(${file})`;
    case "json":
      return `read_json(${file}, format = 'array')`;
    case "ndjson":
      return `read_json(${file}, format = 'newline_delimited')`;
    default:
      throw new InvalidInputError(`${label(req)}: DuckDB does not read format ${show(req.format)}`);
  }
}

async function describe(con: DuckDBConnection, relation: string): Promise<{ name: string; type: string }[]> {
  const res = await con.run(`DESCRIBE SELECT * FROM ${relation}`);
  const rows = await collectStrings(res, 2);
  return rows[0].map((name, i) => ({ name: name ?? "", type: rows[1][i] ?? "" }));
}

/** All rows of the first `nCols` VARCHAR columns of a result. */
async function collectStrings(res: DuckDBMaterializedResult, nCols: number): Promise<(string | null)[][]> {
  const out: (string | null)[][] = Array.from({ length: nCols }, () => []);
  for (let k = 0; k < res.chunkCount; k++) {
    const chunk = res.getChunk(k);
    const n = chunk.rowCount;
    for (let c = 0; c < nCols; c++) copyStrings(chunk.getColumnVector(c), n, out[c], out[c].length);
  }
  return out;
}

function classify(type: string): SourceClass {
  const t = type.toUpperCase();
  if (t === "BOOLEAN") return "boolean";
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC)\b/.test(t)) return "numeric";
  if (t === "DATE" || t.startsWith("TIMESTAMP")) return "datetime";
  if (t.startsWith("ENUM(")) return "enum";
  return "string";
}

function planColumn(name: string, type: string, forcedKind: ColumnKind | undefined, file: string, dateFormat?: string): ColumnPlan {
  const c = ident(name);
  const cls = classify(type);
  const base = { name, sourceType: type, forced: forcedKind !== undefined };
  const cannot = (kind: ColumnKind): never => {
    throw new InvalidInputError(`${file}: column ${show(name)} is ${type} and cannot be read as ${kind}`, { path: name, expected: kind, received: type });
  };
  const kind = forcedKind ?? (cls === "numeric" ? "numeric" : cls === "boolean" ? "boolean" : cls === "datetime" ? "datetime" : cls === "enum" ? "categorical" : undefined);
  if (kind === undefined) {
    // unforced string: categorical or text is decided from counts later
    return { ...base, kind: "categorical", forced: false, expr: `CAST(${c} AS VARCHAR)` };
  }
  switch (kind) {
    case "numeric":
      if (cls === "numeric" || cls === "boolean") return { ...base, kind, expr: `CAST(${c} AS DOUBLE)` };
      if (cls === "datetime") return { ...base, kind, expr: `CAST(epoch_ms(${c}) AS DOUBLE)` };
      return { ...base, kind, expr: `TRY_CAST(${c} AS DOUBLE)`, convert: { expr: `TRY_CAST(${c} AS DOUBLE)`, expected: "a number" } };
    case "datetime":
      if (cls === "datetime") return { ...base, kind, expr: `CAST(epoch_ms(${c}) AS DOUBLE)` };
      if (dateFormat !== undefined && cls !== "boolean") {
        const parsed = `try_strptime(CAST(${c} AS VARCHAR), ${literal(dateFormat)})`;
        return { ...base, kind, expr: `CAST(epoch_ms(${parsed}) AS DOUBLE)`, convert: { expr: parsed, expected: `a date in the format ${dateFormat}` } };
      }
      if (cls === "numeric") return { ...base, kind, expr: `CAST(${c} AS DOUBLE)` };
      if (cls === "boolean") return cannot(kind);
      return {
        ...base,
        kind,
        expr: `CAST(epoch_ms(TRY_CAST(${c} AS TIMESTAMP)) AS DOUBLE)`,
        convert: { expr: `TRY_CAST(${c} AS TIMESTAMP)`, expected: "a date or timestamp" },
      };
    case "boolean":
      if (cls === "boolean") return { ...base, kind, expr: `CAST(${c} AS UTINYINT)` };
      if (cls === "numeric") return { ...base, kind, expr: `CAST((${c} <> 0) AS UTINYINT)` };
      if (cls === "datetime") return cannot(kind);
      return {
        ...base,
        kind,
        expr: `CAST(TRY_CAST(${c} AS BOOLEAN) AS UTINYINT)`,
        convert: { expr: `TRY_CAST(${c} AS BOOLEAN)`, expected: "a boolean (true/false)" },
      };
    case "categorical":
    case "text":
      return { ...base, kind, expr: `CAST(${c} AS VARCHAR)` };
  }
}

/** Kinds stored by `writeTable` in a Parquet file's key-value metadata, if any. */
async function parquetKinds(con: DuckDBConnection, file: string): Promise<Record<string, ColumnKind>> {
  const res = await con.run(
    `SELECT decode(value) FROM parquet_kv_metadata(${literal(file)}) WHERE decode(key) = ${literal(KINDS_METADATA_KEY)}`,
  );
  const [values] = await collectStrings(res, 1);
  if (values.length === 0 || values[0] === null) return {};
  try {
    const parsed = JSON.parse(values[0]) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, ColumnKind>) : {};
  } catch {
    return {};
  }
}

function checkNames(names: readonly string[], wanted: readonly string[], what: string, where: string): void {
  const have = new Set(names);
  for (const n of wanted) {
    if (!have.has(n)) {
      throw new NotFoundError(`${where}: ${what} names column ${show(n)}, which is not there; the columns are ${show(names, 300)}`, {
        path: n,
        expected: `one of ${names.join(", ")}`,
        received: n,
      });
    }
  }
}

async function read(con: DuckDBConnection, req: DuckReadRequest): Promise<Frame> {
  const where = label(req);
  const forced = req.kinds ?? {};
  let relation: string;
  let materialized = false;
  /** The source is read once, by the final query: its row count is learnt from the rows. */
  let streamed = false;
  let describedNames: string[];
  const raw: string[] = [];
  const boolCandidates = new Set<string>();

  if (req.sql !== undefined) {
    if (req.file !== undefined) await con.run(`CREATE TEMP VIEW data AS SELECT * FROM ${scanExpr(req)}`);
    // a failure here is explained by `explain` (a ragged file, else DuckDB's message and the query)
    await con.run(`CREATE TEMP TABLE keel_src AS SELECT * FROM (${req.sql}) ${req.limit !== undefined ? `LIMIT ${req.limit}` : ""}`);
    relation = "keel_src";
    materialized = true;
    describedNames = (await describe(con, relation)).map((c) => c.name);
    checkNames(describedNames, Object.keys(forced), "options.kinds", where);
    if (req.columns) checkNames(describedNames, req.columns, "options.columns", where);
  } else {
    const described = await describe(con, scanExpr(req));
    describedNames = described.map((c) => c.name);
    checkNames(describedNames, Object.keys(forced), "options.kinds", where);
    if (req.columns) checkNames(describedNames, req.columns, "options.columns", where);
    if (req.format === "csv" || req.format === "tsv") {
      // CSV columns forced to categorical / text are read as raw text (keeps "00501" a zip code);
      // so are columns DuckDB takes for BOOLEAN, since its sniffer also takes yes/no, y/n, t/f
      // for booleans and those labels should stay what they are (only true/false is boolean)
      for (const c of described) {
        const k = forced[c.name];
        if (k === "categorical" || k === "text" || (k === "datetime" && req.dateFormats?.[c.name] !== undefined)) raw.push(c.name);
        else if (k === undefined && c.type === "BOOLEAN") {
          raw.push(c.name);
          boolCandidates.add(c.name);
        }
      }
    }
    const scan = scanExpr(req, raw);
    const select = req.columns ? req.columns.map(ident).join(", ") : "*";
    if (req.format === "parquet" && req.limit === undefined) {
      relation = req.columns ? `(SELECT ${select} FROM ${scan})` : scan;
    } else if (onePass(described, req, raw)) {
      // numbers, booleans and dates only: the final query alone reads the file, streamed, and
      // DuckDB never holds a copy of the data (a temporary table and a materialized result each
      // took about the data's size again)
      relation = `(SELECT ${select} FROM ${scan} ${req.limit !== undefined ? `LIMIT ${req.limit}` : ""})`;
      streamed = true;
    } else {
      // text formats are parsed once into a temporary table, not once per pass
      await con.run(`CREATE TEMP TABLE keel_src AS SELECT ${select} FROM ${scan} ${req.limit !== undefined ? `LIMIT ${req.limit}` : ""}`);
      relation = "keel_src";
      materialized = true;
    }
  }

  // kinds a Keel writer stored in the file (not for a query: its columns are new ones)
  const stored = req.format === "parquet" && req.file !== undefined && req.sql === undefined ? await parquetKinds(con, req.file) : {};
  let columns = await describe(con, relation);
  if (req.columns) {
    const byName = new Map(columns.map((c) => [c.name, c]));
    columns = req.columns.map((n) => byName.get(n)!);
  }
  const plans = columns.map((c) => {
    const kind = forced[c.name] ?? (isKind(stored[c.name]) ? stored[c.name] : undefined);
    return planColumn(c.name, c.type, kind, where, req.dateFormats?.[c.name]);
  });

  // pass 1: row count; for unforced string columns the non-missing and distinct counts, and for
  // CSV columns DuckDB sniffed as BOOLEAN whether every value is literally true or false
  const strings = plans.filter((p) => !p.forced && classify(p.sourceType) === "string");
  const statExprs = ["count(*)"];
  for (const p of strings) {
    const c = ident(p.name);
    statExprs.push(`count(${c})`, `count(DISTINCT ${c})`);
    if (boolCandidates.has(p.name)) statExprs.push(`coalesce(bool_and(lower(${c}) IN ('true', 'false')), true)`);
  }
  const statValues = new Float64Array(statExprs.length);
  if (!streamed) {
    const stats = await con.run(`SELECT ${statExprs.map((e) => `CAST(${e} AS DOUBLE)`).join(", ")} FROM ${relation}`);
    const chunk = stats.getChunk(0);
    for (let c = 0; c < statValues.length; c++) copyNumbers(chunk.getColumnVector(c), 1, statValues, c, 0, Float64Array);
  }
  const counted = streamed ? undefined : statValues[0];
  // a JSON file holding [] has no records, hence no columns
  if (counted === 0 && req.sql === undefined && (req.format === "json" || req.format === "ndjson")) return Frame.empty(0);
  let at = 1;
  const undecided: { p: ColumnPlan; distinct: number; nonMissing: number }[] = [];
  for (const p of strings) {
    const nonMissing = statValues[at];
    const distinct = statValues[at + 1];
    at += 2;
    if (boolCandidates.has(p.name)) {
      const literalBool = statValues[at++] === 1;
      if (literalBool) {
        p.kind = "boolean";
        p.expr = `CAST((lower(${ident(p.name)}) = 'true') AS UTINYINT)`;
        continue;
      }
    }
    undecided.push({ p, distinct, nonMissing });
  }
  // strings that are all dates in one common format are datetimes; the rest categorical or text
  const dates = await detectDateFormats(con, relation, undecided.filter((u) => !boolCandidates.has(u.p.name)).map((u) => u.p.name));
  for (const { p, distinct, nonMissing } of undecided) {
    const format = dates.get(p.name);
    if (format !== undefined) {
      p.kind = "datetime";
      p.expr = dateExpr(p.name, format);
    } else p.kind = stringKind(distinct, nonMissing);
  }

  // forced conversions: name the first value that does not convert
  for (const p of plans) {
    if (!p.convert) continue;
    const bad = await con.run(`SELECT CAST(${ident(p.name)} AS VARCHAR) FROM ${relation} WHERE ${ident(p.name)} IS NOT NULL AND ${p.convert.expr} IS NULL LIMIT 1`);
    const [vals] = await collectStrings(bad, 1);
    if (vals.length > 0) {
      throw new InvalidInputError(`${where}: column ${show(p.name)} was asked to be ${p.kind} but holds ${show(vals[0])}, which is not ${p.convert.expected}`, {
        path: p.name,
        expected: p.convert.expected,
        received: vals[0],
      });
    }
  }

  // dictionaries of categorical columns (sorted, so the same data always gets the same codes)
  const cats = plans.filter((p) => p.kind === "categorical");
  for (const p of cats) {
    const res = await con.run(`SELECT DISTINCT s FROM (SELECT ${p.expr} AS s FROM ${relation}) WHERE s IS NOT NULL ORDER BY s`);
    p.categories = (await collectStrings(res, 1))[0] as string[];
  }
  const needJoin = cats.some((p) => p.categories!.length > ENUM_MAX_CATEGORIES);
  if (needJoin && !materialized) {
    await con.run(`CREATE TEMP TABLE keel_src AS SELECT * FROM ${relation}`);
    relation = "keel_src";
  }

  // the final query: one transfer-typed expression per column
  const selects: string[] = [];
  const joins: string[] = [];
  for (const [j, p] of plans.entries()) {
    if (p.kind !== "categorical") {
      selects.push(`${p.expr} AS c${j}`);
      continue;
    }
    const values = p.categories!;
    if (values.length === 0) selects.push(`CAST(NULL AS INTEGER) AS c${j}`);
    else if (values.length <= ENUM_MAX_CATEGORIES) {
      selects.push(`CAST(enum_code(CAST(${p.expr} AS ENUM(${values.map(literal).join(", ")}))) AS INTEGER) AS c${j}`);
    } else {
      // a large dictionary: codes by a hash join with it (names unique so no qualification is needed)
      const dict = `keel_dict_${j}`;
      await con.run(
        `CREATE TEMP TABLE ${dict} AS SELECT s AS keel_s_${j}, CAST(row_number() OVER (ORDER BY s) - 1 AS INTEGER) AS keel_code_${j} ` +
          `FROM (SELECT DISTINCT s FROM (SELECT ${p.expr} AS s FROM ${relation}) WHERE s IS NOT NULL)`,
      );
      joins.push(`LEFT JOIN ${dict} ON ${p.expr} = keel_s_${j}`);
      selects.push(`keel_code_${j} AS c${j}`);
    }
  }
  if (plans.length === 0) return Frame.fromColumns(new Map<string, Column>(), counted ?? 0);
  // a join does not keep row order: restore it from the temporary table's row ids
  const sql = `SELECT ${selects.join(", ")} FROM ${relation} ${joins.join(" ")}${joins.length > 0 ? ` ORDER BY ${relation}.rowid` : ""}`;
  // a streamed text file: arrays sized by its line count, so its rows are not copied twice
  const bound = streamed && (req.format === "csv" || req.format === "tsv") && req.file !== undefined ? await recordBound(req.file) : null;
  const capacity = bound === null ? undefined : Math.min(bound, req.limit ?? bound);
  const { columns: out, nRows } = await transfer(await con.stream(sql), plans, counted, capacity);
  if (nRows === 0 && streamed && (req.format === "json" || req.format === "ndjson")) return Frame.empty(0);
  return Frame.fromColumns(out, nRows);
}

/**
 * Whether a text file can be read in one streamed pass: every column (of those asked for) is
 * numeric, boolean or a date as DuckDB sniffed it, and none is forced to another kind — then no
 * pass needs counts, dictionaries or conversion checks before the final query.
 */
function onePass(described: readonly { name: string; type: string }[], req: DuckReadRequest, raw: readonly string[]): boolean {
  if (raw.length > 0) return false;
  const wanted = req.columns ? new Set(req.columns) : null;
  const forced = req.kinds ?? {};
  return described.every((c) => {
    if (wanted && !wanted.has(c.name)) return true;
    const cls = classify(c.type);
    if (cls === "string" || cls === "enum") return false;
    const k = forced[c.name];
    return k === undefined || (k === "numeric" && cls === "numeric") || (k === "datetime" && cls === "datetime") || (k === "boolean" && cls === "boolean");
  });
}

function isKind(k: unknown): k is ColumnKind {
  return k === "numeric" || k === "categorical" || k === "boolean" || k === "datetime" || k === "text";
}

/** Rows per block while the row count is unknown (a one-pass read); the blocks are joined at the end. */
const BLOCK_ROWS = 1 << 16;

type Values = Float64Array | Int32Array | Uint8Array | (string | null)[];

function allocate(kind: ColumnKind, n: number): Values {
  switch (kind) {
    case "numeric":
    case "datetime":
      return new Float64Array(n);
    case "categorical":
      return new Int32Array(n);
    case "boolean":
      return new Uint8Array(n);
    case "text":
      return new Array<string | null>(n);
  }
}

/** Join the first `used[k]` rows of each block into one array of `n` rows. */
function join(kind: ColumnKind, blocks: readonly Values[], used: readonly number[], n: number): Values {
  if (blocks.length === 1 && used[0] === n && blocks[0].length === n) return blocks[0];
  const out = allocate(kind, n);
  let at = 0;
  blocks.forEach((b, k) => {
    if (Array.isArray(b)) for (let i = 0; i < used[k]; i++) (out as (string | null)[])[at + i] = b[i];
    else (out as Float64Array | Int32Array | Uint8Array).set(b.subarray(0, used[k]), at);
    at += used[k];
  });
  return out;
}

/**
 * Copy the final (streamed) result's vectors into columns: into arrays of `counted` rows when the
 * row count is known; else into a first block of `capacity` rows (an upper bound from the file,
 * when there is one) and blocks of `BLOCK_ROWS` after it, joined once the result ends — so a
 * bound that holds gives the columns with no second copy (whose 120 MB, on 500,000 × 31 numbers,
 * stayed in the process after the join).
 */
async function transfer(res: DuckDBResult, plans: readonly ColumnPlan[], counted: number | undefined, capacity?: number): Promise<{ columns: Map<string, Column>; nRows: number }> {
  const blockRows = counted ?? BLOCK_ROWS;
  const blocks: Values[][] = plans.map(() => []);
  const used: number[] = [];
  let size = counted ?? (capacity !== undefined && capacity > 0 ? capacity : BLOCK_ROWS); // rows of the current block
  let fill = size; // rows used in the current block (full: start a new one)
  let nRows = 0;
  for (let chunk = await res.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await res.fetchChunk()) {
    const n = chunk.rowCount;
    if (counted !== undefined && nRows + n > counted) throw new Error(`DuckDB returned more rows than it counted (${nRows + n} > ${counted})`);
    if (fill + n > size) {
      if (used.length > 0) size = blockRows;
      size = Math.max(size, n);
      plans.forEach((p, j) => blocks[j].push(allocate(p.kind, size)));
      used.push(0);
      fill = 0;
    }
    const k = used.length - 1;
    for (let j = 0; j < plans.length; j++) {
      const v = chunk.getColumnVector(j);
      const dst = blocks[j][k];
      if (dst instanceof Float64Array) copyNumbers(v, n, dst, fill, NaN, Float64Array);
      else if (dst instanceof Int32Array) copyNumbers(v, n, dst, fill, -1, Int32Array);
      else if (dst instanceof Uint8Array) copyNumbers(v, n, dst, fill, MISSING_BOOL, Uint8Array);
      else copyStrings(v, n, dst, fill);
    }
    fill += n;
    used[k] = fill;
    nRows += n;
  }
  if (counted !== undefined && nRows !== counted) throw new Error(`DuckDB returned ${nRows} rows but counted ${counted}`);
  const arrays = plans.map((p, j) => join(p.kind, blocks[j], used, nRows));
  const out = new Map<string, Column>();
  plans.forEach((p, j) => {
    const a = arrays[j];
    switch (p.kind) {
      case "numeric":
      case "datetime":
        out.set(p.name, { kind: p.kind, values: a as Float64Array });
        break;
      case "categorical":
        out.set(p.name, { kind: "categorical", codes: a as Int32Array, categories: p.categories ?? [] });
        break;
      case "boolean":
        out.set(p.name, { kind: "boolean", values: a as Uint8Array });
        break;
      case "text":
        out.set(p.name, { kind: "text", values: a as (string | null)[] });
        break;
    }
  });
  return { columns: out, nRows };
}

/** Turn a DuckDB failure into a one-line KeelError naming the file and what was expected. */
async function explain(e: unknown, req: DuckReadRequest): Promise<KeelError> {
  const msg = firstLine(e);
  const where = label(req);
  const full = e instanceof Error ? e.message : String(e);
  if ((req.format === "csv" || req.format === "tsv") && req.file !== undefined) {
    const ragged = await findRaggedRow(req.file, req.delimiter ?? (req.format === "tsv" ? "\t" : ",")).catch(() => null);
    const m = /CSV Error on Line: (\d+)[\s\S]*?Expected Number of Columns: (\d+) Found: (\d+)/.exec(full);
    const bad = ragged ?? (m ? { line: Number(m[1]), fields: Number(m[3]), expected: Number(m[2]) } : null);
    if (bad) {
      return new InvalidInputError(`${show(req.file, 200)} line ${bad.line}: ${bad.fields} fields, expected ${bad.expected} like the header`, {
        path: `${req.file}:${bad.line}`,
        expected: `${bad.expected} fields`,
        received: bad.fields,
        cause: e,
      });
    }
  }
  if (req.sql !== undefined) {
    return new InvalidInputError(`SQL query failed: ${msg} (query: ${show(req.sql, 300)})`, { path: "sql", received: req.sql, cause: e });
  }
  switch (req.format) {
    case "csv":
    case "tsv": {
      const name = req.format.toUpperCase();
      return new InvalidInputError(`${where}: not a readable ${name} file (${msg})`, { path: req.file, expected: `a ${name} file with a header row`, cause: e });
    }
    case "parquet":
      return new InvalidInputError(`${where}: not a readable Parquet file (${msg})`, { path: req.file, expected: "a Parquet file", cause: e });
    case "json":
      return new InvalidInputError(`${where}: expected a JSON array of records (${msg})`, { path: req.file, expected: "a JSON array of records", cause: e });
    case "ndjson":
      return new InvalidInputError(`${where}: expected one JSON record per line (${msg})`, { path: req.file, expected: "newline-delimited JSON records", cause: e });
    default:
      return new InvalidInputError(`${where}: ${msg}`, { path: req.file, cause: e });
  }
}
