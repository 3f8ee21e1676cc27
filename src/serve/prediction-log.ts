/**
 * The prediction log: every answered, rejected and shadowed request — request id, time, model,
 * version, role, status, latency, input rows, outputs, and for rejections the reason and columns —
 * so monitoring can read traffic and delayed ground truth can be joined by request id. `push`
 * serialises the record at once (its JSON line, or its stored form for a SQL writer: nothing of the
 * request outlives it, so the request's frame and prediction may be reused and never reach the
 * old generation of the heap), returns and never throws; a timer writes the queue in batches, one
 * write at a time, off the request path. When the queue is full, records are dropped and counted.
 *
 * Writers: JSON lines in a folder (the default: `<project>/.keel/predictions/`; one file per UTC day,
 * rotated by size, old files removed after the retention) or the `keel_predictions` /
 * `keel_feedback` tables of a SQL backend (used when the store is PostgreSQL).
 */
import { appendFile, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { SqlBackend, Migration } from "../backend/index.js";
import { cellValue } from "../data/index.js";
import { LineBytes, writePrediction } from "./prediction-line.js";
import type { Feedback, PredictionRecord, PredictionSink } from "./record.js";

export type { Feedback };

/** A record as it is stored: plain JSON. */
export interface StoredPrediction {
  id: string;
  time: string;
  model: string;
  version: string;
  role: string;
  protocol: string;
  status: number;
  latency_ms: number;
  rows: number;
  /** Input columns → values per row (null when rejected before parsing). */
  inputs: Record<string, unknown[]> | null;
  /** Output columns → values per row (`prediction`, `proba_<class>`). */
  outputs: Record<string, unknown[]> | null;
  error: string | null;
  columns: string[];
}


/** Where batches go. */
export interface PredictionWriter {
  writePredictions(batch: StoredPrediction[]): Promise<void>;
  /**
   * Write JSON lines: UTF-8 chunks of whole lines, each `predictionLine(record)` + "\n" (see prediction-line.ts), `lines`
   * of them. A writer with it is handed bytes, else stored records. The chunks are the log's to
   * reuse once the returned promise settles: keep no reference to them.
   */
  writeLines?(chunks: readonly Buffer[], lines: number): Promise<void>;
  writeFeedback(batch: Feedback[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A record in its stored form (runs off the request path).
 * @example
 * ```ts
 * const stored = storedPrediction(record);
 * ```
 */
export function storedPrediction(r: PredictionRecord): StoredPrediction {
  let inputs: Record<string, unknown[]> | null = null;
  if (r.inputs) {
    inputs = {};
    for (const name of r.inputs.names) {
      const col = r.inputs.column(name);
      const vals: unknown[] = new Array(r.inputs.nRows);
      for (let i = 0; i < vals.length; i++) {
        const v = cellValue(col, i);
        vals[i] = typeof v === "number" && !Number.isFinite(v) ? null : v instanceof Date ? v.toISOString() : v;
      }
      inputs[name] = vals;
    }
  }
  let outputs: Record<string, unknown[]> | null = null;
  const p = r.prediction;
  if (p) {
    outputs = {};
    if (p.codes && p.labels) outputs.prediction = Array.from(p.codes, (c) => (c < 0 ? null : p.labels![c]));
    else if (p.values) outputs.prediction = Array.from(p.values, (v) => (Number.isFinite(v) ? v : null));
    if (p.proba && p.labels) p.proba.forEach((col, j) => (outputs![`proba_${p.labels![j]}`] = Array.from(col)));
  }
  return {
    id: r.id,
    time: new Date(r.time).toISOString(),
    model: r.model,
    version: r.version,
    role: r.role,
    protocol: r.protocol,
    status: r.status,
    latency_ms: Math.round(r.latencyMs * 1000) / 1000,
    rows: p?.nRows ?? r.inputs?.nRows ?? 0,
    inputs,
    outputs,
    error: r.error,
    columns: r.columns,
  };
}

/** Options of `PredictionLog`: queue bound, flush interval and callbacks. */
export interface PredictionLogOptions {
  /** Most records waiting to be written; beyond it they are dropped and counted (default 100,000). */
  maxQueue?: number;
  /** How often a batch is written (ms, default 200). */
  flushMs?: number;
  /** Called with the number dropped each time records are dropped (for the metric). */
  onDrop?: (n: number) => void;
  /** Called when a write fails (the batch is counted as dropped). */
  onError?: (e: unknown) => void;
}

/**
 * The batching log in front of a writer.
 * @example
 * ```ts
 * const log = new PredictionLog(new JsonlWriter(".keel/predictions"), { flushMs: 1000 });
 * const app = await buildServeApp(state, { log });
 * ```
 */
export class PredictionLog implements PredictionSink {
  /** JSON lines, for a writer with `writeLines`; else stored records. */
  private readonly lines: LineBytes | null;
  private queue: StoredPrediction[] = [];
  private feedback: Feedback[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  /** Records dropped because the queue was full or a write failed. */
  dropped = 0;
  /** Records written. */
  written = 0;
  private readonly maxQueue: number;
  private readonly flushMs: number;

  constructor(
    readonly writer: PredictionWriter,
    private readonly options: PredictionLogOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 100_000;
    this.flushMs = options.flushMs ?? 200;
    this.lines = typeof writer.writeLines === "function" ? new LineBytes() : null;
  }

  /** Records waiting to be written. */
  private get waiting(): number {
    return this.lines ? this.lines.count : this.queue.length;
  }

  /** Serialise `record` now (it may be reused once this returns) and queue it. */
  push(record: PredictionRecord): void {
    if (this.waiting >= this.maxQueue) {
      this.dropped++;
      this.options.onDrop?.(1);
      return;
    }
    try {
      if (this.lines) {
        writePrediction(this.lines, record);
        this.lines.end();
      } else this.queue.push(storedPrediction(record));
    } catch (e) {
      this.lines?.abort();
      this.dropped++;
      this.options.onDrop?.(1);
      this.options.onError?.(e);
      return;
    }
    this.schedule();
  }

  /** Record ground truth for request ids (written with the next batch). */
  addFeedback(items: Feedback[]): void {
    this.feedback.push(...items);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Write everything queued now (waits for a write in progress first). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    const n = this.waiting;
    if (n === 0 && this.feedback.length === 0) return;
    const chunks = this.lines ? this.lines.take() : null;
    const batch = this.queue;
    const fb = this.feedback;
    this.queue = [];
    this.feedback = [];
    this.writing = (async () => {
      try {
        if (n > 0) await (chunks ? this.writer.writeLines!(chunks, n) : this.writer.writePredictions(batch));
        this.written += n;
      } catch (e) {
        this.dropped += n;
        this.options.onDrop?.(n);
        this.options.onError?.(e);
      }
      if (chunks) this.lines!.reuse(chunks);
      try {
        if (fb.length > 0) await this.writer.writeFeedback(fb);
      } catch (e) {
        this.options.onError?.(e);
      }
    })();
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
    if (this.waiting > 0 || this.feedback.length > 0) this.schedule();
  }

  /** Write what is queued and close the writer. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    await this.writer.close();
  }
}

/** Options of `JsonlWriter`: file rotation size, retention and the cluster worker number. */
export interface JsonlOptions {
  /** Start a new file when the current one passes this many bytes (default 100 MiB). */
  maxBytes?: number;
  /** Remove files older than this many days (default 30; 0 keeps everything). */
  retentionDays?: number;
  /** Each process of a `--workers` cluster writes its own files: `-w<worker>` before `.jsonl`. */
  worker?: number;
}

/**
 * JSON lines in `dir`: `predictions-YYYY-MM-DD[.N].jsonl` (UTC day; `.1`, `.2`, ... once a file passes
 * `maxBytes`) and `feedback-YYYY-MM-DD.jsonl`, one JSON object per line; a cluster worker's files end
 * in `-w<worker>.jsonl` so no two processes append to one file.
 * @example
 * ```ts
 * const writer = new JsonlWriter(".keel/predictions", { retentionDays: 30 });
 * ```
 */
export class JsonlWriter implements PredictionWriter {
  private part = 0;
  private day = "";
  private lastSweep = 0;

  constructor(
    readonly dir: string,
    private readonly options: JsonlOptions = {},
  ) {}

  private async target(kind: "predictions" | "feedback", bytes: number): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const day = new Date().toISOString().slice(0, 10);
    const w = this.options.worker === undefined ? "" : `-w${this.options.worker}`;
    if (kind === "feedback") return path.join(this.dir, `feedback-${day}${w}.jsonl`);
    if (day !== this.day) {
      this.day = day;
      this.part = 0;
    }
    const max = this.options.maxBytes ?? 100 * 1024 * 1024;
    for (;;) {
      const file = path.join(this.dir, `predictions-${day}${this.part === 0 ? "" : `.${this.part}`}${w}.jsonl`);
      const size = await stat(file).then((s) => s.size, () => 0);
      if (size === 0 || size + bytes <= max) return file;
      this.part++;
    }
  }

  async writePredictions(batch: StoredPrediction[]): Promise<void> {
    await this.writeLines([Buffer.from(batch.map((r) => JSON.stringify(r)).join("\n") + "\n")]);
  }

  /** Appends the chunks in order through one file handle (no concatenated copy of the batch). */
  async writeLines(chunks: readonly Buffer[]): Promise<void> {
    let bytes = 0;
    for (const c of chunks) bytes += c.length;
    const file = await open(await this.target("predictions", bytes), "a");
    try {
      for (const c of chunks) await file.appendFile(c);
    } finally {
      await file.close();
    }
    await this.sweep();
  }

  async writeFeedback(batch: Feedback[]): Promise<void> {
    const text = batch.map((r) => JSON.stringify(r)).join("\n") + "\n";
    await appendFile(await this.target("feedback", 0), text);
  }

  /** Remove files past the retention (at most once an hour). */
  private async sweep(): Promise<void> {
    const days = this.options.retentionDays ?? 30;
    if (days <= 0 || Date.now() - this.lastSweep < 3_600_000) return;
    this.lastSweep = Date.now();
    const cutoff = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    for (const f of await readdir(this.dir)) {
      const m = /^(?:predictions|feedback)-(\d{4}-\d{2}-\d{2})(?:\.\d+)?(?:-w\d+)?\.jsonl$/.exec(f);
      if (m && m[1] < cutoff) await rm(path.join(this.dir, f), { force: true });
    }
  }

  async close(): Promise<void> {}
}

/** The prediction log's tables. */
export const PREDICTION_LOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "prediction log and feedback",
    statements: (_d, t) => [
      `CREATE TABLE keel_predictions (seq ${t.id}, request_id ${t.text} NOT NULL, time ${t.bigint} NOT NULL, model ${t.text} NOT NULL, version ${t.text} NOT NULL, role ${t.text} NOT NULL, protocol ${t.text} NOT NULL, status ${t.bigint} NOT NULL, latency_ms ${t.double} NOT NULL, n_rows ${t.bigint} NOT NULL, inputs ${t.text}, outputs ${t.text}, error ${t.text}, error_columns ${t.text} NOT NULL)`,
      "CREATE INDEX keel_predictions_request ON keel_predictions (request_id)",
      "CREATE INDEX keel_predictions_model_time ON keel_predictions (model, time)",
      `CREATE TABLE keel_feedback (seq ${t.id}, request_id ${t.text} NOT NULL, model ${t.text} NOT NULL, label ${t.text}, time ${t.bigint} NOT NULL)`,
      "CREATE INDEX keel_feedback_request ON keel_feedback (request_id)",
    ],
  },
];

/**
 * The `keel_predictions` and `keel_feedback` tables of a SQL backend (SQLite or PostgreSQL).
 * @example
 * ```ts
 * const backend = await openBackend("postgres://postgres@127.0.0.1:5432/test");
 * if (backend instanceof SqlBackend) {
 *   const log = new PredictionLog(await SqlPredictionWriter.open(backend));
 * }
 * ```
 */
export class SqlPredictionWriter implements PredictionWriter {
  private constructor(readonly backend: SqlBackend) {}

  static async open(backend: SqlBackend): Promise<SqlPredictionWriter> {
    await backend.migrate("prediction-log", PREDICTION_LOG_MIGRATIONS);
    return new SqlPredictionWriter(backend);
  }

  async writePredictions(batch: StoredPrediction[]): Promise<void> {
    await this.backend.sql.transaction(async (tx) => {
      for (const r of batch) {
        await tx.run("INSERT INTO keel_predictions (request_id, time, model, version, role, protocol, status, latency_ms, n_rows, inputs, outputs, error, error_columns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
          r.id,
          Date.parse(r.time),
          r.model,
          r.version,
          r.role,
          r.protocol,
          r.status,
          r.latency_ms,
          r.rows,
          r.inputs === null ? null : JSON.stringify(r.inputs),
          r.outputs === null ? null : JSON.stringify(r.outputs),
          r.error,
          JSON.stringify(r.columns),
        ]);
      }
    });
  }

  async writeFeedback(batch: Feedback[]): Promise<void> {
    await this.backend.sql.transaction(async (tx) => {
      for (const f of batch) await tx.run("INSERT INTO keel_feedback (request_id, model, label, time) VALUES (?, ?, ?, ?)", [f.id, f.model, f.label === null ? null : JSON.stringify(f.label), Date.parse(f.time)]);
    });
  }

  /** The backend belongs to whoever opened it. */
  async close(): Promise<void> {}
}
