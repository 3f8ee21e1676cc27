/**
 * Table file formats and how a path's extension maps to one.
 */
import path from "node:path";
import { InvalidInputError, UnsupportedError, show } from "../../core/index.js";

/** The formats `readTable` understands. `writeTable` writes `csv`, `tsv` and `parquet`. */
export type TableFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson" | "arrow";
/** The table formats `readTable` reads. */
export const TABLE_FORMATS: readonly TableFormat[] = ["csv", "tsv", "parquet", "json", "ndjson", "arrow"];

const BY_EXTENSION: Record<string, TableFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".parquet": "parquet",
  ".pq": "parquet",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".arrow": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
};
/** Compression suffixes DuckDB decompresses on the fly (text formats only). */
const COMPRESSION = [".gz", ".zst"];

/**
 * The format of `file`: `explicit` when given (checked), otherwise from the extension
 * (`.csv`, `.tsv`/`.tab`, `.parquet`/`.pq`, `.json`, `.ndjson`/`.jsonl`, `.arrow`/`.feather`/`.ipc`;
 * text formats may end in `.gz` or `.zst`).
 * @example
 * ```ts
 * detectFormat("flights.csv.gz"); // "csv"
 * detectFormat("data.bin", "parquet"); // "parquet"
 * ```
 */
export function detectFormat(file: string, explicit?: string): TableFormat {
  if (explicit !== undefined) {
    if (!(TABLE_FORMATS as readonly string[]).includes(explicit)) {
      throw new InvalidInputError(`format ${show(explicit)} for ${show(file)} is not known; expected one of ${TABLE_FORMATS.join(", ")}`, {
        path: "format",
        expected: TABLE_FORMATS.join(" | "),
        received: explicit,
      });
    }
    return explicit as TableFormat;
  }
  let name = path.basename(file).toLowerCase();
  let compressed = false;
  for (const c of COMPRESSION) {
    if (name.endsWith(c)) {
      name = name.slice(0, -c.length);
      compressed = true;
    }
  }
  const ext = path.extname(name);
  const format = BY_EXTENSION[ext];
  if (!format || (compressed && (format === "parquet" || format === "arrow"))) {
    const known = Object.keys(BY_EXTENSION).join(", ");
    throw new UnsupportedError(
      `cannot tell the format of ${show(file)} from its extension ${show(path.extname(file) || "(none)")}; expected one of ${known}, or pass options.format`,
      { path: file, expected: known, received: path.extname(file) },
    );
  }
  return format;
}
