/**
 * Step "read": a data file (CSV, Parquet, JSON, Arrow, ...) or a `sql:` query over files into a
 * Frame. Cached by the content of the files read (SHA-256) and the read options, so an unchanged
 * file is never parsed twice and DuckDB is not even loaded. A query is cached when every file it
 * names (quoted paths, relative to `dir`) exists; a query naming none (or a glob) is read every time.
 */
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { type Column, Frame } from "../../data/index.js";
import type { ReadOptions } from "../../data/io/index.js";
import type { CacheValue } from "../cache-value.js";
import { step } from "../step.js";

export interface ReadInputs {
  /** A file (absolute, or relative to `dir`) or `sql:` followed by a DuckDB query over files. */
  source: string;
  /** Where relative paths — the source's, and those in a query — resolve. */
  dir: string;
  options: ReadOptions;
}

export const readStep = step<ReadInputs, Frame>({
  name: "read",
  label: (i) => `read ${i.source.startsWith("sql:") ? "the query" : path.basename(i.source)}`,
  key(i) {
    const files = i.source.startsWith("sql:") ? filesNamedIn(i.source, i.dir) : [path.resolve(i.dir, i.source)];
    if (!files) return undefined;
    return { source: i.source.startsWith("sql:") ? i.source : path.extname(i.source), options: i.options, files: files.map(fileDigest) };
  },
  async run(i) {
    const { readTable } = await import("../../data/io/index.js");
    if (!i.source.startsWith("sql:")) return readTable(path.resolve(i.dir, i.source), i.options);
    // file paths in the query are relative to `dir`, as a file source is
    const previous = process.cwd();
    process.chdir(i.dir);
    try {
      return await readTable(i.source, i.options);
    } finally {
      process.chdir(previous);
    }
  },
  save: (frame) => ({ nRows: frame.nRows, columns: [...frame.entries()].map(([name, column]) => ({ name, column: column as unknown as CacheValue })) }),
  load(value) {
    const v = value as unknown as { nRows: number; columns: { name: string; column: Column }[] };
    return Frame.fromColumns(new Map(v.columns.map((c) => [c.name, c.column])), v.nRows);
  },
});

/** The files a query names in quotes (resolved against `dir`), or null when it names none or a missing one. */
function filesNamedIn(query: string, dir: string): string[] | null {
  const quoted = [...query.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  const files = quoted.filter((q) => /\.[a-z0-9]+$/i.test(q)).map((q) => path.resolve(dir, q));
  if (files.length === 0 || files.some((f) => /[*?[]/.test(f) || !existsSync(f))) return null;
  return files;
}

/** SHA-256 of a file's bytes, read in chunks. */
function fileDigest(file: string): string {
  const h = createHash("sha256");
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n: number; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest("hex");
}
