/**
 * Write a `Frame` as delimited text (CSV / TSV) with RFC 4180 quoting: a field holding the
 * delimiter, a double quote, a line break, or leading / trailing spaces is enclosed in double
 * quotes, with inner quotes doubled. Missing cells are written as `na` (default: empty); an empty
 * string value is written as `""`, so it stays distinct from a missing cell.
 */
import { open } from "node:fs/promises";
import { MISSING_BOOL, type Column } from "../column.js";
import type { Frame } from "../frame.js";

export interface DelimitedWriteOptions {
  /** Text for a missing cell; default "" (an empty cell). */
  readonly na?: string;
  /** Field delimiter; default ",". */
  readonly delimiter?: string;
  /** Datetimes as ISO-8601 strings (default) or as epoch milliseconds. */
  readonly datetime?: "iso" | "epoch-ms";
}

const ROWS_PER_BLOCK = 8192;

/** Quote `s` if RFC 4180 requires it (or if it could be mistaken for a missing cell). */
export function quoteField(s: string, delimiter: string, na: string): string {
  const needs =
    s === "" ||
    s === na ||
    s.includes(delimiter) ||
    s.includes('"') ||
    s.includes("\n") ||
    s.includes("\r") ||
    s.charCodeAt(0) === 32 ||
    s.charCodeAt(s.length - 1) === 32;
  return needs ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A function giving row i of a column as a field (already quoted), or `na` when missing. */
function formatter(c: Column, delimiter: string, na: string, datetime: "iso" | "epoch-ms"): (i: number) => string {
  switch (c.kind) {
    case "numeric": {
      const v = c.values;
      return (i) => (v[i] !== v[i] ? na : String(v[i]));
    }
    case "datetime": {
      const v = c.values;
      if (datetime === "epoch-ms") return (i) => (v[i] !== v[i] ? na : String(v[i]));
      return (i) => {
        const x = v[i];
        if (x !== x) return na;
        return Math.abs(x) <= 8.64e15 ? new Date(x).toISOString() : String(x);
      };
    }
    case "boolean": {
      const v = c.values;
      return (i) => (v[i] === MISSING_BOOL ? na : v[i] ? "true" : "false");
    }
    case "categorical": {
      const quoted = c.categories.map((s) => quoteField(s, delimiter, na));
      const codes = c.codes;
      return (i) => (codes[i] < 0 ? na : quoted[codes[i]]);
    }
    case "text": {
      const v = c.values;
      return (i) => {
        const s = v[i];
        return s === null ? na : quoteField(s, delimiter, na);
      };
    }
  }
}

/** Write `frame` to `file` (overwriting it) as delimited text with a header row. */
export async function writeDelimited(frame: Frame, file: string, options: DelimitedWriteOptions = {}): Promise<void> {
  const delimiter = options.delimiter ?? ",";
  const na = options.na ?? "";
  const names = frame.names;
  const fmts = names.map((n) => formatter(frame.column(n), delimiter, na, options.datetime ?? "iso"));
  const fh = await open(file, "w");
  try {
    await fh.write(names.map((n) => quoteField(n, delimiter, "")).join(delimiter) + "\n");
    const p = fmts.length;
    for (let start = 0; start < frame.nRows; start += ROWS_PER_BLOCK) {
      const end = Math.min(frame.nRows, start + ROWS_PER_BLOCK);
      const lines = new Array<string>(end - start);
      for (let i = start; i < end; i++) {
        let line = p > 0 ? fmts[0](i) : "";
        for (let j = 1; j < p; j++) line += delimiter + fmts[j](i);
        lines[i - start] = line;
      }
      await fh.write(lines.join("\n") + "\n");
    }
  } finally {
    await fh.close();
  }
}
