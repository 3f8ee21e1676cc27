/**
 * The monitoring store family: each window's monitoring result kept per model, version, window size
 * and window start (a window computed again replaces the old result), with the scalars a chart needs
 * in columns (requests, error rate, drift share, dataset drift, prediction drift, data-quality
 * findings, p95 latency, the primary live metric) and the whole result as JSON. Over a SQL backend
 * (SQLite or PostgreSQL, one migration, SQL written once with `?` placeholders), or over a `keel server`
 * (`RemoteMonitoringStore`, which the server answers from its own SQL store).
 */
import { type Backend, type Migration, openOver, type OpenBackendOptions, SqlBackend } from "../../backend/index.js";
import { InvalidInputError, show } from "../../core/index.js";
import type { MonitorWindow } from "../../wire/index.js";
import type { WindowSize } from "../log/log-frame.js";
import type { WindowMonitoring } from "../log/log-monitor.js";
import { RemoteMonitoringStore } from "./remote-monitoring-store.js";

/** The schema migrations of the monitoring store (family "monitoring"). */
export const MONITORING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "monitoring results per window",
    statements: (_d, t) => [
      `CREATE TABLE keel_monitor_windows (seq ${t.id}, model ${t.text} NOT NULL, version ${t.text} NOT NULL, window_size ${t.text} NOT NULL, start_ms ${t.bigint} NOT NULL, end_ms ${t.bigint} NOT NULL, computed_ms ${t.bigint} NOT NULL, requests ${t.bigint} NOT NULL, error_rate ${t.double} NOT NULL, drift_share ${t.double}, dataset_drift ${t.bigint}, prediction_drifted ${t.bigint}, quality_findings ${t.bigint}, latency_p95_ms ${t.double}, metric_name ${t.text}, metric_value ${t.double}, result ${t.text} NOT NULL)`,
      "CREATE UNIQUE INDEX keel_monitor_windows_key ON keel_monitor_windows (model, version, window_size, start_ms)",
    ],
  },
];

/** One stored window: the scalars for charts and the full result (the wire's entity, with monitor/'s result type). */
export type StoredWindow = MonitorWindow<WindowMonitoring>;

/** Which stored monitoring windows to list. */
export interface WindowQuery {
  model: string;
  version?: string;
  window?: WindowSize;
  /** Windows starting at or after (epoch ms). */
  since?: number;
  /** Windows starting before (epoch ms). */
  until?: number;
}

/** Where monitoring results are kept. */
export interface MonitoringStore {
  /** Store (or replace) the windows of a version. */
  saveWindows(model: string, version: string, window: WindowSize, results: readonly WindowMonitoring[]): Promise<void>;
  /** Stored windows, oldest first. */
  listWindows(q: WindowQuery): Promise<StoredWindow[]>;
  close(): Promise<void>;
}

const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Number(v) !== 0);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The scalars of a window result, in the table's column order after the key. */
function scalars(r: WindowMonitoring): (number | string | null)[] {
  const metricName = r.performance?.task === "regression" ? "rmse" : r.performance?.task === "classification" ? "accuracy" : null;
  const metric = metricName ? r.performance!.metrics[metricName] : undefined;
  return [
    r.serving.requests,
    r.serving.error_rate,
    r.drift ? r.drift.drift_share : null,
    r.drift ? (r.drift.dataset_drift ? 1 : 0) : null,
    r.prediction_drift ? (r.prediction_drift.drifted ? 1 : 0) : null,
    r.quality ? r.quality.findings.length : null,
    r.serving.latency_ms ? r.serving.latency_ms.p95 : null,
    metric ? metricName : null,
    metric && Number.isFinite(metric.estimate) ? metric.estimate : null,
  ];
}

/**
 * The monitoring store over a SQL backend.
 * @example
 * ```ts
 * const backend = await openBackend("sqlite:////tmp/keel.db");
 * if (backend instanceof SqlBackend) {
 *   const store = await SqlMonitoringStore.open(backend);
 *   const windows = await store.listWindows({ model: "credit", window: "hour" });
 * }
 * ```
 */
export class SqlMonitoringStore implements MonitoringStore {
  private constructor(readonly backend: SqlBackend) {}

  static async open(backend: SqlBackend): Promise<SqlMonitoringStore> {
    await backend.migrate("monitoring", MONITORING_MIGRATIONS);
    return new SqlMonitoringStore(backend);
  }

  async saveWindows(model: string, version: string, window: WindowSize, results: readonly WindowMonitoring[]): Promise<void> {
    if (!model) throw new InvalidInputError("model must be a model name, got an empty string", { path: "model", expected: "a model name", received: model });
    if (window !== "hour" && window !== "day") throw new InvalidInputError(`window must be "hour" or "day", got ${show(window)}`, { path: "window", expected: "hour or day", received: window });
    const computed = Date.now();
    await this.backend.sql.transaction(async (tx) => {
      for (const r of results) {
        const start = Date.parse(r.start);
        const end = Date.parse(r.end);
        if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new InvalidInputError(`window ${show(r.start)}–${show(r.end)} is not a time range`, { path: "start", expected: "ISO 8601 start before end", received: r.start });
        await tx.run("DELETE FROM keel_monitor_windows WHERE model = ? AND version = ? AND window_size = ? AND start_ms = ?", [model, version, window, start]);
        await tx.run(
          "INSERT INTO keel_monitor_windows (model, version, window_size, start_ms, end_ms, computed_ms, requests, error_rate, drift_share, dataset_drift, prediction_drifted, quality_findings, latency_p95_ms, metric_name, metric_value, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          [model, version, window, start, end, computed, ...scalars(r), JSON.stringify(r)],
        );
      }
    });
  }

  async listWindows(q: WindowQuery): Promise<StoredWindow[]> {
    const where = ["model = ?"];
    const params: (string | number)[] = [q.model];
    if (q.version !== undefined) (where.push("version = ?"), params.push(q.version));
    if (q.window !== undefined) (where.push("window_size = ?"), params.push(q.window));
    if (q.since !== undefined) (where.push("start_ms >= ?"), params.push(q.since));
    if (q.until !== undefined) (where.push("start_ms < ?"), params.push(q.until));
    const rows = await this.backend.sql.all<Record<string, unknown>>(`SELECT * FROM keel_monitor_windows WHERE ${where.join(" AND ")} ORDER BY start_ms, version, window_size`, params);
    return rows.map((r) => ({
      model: String(r.model),
      version: String(r.version),
      window: r.window_size as WindowSize,
      start: Number(r.start_ms),
      end: Number(r.end_ms),
      computed: Number(r.computed_ms),
      requests: Number(r.requests),
      error_rate: Number(r.error_rate),
      drift_share: num(r.drift_share),
      dataset_drift: bool(r.dataset_drift),
      prediction_drifted: bool(r.prediction_drifted),
      quality_findings: num(r.quality_findings),
      latency_p95_ms: num(r.latency_p95_ms),
      metric: r.metric_name === null || r.metric_name === undefined ? null : { name: String(r.metric_name), value: Number(r.metric_value) },
      result: JSON.parse(String(r.result)) as WindowMonitoring,
    }));
  }

  /** The backend belongs to whoever opened it. */
  async close(): Promise<void> {}
}

/**
 * Open the monitoring store over a backend or a store URI (default: as every command): SQL over
 * SQLite or PostgreSQL, HTTP over a `keel server`.
 * @example const store = await openMonitoringStore(".keel/keel.db"); await store.saveWindows("credit", "3", "hour", windows);
 */
export function openMonitoringStore(target?: string | Backend, options: OpenBackendOptions = {}): Promise<MonitoringStore> {
  return openOver(target, options, async (backend) => {
    if (backend instanceof SqlBackend) return SqlMonitoringStore.open(backend);
    return new RemoteMonitoringStore(backend);
  });
}
