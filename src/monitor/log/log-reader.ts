/**
 * Reading the serving prediction log back for monitoring: the records `keel serve` wrote (request
 * id, time, model, version, role, status, latency, inputs, outputs, the reason of a rejection) and
 * the delayed labels `keel feedback` or `POST .../feedback` stored, from either place serving keeps
 * them — JSON lines in a folder (`predictions-YYYY-MM-DD[.N][-wK].jsonl`, `feedback-…jsonl`) or the
 * `keel_predictions` / `keel_feedback` tables of a SQL store. Only reads: the write format is
 * serving's (`serve/prediction-log.ts`); this module parses it, checking each record's shape.
 */
import { createReadStream, existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { findProjectDir, openBackend, parseStoreUri, resolveStoreUri, type SqlBackend } from "../../backend/index.js";
import { InvalidInputError, show } from "../../core/index.js";

/** One logged request, as monitoring reads it. */
export interface LoggedPrediction {
  id: string;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  model: string;
  /** The version that answered ("" when none was chosen). */
  version: string;
  role: string;
  status: number;
  latencyMs: number;
  rows: number;
  /** Input column → one value per row (null when rejected before parsing). */
  inputs: Record<string, unknown[]> | null;
  /** `prediction` and `proba_<class>` → one value per row. */
  outputs: Record<string, unknown[]> | null;
  error: string | null;
  /** Columns a rejection was about. */
  columns: string[];
}

/** One delayed label. */
export interface LoggedFeedback {
  id: string;
  model: string;
  label: string | number | boolean | null;
  /** Epoch milliseconds when the label arrived. */
  time: number;
}

/** Which logged predictions to read: a model and an optional time range (epoch ms). */
export interface LogQuery {
  /** The served model name. */
  model: string;
  /** Epoch ms, inclusive (default: everything). */
  since?: number;
  /** Epoch ms, exclusive (default: now and later). */
  until?: number;
}

/** Reads one prediction log. */
export interface PredictionLogReader {
  /** Where the log is (a folder or the store's tables), for messages. */
  readonly where: string;
  /** The model's requests in [since, until), oldest first. */
  predictions(q: LogQuery): Promise<LoggedPrediction[]>;
  /** Labels for the model's requests, whenever they arrived (the newest label of a request wins). */
  feedback(q: { model: string; ids?: ReadonlySet<string> }): Promise<Map<string, LoggedFeedback>>;
  close(): Promise<void>;
}

const bad = (where: string, field: string, expected: string, received: unknown): never => {
  throw new InvalidInputError(`prediction log ${where}: ${field} must be ${expected}, got ${show(received)}`, { path: field, expected, received });
};

function columnsObject(v: unknown, where: string, field: string): Record<string, unknown[]> | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object" || Array.isArray(v)) return bad(where, field, "an object of columns", v);
  for (const [k, vals] of Object.entries(v)) if (!Array.isArray(vals)) bad(where, `${field}.${k}`, "an array of values", vals);
  return v as Record<string, unknown[]>;
}

/**
 * A stored prediction (JSON lines: `time` ISO 8601; SQL: epoch ms and JSON text columns), checked.
 * @example
 * ```ts
 * const record = parseLoggedPrediction(JSON.parse(line), "predictions/2024-05-01.jsonl:3");
 * ```
 */
export function parseLoggedPrediction(raw: Record<string, unknown>, where: string): LoggedPrediction {
  const time = typeof raw.time === "string" ? Date.parse(raw.time) : Number(raw.time);
  if (!Number.isFinite(time)) bad(where, "time", "an ISO 8601 time", raw.time);
  const str = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : bad(where, k, "a string", raw[k]));
  const num = (k: string) => (Number.isFinite(Number(raw[k])) && raw[k] !== null ? Number(raw[k]) : bad(where, k, "a number", raw[k]));
  const cols = raw.columns ?? [];
  if (!Array.isArray(cols) || !cols.every((c) => typeof c === "string")) bad(where, "columns", "an array of column names", cols);
  return {
    id: str("id"),
    time,
    model: str("model"),
    version: str("version"),
    role: str("role"),
    status: num("status"),
    latencyMs: num("latency_ms"),
    rows: num("rows"),
    inputs: columnsObject(raw.inputs, where, "inputs"),
    outputs: columnsObject(raw.outputs, where, "outputs"),
    error: raw.error === null || raw.error === undefined ? null : String(raw.error),
    columns: cols as string[],
  };
}

function parseFeedback(raw: Record<string, unknown>, where: string): LoggedFeedback {
  const time = typeof raw.time === "string" ? Date.parse(raw.time) : Number(raw.time);
  if (typeof raw.id !== "string") bad(where, "id", "a request id", raw.id);
  const label = raw.label;
  if (label !== null && !["string", "number", "boolean"].includes(typeof label)) bad(where, "label", "a string, number, boolean or null", label);
  return { id: raw.id as string, model: String(raw.model), label: label as LoggedFeedback["label"], time: Number.isFinite(time) ? time : 0 };
}

const DAY_FILE = /^(predictions|feedback)-(\d{4}-\d{2}-\d{2})(?:\.\d+)?(?:-w\d+)?\.jsonl$/;

/**
 * The JSON-lines folder `keel serve` writes by default.
 * @example
 * ```ts
 * const reader = new JsonlLogReader(".keel/predictions");
 * const records = await reader.predictions({ model: "credit" });
 * ```
 */
export class JsonlLogReader implements PredictionLogReader {
  constructor(readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  private async files(kind: "predictions" | "feedback", sinceDay?: string, untilDay?: string): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    const out: string[] = [];
    for (const f of (await readdir(this.dir)).sort()) {
      const m = DAY_FILE.exec(f);
      if (!m || m[1] !== kind) continue;
      if (sinceDay && m[2] < sinceDay) continue;
      if (untilDay && m[2] > untilDay) continue;
      out.push(path.join(this.dir, f));
    }
    return out;
  }

  /** Each line's object; a line that is not JSON fails, except the last one (a write in progress). */
  private async *lines(file: string): AsyncGenerator<[Record<string, unknown>, string]> {
    const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
    let n = 0;
    let broken: [string, string] | null = null;
    for await (const line of rl) {
      n++;
      if (line.trim() === "") continue;
      if (broken) bad(broken[0], "the line", "JSON", broken[1]);
      const where = `${file}:${n}`;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        broken = [where, line.slice(0, 80)];
        continue;
      }
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) bad(where, "the line", "a JSON object", raw);
      yield [raw as Record<string, unknown>, where];
    }
  }

  async predictions(q: LogQuery): Promise<LoggedPrediction[]> {
    const day = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString().slice(0, 10));
    const out: LoggedPrediction[] = [];
    for (const file of await this.files("predictions", day(q.since), day(q.until))) {
      for await (const [raw, where] of this.lines(file)) {
        if (raw.model !== q.model) continue;
        const r = parseLoggedPrediction(raw, where);
        if ((q.since === undefined || r.time >= q.since) && (q.until === undefined || r.time < q.until)) out.push(r);
      }
    }
    return out.sort((a, b) => a.time - b.time);
  }

  async feedback(q: { model: string; ids?: ReadonlySet<string> }): Promise<Map<string, LoggedFeedback>> {
    const out = new Map<string, LoggedFeedback>();
    for (const file of await this.files("feedback")) {
      for await (const [raw, where] of this.lines(file)) {
        if (raw.model !== q.model || (q.ids && !q.ids.has(raw.id as string))) continue;
        const f = parseFeedback(raw, where);
        const seen = out.get(f.id);
        if (!seen || seen.time <= f.time) out.set(f.id, f);
      }
    }
    return out;
  }

  async close(): Promise<void> {}
}

/**
 * The `keel_predictions` / `keel_feedback` tables of a SQL store (PostgreSQL in production, SQLite alike).
 * @example
 * ```ts
 * const backend = await openBackend("postgres://postgres@127.0.0.1:5432/test");
 * if (backend instanceof SqlBackend) {
 *   const records = await new SqlLogReader(backend).predictions({ model: "credit" });
 * }
 * ```
 */
export class SqlLogReader implements PredictionLogReader {
  constructor(
    readonly backend: SqlBackend,
    private readonly owned = false,
  ) {}

  get where(): string {
    return `the keel_predictions table of ${this.backend.uri}`;
  }

  private async hasTable(name: string): Promise<boolean> {
    const sql = this.backend.sql;
    const row =
      sql.dialect === "sqlite"
        ? await sql.get("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        : await sql.get("SELECT 1 AS found FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()", [name]);
    return row !== undefined;
  }

  async predictions(q: LogQuery): Promise<LoggedPrediction[]> {
    if (!(await this.hasTable("keel_predictions"))) return [];
    const rows = await this.backend.sql.all<Record<string, unknown>>(
      "SELECT request_id, time, model, version, role, status, latency_ms, n_rows, inputs, outputs, error, error_columns FROM keel_predictions WHERE model = ? AND time >= ? AND time < ? ORDER BY time, seq",
      [q.model, q.since ?? 0, q.until ?? Number.MAX_SAFE_INTEGER],
    );
    return rows.map((r) => {
      const where = `keel_predictions request ${show(r.request_id)}`;
      const json = (v: unknown, field: string) => {
        if (v === null || v === undefined) return null;
        try {
          return JSON.parse(String(v)) as unknown;
        } catch {
          return bad(where, field, "JSON", String(v).slice(0, 80));
        }
      };
      return parseLoggedPrediction(
        { id: r.request_id, time: Number(r.time), model: r.model, version: r.version, role: r.role, status: r.status, latency_ms: r.latency_ms, rows: r.n_rows, inputs: json(r.inputs, "inputs"), outputs: json(r.outputs, "outputs"), error: r.error, columns: json(r.error_columns, "error_columns") ?? [] },
        where,
      );
    });
  }

  async feedback(q: { model: string; ids?: ReadonlySet<string> }): Promise<Map<string, LoggedFeedback>> {
    const out = new Map<string, LoggedFeedback>();
    if (!(await this.hasTable("keel_feedback"))) return out;
    const rows = await this.backend.sql.all<Record<string, unknown>>("SELECT request_id, model, label, time FROM keel_feedback WHERE model = ? ORDER BY time, seq", [q.model]);
    for (const r of rows) {
      const id = String(r.request_id);
      if (q.ids && !q.ids.has(id)) continue;
      let label: unknown = null;
      if (r.label !== null && r.label !== undefined) {
        try {
          label = JSON.parse(String(r.label));
        } catch {
          bad(`keel_feedback request ${show(id)}`, "label", "JSON", r.label);
        }
      }
      out.set(id, parseFeedback({ id, model: r.model, label, time: Number(r.time) }, `keel_feedback request ${show(id)}`));
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.owned) await this.backend.close();
  }
}

/**
 * The prediction log serving writes for this store, as `keel serve` and `keel feedback` choose it:
 * a PostgreSQL store's tables, else the JSON-lines folder (`logDir`, default `.keel/predictions` in
 * the project).
 * @example
 * ```ts
 * const reader = await openLogReader({ logDir: ".keel/predictions" });
 * const records = await reader.predictions({ model: "credit", since: Date.now() - 86_400_000 });
 * ```
 */
export async function openLogReader(options: { store?: string; logDir?: string } = {}): Promise<PredictionLogReader> {
  if (!options.logDir && parseStoreUri(resolveStoreUri(options.store)).kind === "postgres") return new SqlLogReader((await openBackend(options.store)) as SqlBackend, true);
  return new JsonlLogReader(options.logDir ?? path.join(findProjectDir(), ".keel", "predictions"));
}
