/**
 * The JSON of monitoring windows (Keel's `keel/monitoring/*` routes): snake_case fields, times as
 * epoch-ms integers (`start_ms`, `end_ms`, `computed_ms`), doubles as numbers with non-finite ones
 * as protobuf's strings ("NaN", "Infinity"), absent values as `null`, and the per-window result as
 * the JSON object it is. The server encodes with it and the remote monitoring store decodes with it.
 */
import { InvalidInputError, show } from "../core/index.js";
import { MONITOR_WINDOW_SIZES, type MonitorWindow, type MonitorWindowSize } from "./monitor-entities.js";
import { decodeDouble, decodeInt, encodeDouble, type JsonObject } from "./tracking-json.js";

const optDouble = (v: number | null): number | string | null => (v === null ? null : encodeDouble(v));

/**
 * A stored window as JSON.
 * @example
 * ```ts
 * const json = encodeMonitorWindow(stored);
 * ```
 */
export function encodeMonitorWindow(w: MonitorWindow<unknown>): JsonObject {
  return {
    model: w.model,
    version: w.version,
    window: w.window,
    start_ms: w.start,
    end_ms: w.end,
    computed_ms: w.computed,
    requests: w.requests,
    error_rate: encodeDouble(w.error_rate),
    drift_share: optDouble(w.drift_share),
    dataset_drift: w.dataset_drift,
    prediction_drifted: w.prediction_drifted,
    quality_findings: w.quality_findings,
    latency_p95_ms: optDouble(w.latency_p95_ms),
    metric: w.metric === null ? null : { name: w.metric.name, value: encodeDouble(w.metric.value) },
    result: w.result,
  };
}

function bad(what: string, v: unknown): never {
  throw new InvalidInputError(`server response: monitoring window ${what} ${show(v)} is not valid`, { path: `window.${what}`, received: v });
}

function object(v: unknown, what: string): JsonObject {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad(what, v);
  return v as JsonObject;
}

function text(o: JsonObject, key: string): string {
  return typeof o[key] === "string" ? (o[key] as string) : bad(key, o[key]);
}

function int(o: JsonObject, key: string): number {
  return decodeInt(o[key]) ?? bad(key, o[key]);
}

function double(o: JsonObject, key: string): number {
  return decodeDouble(o[key]) ?? bad(key, o[key]);
}

function nullable<T>(o: JsonObject, key: string, read: (o: JsonObject, key: string) => T): T | null {
  return o[key] === null || o[key] === undefined ? null : read(o, key);
}

function bool(o: JsonObject, key: string): boolean {
  return typeof o[key] === "boolean" ? (o[key] as boolean) : bad(key, o[key]);
}

/**
 * A stored window from JSON; INVALID_INPUT naming the field when the server sent something else.
 * @example
 * ```ts
 * const window = decodeMonitorWindow(body.window);
 * ```
 */
export function decodeMonitorWindow(v: unknown): MonitorWindow {
  const o = object(v, "(the window)");
  const window = text(o, "window");
  if (!MONITOR_WINDOW_SIZES.includes(window as MonitorWindowSize)) bad("window", window);
  const metric = o.metric === null || o.metric === undefined ? null : object(o.metric, "metric");
  return {
    model: text(o, "model"),
    version: text(o, "version"),
    window: window as MonitorWindowSize,
    start: int(o, "start_ms"),
    end: int(o, "end_ms"),
    computed: int(o, "computed_ms"),
    requests: int(o, "requests"),
    error_rate: double(o, "error_rate"),
    drift_share: nullable(o, "drift_share", double),
    dataset_drift: nullable(o, "dataset_drift", bool),
    prediction_drifted: nullable(o, "prediction_drifted", bool),
    quality_findings: nullable(o, "quality_findings", int),
    latency_p95_ms: nullable(o, "latency_p95_ms", double),
    metric: metric === null ? null : { name: text(metric, "name"), value: double(metric, "value") },
    result: object(o.result, "result"),
  };
}
