/**
 * `writeTable`: a `Frame` to CSV, TSV or Parquet, atomically.
 */
import { InvalidInputError, IoError, KeelError, UnsupportedError, show } from "../../core/index.js";
import { Frame } from "../frame.js";
import { writeAtomically } from "./atomic-file.js";
import { writeDelimited } from "./csv-write.js";
import { firstLine, withConnection } from "./duckdb.js";
import { type TableFormat, detectFormat } from "./format.js";
import { writeParquet } from "./parquet-write.js";

/** Options of `writeTable`. */
export interface WriteOptions {
  /** The format; by default from the target's extension (`.csv`, `.tsv`, `.parquet`). */
  readonly format?: Extract<TableFormat, "csv" | "tsv" | "parquet">;
  /** CSV / TSV: text for a missing cell; default "" (an empty cell). */
  readonly na?: string;
  /** CSV: field delimiter; default "," (TSV: tab). */
  readonly delimiter?: string;
}

/**
 * Write `frame` to `target`. CSV / TSV: a header row, RFC 4180 quoting, missing cells as `na`,
 * datetimes as ISO-8601 (UTC), booleans as true/false, categories as their strings. Parquet:
 * numeric DOUBLE, categorical and text VARCHAR, boolean BOOLEAN, datetime TIMESTAMP, with the
 * kinds kept in the file's metadata. The write goes to a temporary file in the same folder that
 * is renamed over `target` at the end, so a failed write leaves nothing half-written.
 * @example
 * ```ts
 * await writeTable(frame, "clean.parquet");
 * await writeTable(frame, "clean.csv", { na: "NA" });
 * ```
 */
export async function writeTable(frame: Frame, target: string, options: WriteOptions = {}): Promise<void> {
  if (!(frame instanceof Frame)) {
    throw new InvalidInputError(`writeTable needs a Frame, got ${show(frame)}`, { path: "frame", expected: "a Frame" });
  }
  if (frame.nCols === 0) {
    throw new InvalidInputError(`cannot write ${show(target, 200)}: the frame has no columns`, { path: target, expected: "at least one column" });
  }
  const format = detectFormat(target, options.format);
  if (format !== "csv" && format !== "tsv" && format !== "parquet") {
    throw new UnsupportedError(`cannot write ${show(target, 200)}: writeTable writes csv, tsv and parquet, not ${format}`, {
      path: target,
      expected: "csv | tsv | parquet",
      received: format,
    });
  }
  if (options.delimiter !== undefined && options.delimiter.length !== 1) {
    throw new InvalidInputError(`options.delimiter must be one character, got ${show(options.delimiter)}`, { path: "delimiter", expected: "one character", received: options.delimiter });
  }
  if (options.na !== undefined && /[\r\n"]/.test(options.na)) {
    throw new InvalidInputError(`options.na must not hold quotes or line breaks, got ${show(options.na)}`, { path: "na", received: options.na });
  }
  try {
    await writeAtomically(target, async (tmp) => {
      if (format === "parquet") {
        await withConnection((con) => writeParquet(con, frame, tmp));
      } else {
        await writeDelimited(frame, tmp, { na: options.na, delimiter: options.delimiter ?? (format === "tsv" ? "\t" : ",") });
      }
    });
  } catch (e) {
    if (e instanceof KeelError) throw e;
    throw new IoError(`cannot write ${show(target, 200)}: ${firstLine(e)}`, { path: target, cause: e });
  }
}
