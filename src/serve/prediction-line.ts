/**
 * A prediction record as its JSON line — `JSON.stringify(storedPrediction(r))`, byte for byte (a
 * test checks it) — written piece by piece straight from the record: no stored object, no arrays
 * of boxed values, no line string. The JSON-lines log writes it into its UTF-8 chunks (`LineBytes`)
 * on the request path; the JSON of names a run of records shares (columns, classes, model, version)
 * is made once.
 */
import { type Column, MISSING_BOOL, type Frame } from "../data/index.js";
import type { PredictionRecord } from "./record.js";

/** Where a line goes, piece by piece. */
export interface LineSink {
  /** Text that is JSON already. */
  raw(s: string): void;
  /** `s` as a JSON string (`JSON.stringify(s)`). */
  text(s: string): void;
}

/** A record's time as ISO 8601; consecutive records mostly share their millisecond, so the last one is kept. */
let lastTime = NaN;
let lastIso = "";
function isoTime(ms: number): string {
  if (ms !== lastTime) {
    lastTime = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

const str = (v: string) => JSON.stringify(v);
const finite = (x: number) => (Number.isFinite(x) ? String(x) : "null");

/** One column's values as a JSON array, as `storedPrediction` stores them. */
function writeColumn(out: LineSink, col: Column, n: number): void {
  out.raw("[");
  for (let i = 0; i < n; i++) {
    if (i > 0) out.raw(",");
    switch (col.kind) {
      case "numeric":
        out.raw(finite(col.values[i]));
        break;
      case "categorical": {
        const k = col.codes[i];
        if (k < 0) out.raw("null");
        else out.text(col.categories[k]);
        break;
      }
      case "boolean":
        out.raw(col.values[i] === MISSING_BOOL ? "null" : col.values[i] === 1 ? "true" : "false");
        break;
      case "datetime": {
        const v = col.values[i];
        out.raw(Number.isFinite(v) ? `"${new Date(v).toISOString()}"` : "null");
        break;
      }
      case "text": {
        const v = col.values[i];
        if (v === null) out.raw("null");
        else out.text(v);
      }
    }
  }
  out.raw("]");
}

/** The JSON keys of the last frame's columns (`{"a":`, `,"b":`, ...): a reused one-row frame has them made once. */
let keyFrame: Frame | null = null;
let keyNames: string[] = [];
let keyJson: string[] = [];
/** The `proba_<class>` keys of the last class list. */
let probaLabels: readonly string[] | null = null;
let probaJson: string[] = [];
/** `"model":…,"version":…,"role":…,"protocol":…,` of the last record. */
let whoModel = "";
let whoVersion = "";
let whoRole = "";
let whoProtocol = "";
let whoJson = "";

/**
 * Write `r`'s JSON line (without the newline) to `out`.
 * @example
 * ```ts
 * const parts: string[] = [];
 * writePrediction({ raw: (s) => parts.push(s), text: (s) => parts.push(JSON.stringify(s)) }, record);
 * ```
 */
export function writePrediction(out: LineSink, r: PredictionRecord): void {
  out.raw('{"id":');
  out.text(r.id);
  out.raw(',"time":"');
  out.raw(isoTime(r.time));
  out.raw('",');
  if (r.model !== whoModel || r.version !== whoVersion || r.role !== whoRole || r.protocol !== whoProtocol) {
    whoModel = r.model;
    whoVersion = r.version;
    whoRole = r.role;
    whoProtocol = r.protocol;
    whoJson = `"model":${str(r.model)},"version":${str(r.version)},"role":${str(r.role)},"protocol":${str(r.protocol)},`;
  }
  out.raw(whoJson);
  const p = r.prediction;
  const f = r.inputs;
  out.raw('"status":');
  out.raw(String(r.status));
  out.raw(',"latency_ms":');
  out.raw(finite(Math.round(r.latencyMs * 1000) / 1000));
  out.raw(',"rows":');
  out.raw(String(p?.nRows ?? f?.nRows ?? 0));
  out.raw(',"inputs":');
  if (f) {
    if (f !== keyFrame) {
      keyFrame = f;
      keyNames = f.names;
      keyJson = keyNames.map((name, i) => (i === 0 ? "{" : ",") + str(name) + ":");
    }
    if (keyNames.length === 0) out.raw("{");
    for (let j = 0; j < keyNames.length; j++) {
      out.raw(keyJson[j]);
      writeColumn(out, f.column(keyNames[j]), f.nRows);
    }
    out.raw("}");
  } else out.raw("null");
  out.raw(',"outputs":');
  if (p) {
    const n = p.nRows;
    out.raw("{");
    let first = true;
    if (p.codes && p.labels) {
      out.raw('"prediction":[');
      for (let i = 0; i < n; i++) {
        if (i > 0) out.raw(",");
        const c = p.codes[i];
        if (c < 0) out.raw("null");
        else out.text(p.labels[c]);
      }
      out.raw("]");
      first = false;
    } else if (p.values) {
      out.raw('"prediction":[');
      for (let i = 0; i < n; i++) out.raw(i > 0 ? "," + finite(p.values[i]) : finite(p.values[i]));
      out.raw("]");
      first = false;
    }
    if (p.proba && p.labels) {
      if (p.labels !== probaLabels) {
        probaLabels = p.labels;
        probaJson = p.labels.map((l) => str(`proba_${l}`) + ":[");
      }
      for (let j = 0; j < p.proba.length; j++) {
        const col = p.proba[j];
        if (!first) out.raw(",");
        first = false;
        out.raw(probaJson[j]);
        for (let i = 0; i < n; i++) out.raw(i > 0 ? "," + finite(col[i]) : finite(col[i]));
        out.raw("]");
      }
    }
    out.raw("}");
  } else out.raw("null");
  out.raw(',"error":');
  if (r.error === null) out.raw("null");
  else out.text(r.error);
  out.raw(',"columns":');
  out.raw(r.columns.length === 0 ? "[]" : JSON.stringify(r.columns));
  out.raw("}");
}

/**
 * `JSON.stringify(storedPrediction(r))`, written straight from the record (see `writePrediction`).
 * @example
 * ```ts
 * appendFileSync("predictions.jsonl", predictionLine(record) + "\n");
 * ```
 */
export function predictionLine(r: PredictionRecord): string {
  let line = "";
  writePrediction({ raw: (s) => (line += s), text: (s) => (line += str(s)) }, r);
  return line;
}

/** Bytes of a chunk of `LineBytes`. */
const CHUNK = 256 * 1024;
/** Written chunks kept for reuse (16 MiB: a few flushes' worth at full rate). */
const SPARE_CHUNKS = 64;

/**
 * JSON lines as UTF-8 bytes, written piece by piece into chunks outside the JS heap: no line
 * string is made (the serialisation was most of a request's garbage, and the garbage is what
 * sets how often the young generation is collected), and a batch is written as it stands — no
 * join, no encoding at write time. Written chunks come back (`reuse`) and are filled again: a
 * fresh 256 KiB chunk per 500 lines would grow Node's external memory by megabytes a second, each
 * chunk outliving a scavenge, and V8 answers that growth with mark-compact collections ("external
 * memory pressure") — pauses of several ms on the request thread, the serving tail.
 * @example
 * ```ts
 * const bytes = new LineBytes();
 * writePrediction(bytes, record);
 * bytes.end();
 * const chunks = bytes.take();
 * ```
 */
export class LineBytes implements LineSink {
  private chunks: Buffer[] = [];
  private current: Buffer | null = null;
  private at = 0;
  /** Where the line being written starts in `current`. */
  private lineStart = 0;
  private readonly spare: Buffer[] = [];
  /** Lines held. */
  count = 0;

  raw(s: string): void {
    this.room(3 * s.length);
    this.put(s);
  }

  text(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      // quotes, backslashes and control characters are escaped, lone surrogates too: JSON.stringify's way
      if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return this.raw(str(s));
    }
    this.room(3 * s.length + 2);
    this.current![this.at++] = 34;
    this.put(s);
    this.current![this.at++] = 34;
  }

  /** End the line (a newline). */
  end(): void {
    this.room(1);
    this.current![this.at++] = 10;
    this.lineStart = this.at;
    this.count++;
  }

  /** Forget the line begun. */
  abort(): void {
    this.at = this.lineStart;
  }

  /** UTF-8 of `s` at `at` (room made): ASCII byte by byte, the rest through Buffer's encoder. */
  private put(s: string): void {
    const buf = this.current!;
    let at = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        at += buf.write(i === 0 ? s : s.slice(i), at, "utf8");
        break;
      }
      buf[at++] = c;
    }
    this.at = at;
  }

  /** At least `n` bytes free after `at`: else the line so far moves to a fresh chunk, and the full lines before it are sealed. */
  private room(n: number): void {
    const old = this.current;
    if (old !== null && this.at + n <= old.length) return;
    const partial = this.at - this.lineStart;
    const size = partial + n;
    const fresh = size <= CHUNK ? (this.spare.pop() ?? Buffer.allocUnsafe(CHUNK)) : Buffer.allocUnsafe(2 * size);
    if (old !== null) {
      old.copy(fresh, 0, this.lineStart, this.at);
      this.seal(old, this.lineStart);
    }
    this.current = fresh;
    this.at = partial;
    this.lineStart = 0;
  }

  /** Queue `buf`'s first `end` bytes for writing (or keep it as a spare when it holds none). */
  private seal(buf: Buffer, end: number): void {
    if (end > 0) this.chunks.push(buf.subarray(0, end));
    else if (buf.length === CHUNK && this.spare.length < SPARE_CHUNKS) this.spare.push(buf);
  }

  /** The chunks of whole lines held, and start afresh (between lines). */
  take(): Buffer[] {
    if (this.current !== null) this.seal(this.current, this.lineStart);
    this.current = null;
    this.at = this.lineStart = 0;
    const out = this.chunks;
    this.chunks = [];
    this.count = 0;
    return out;
  }

  /** Chunks from `take` that were written: filled again by later lines (a chunk made for one long line is let go). */
  reuse(chunks: readonly Buffer[]): void {
    for (const c of chunks) {
      if (this.spare.length >= SPARE_CHUNKS) return;
      if (c.byteOffset === 0 && c.buffer.byteLength === CHUNK) this.spare.push(Buffer.from(c.buffer, 0, CHUNK));
    }
  }
}
