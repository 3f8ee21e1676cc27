/**
 * The monitoring store over a `keel server` (an `http(s)://` backend): windows saved through
 * `POST /api/2.0/keel/monitoring/windows/save` and read through `GET .../monitoring/windows/list`,
 * in the JSON of `wire/monitor-json.ts`. The server keeps them in its own SQL store, which checks
 * them as it does for a local caller (a bad window refuses the whole batch). It is a
 * `MonitoringStore` (checked where `openMonitoringStore` returns it).
 */
import type { HttpBackend } from "../../backend/index.js";
import { decodeMonitorWindow, type MonitorWindow } from "../../wire/index.js";
import type { WindowSize } from "../log/log-frame.js";
import type { WindowMonitoring } from "../log/log-monitor.js";

/** `WindowQuery` of monitoring-store.ts (restated, as that file opens this one). */
interface Query {
  model: string;
  version?: string;
  window?: WindowSize;
  since?: number;
  until?: number;
}

const MONITORING = "/api/2.0/keel/monitoring";

export class RemoteMonitoringStore {
  constructor(readonly backend: HttpBackend) {}

  async saveWindows(model: string, version: string, window: WindowSize, results: readonly WindowMonitoring[]): Promise<void> {
    await this.backend.http.call("POST", `${MONITORING}/windows/save`, { model, version, window, results });
  }

  async listWindows(q: Query): Promise<MonitorWindow<WindowMonitoring>[]> {
    const r = await this.backend.http.call("GET", `${MONITORING}/windows/list`, { model: q.model, version: q.version, window: q.window, since_ms: q.since, until_ms: q.until });
    if (!Array.isArray(r.windows)) return [];
    return r.windows.map((w) => decodeMonitorWindow(w) as MonitorWindow<unknown> as MonitorWindow<WindowMonitoring>);
  }

  /** The backend belongs to whoever opened it. */
  async close(): Promise<void> {}
}
