/**
 * Find the first record of a delimited text file whose field count differs from the header's.
 * Used only after DuckDB refused a CSV, to turn its refusal into "line N has K fields, expected M".
 * Also a bound on a file's records before it is read (`recordBound`), to size the read's arrays.
 * Quotes follow RFC 4180: a field starting with `"` runs to the next lone `"`, and may hold
 * delimiters and line breaks; `""` inside it is a literal quote.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";

export interface RaggedRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  readonly line: number;
  readonly fields: number;
  readonly expected: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The first record whose field count differs from the header's, or null if every record matches. */
export async function findRaggedRow(file: string, delimiter: string): Promise<RaggedRow | null> {
  const delim = delimiter.charCodeAt(0);
  let stream: Readable = createReadStream(file);
  if (file.toLowerCase().endsWith(".gz")) stream = stream.pipe(createGunzip());
  else if (file.toLowerCase().endsWith(".zst")) return null;

  let line = 1; // current physical line
  let recordLine = 1; // line where the current record started
  let fields = 1;
  let recordEmpty = true; // no byte seen in the current record yet
  let inQuotes = false;
  let quotePending = false; // saw a quote while in quotes: either the end or the first of ""
  let fieldStart = true;
  let lastCR = false;
  let expected = -1;
  let found: RaggedRow | null = null;

  const endRecord = (): boolean => {
    if (!recordEmpty) {
      if (expected < 0) expected = fields;
      else if (fields !== expected) {
        found = { line: recordLine, fields, expected };
        return true;
      }
    }
    fields = 1;
    recordEmpty = true;
    fieldStart = true;
    recordLine = line;
    return false;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (lastCR) {
          lastCR = false;
          if (c === LF) continue;
        }
        if (inQuotes) {
          if (quotePending) {
            quotePending = false;
            if (c === QUOTE) continue; // an escaped quote
            inQuotes = false; // the quote closed the field; fall through to handle c
          } else {
            if (c === QUOTE) quotePending = true;
            else if (c === LF || c === CR) {
              line++;
              if (c === CR) lastCR = true;
            }
            continue;
          }
        }
        if (c === LF || c === CR) {
          line++;
          if (c === CR) lastCR = true;
          if (endRecord()) return found;
          continue;
        }
        recordEmpty = false;
        if (c === delim) {
          fields++;
          fieldStart = true;
          continue;
        }
        if (c === QUOTE && fieldStart) {
          inQuotes = true;
          quotePending = false;
        }
        fieldStart = false;
      }
    }
    endRecord();
    return found;
  } finally {
    stream.destroy();
  }
}

/** Bytes read at a time by `recordBound`. */
const BOUND_CHUNK = 1 << 22;

/**
 * At most how many records follow the header of an uncompressed text file: its line feeds, less
 * the one ending the last record when the file ends in one. Quoted line breaks and blank lines
 * make the bound loose, carriage-return-only line ends make it too small: a reader sizes its
 * arrays by it and copes with either. Null for compressed files (`.gz`, `.zst`).
 * @example
 * ```ts
 * const bound = await recordBound("train.csv"); // 500000 for a header and 500,000 lines
 * ```
 */
export async function recordBound(file: string): Promise<number | null> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".gz") || lower.endsWith(".zst")) return null;
  const fh = await open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(BOUND_CHUNK);
    let feeds = 0;
    let last = -1;
    for (let n: number; (n = (await fh.read(buf, 0, BOUND_CHUNK, null)).bytesRead) > 0; ) {
      for (let i = buf.indexOf(LF); i !== -1 && i < n; i = buf.indexOf(LF, i + 1)) feeds++;
      last = buf[n - 1];
    }
    return Math.max(0, last === LF ? feeds - 1 : feeds);
  } finally {
    await fh.close();
  }
}
