/**
 * Dates written the ways people write them: a string column whose every value parses with one
 * of `DATE_FORMATS` (strptime specifiers, tried in order) is read as a datetime — "Jun 12 1998",
 * "12/06/1998", "1998-06-12 10:00" — rather than as a category with a level per day. Day/month
 * order: day first ("%d/%m/%Y") when every value parses either way, as DuckDB's CSV sniffer
 * decides for the columns it types itself; month first when only that parses (a value like
 * "12/25/2001" decides).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, literal } from "./duckdb.js";
import { copyNumbers } from "./vector-copy.js";

/** The formats tried, in order of preference. */
export const DATE_FORMATS: readonly string[] = [
  "%Y-%m-%d",
  "%Y-%m-%d %H:%M",
  "%Y-%m-%d %H:%M:%S",
  "%Y-%m-%dT%H:%M",
  "%Y-%m-%dT%H:%M:%S",
  "%Y/%m/%d",
  "%d/%m/%Y",
  "%m/%d/%Y",
  "%d/%m/%Y %H:%M",
  "%m/%d/%Y %H:%M",
  "%d/%m/%Y %H:%M:%S",
  "%m/%d/%Y %H:%M:%S",
  "%d.%m.%Y",
  "%d-%m-%Y",
  "%b %d %Y",
  "%b %d, %Y",
  "%d %b %Y",
  "%B %d %Y",
  "%B %d, %Y",
  "%d %B %Y",
];

/** Rows whose values pick the candidate formats before the whole column is checked. */
const SAMPLE_ROWS = 2000;

/** SQL giving epoch milliseconds (DOUBLE) of a string column parsed with `format`. */
export function dateExpr(name: string, format: string): string {
  return `CAST(epoch_ms(try_strptime(${ident(name)}, ${literal(format)})) AS DOUBLE)`;
}

/**
 * For each of `names` (VARCHAR columns of `relation`), the first format of `DATE_FORMATS` that
 * parses every non-missing value, if any: candidates from a sample of rows, then the whole column.
 */
export async function detectDateFormats(con: DuckDBConnection, relation: string, names: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (names.length === 0) return found;
  const parses = (c: string, f: string) => `count(try_strptime(${ident(c)}, ${literal(f)}))`;
  const sample = await counts(con, `(SELECT ${names.map(ident).join(", ")} FROM ${relation} LIMIT ${SAMPLE_ROWS})`, names.flatMap((c) => [`count(${ident(c)})`, ...DATE_FORMATS.map((f) => parses(c, f))]));
  const width = DATE_FORMATS.length + 1;
  const candidates = names
    .map((c, j) => ({ c, formats: sample[j * width] > 0 ? DATE_FORMATS.filter((_, k) => sample[j * width + 1 + k] === sample[j * width]) : [] }))
    .filter((x) => x.formats.length > 0);
  if (candidates.length === 0) return found;
  const full = await counts(con, relation, candidates.flatMap(({ c, formats }) => [`count(${ident(c)})`, ...formats.map((f) => parses(c, f))]));
  let at = 0;
  for (const { c, formats } of candidates) {
    const present = full[at];
    const k = formats.findIndex((_, i) => full[at + 1 + i] === present);
    if (k >= 0) found.set(c, formats[k]);
    at += formats.length + 1;
  }
  return found;
}

async function counts(con: DuckDBConnection, from: string, exprs: readonly string[]): Promise<Float64Array> {
  const res = await con.run(`SELECT ${exprs.map((e) => `CAST(${e} AS DOUBLE)`).join(", ")} FROM ${from}`);
  const out = new Float64Array(exprs.length);
  const chunk = res.getChunk(0);
  for (let c = 0; c < exprs.length; c++) copyNumbers(chunk.getColumnVector(c), 1, out, c, 0, Float64Array);
  return out;
}
