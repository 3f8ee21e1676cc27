/**
 * Monitoring a served version from its prediction log, window by window (UTC hours or days): for
 * each window the serving health (requests, error rate, rejections grouped by reason and columns,
 * latency percentiles), feature drift of the answered rows against the version's stored reference
 * profile, prediction drift (the logged `prediction` against the profile's predictions on the
 * training rows), data quality (missing, out of range, new categories, columns missing or unexpected
 * against the reference), and, when labels arrived, performance with bootstrap intervals.
 */
import { percentileSorted } from "../../core/index.js";
import type { ColumnKind } from "../../data/index.js";
import type { ColumnDrift } from "../drift/column-drift.js";
import { columnDrift, type DriftOptions, type DriftReport } from "../drift/drift-report.js";
import { livePerformance, type LivePerformance, type LivePerformanceOptions } from "../performance/live-performance.js";
import { driftAgainstProfile, profileDriftReference, qualityAgainstProfile, type ReferenceProfile } from "../profile/reference-profile.js";
import type { DataQualityReport } from "../quality/data-quality.js";
import { logWindows, recordsFrame, type WindowSize } from "./log-frame.js";
import type { LoggedFeedback, LoggedPrediction } from "./log-reader.js";

/** Rejected requests that share a status and the columns they were about. */
export interface Rejection {
  status: number;
  columns: string[];
  count: number;
  /** The first such request's id and message. */
  example: { id: string; error: string | null };
}

/** Serving health of logged requests: counts, error rates, rejections and latency. */
export interface ServingHealth {
  requests: number;
  /** Input rows of answered requests. */
  rows: number;
  /** Requests answered with a status ≥ 400. */
  errors: number;
  error_rate: number;
  /** Answered with 4xx: the client's request was refused (bad input, schema break). */
  rejected: number;
  /** Answered with 5xx: the server failed. */
  server_errors: number;
  /** Rejections grouped by status and columns, most frequent first. */
  rejections: Rejection[];
  /** Latency of all requests, milliseconds (null when there were none). */
  latency_ms: { p50: number; p95: number; p99: number; max: number } | null;
}

/** Everything monitored over one window: serving health, drift, prediction drift, data quality and live performance. */
export interface WindowMonitoring {
  /** ISO 8601, inclusive / exclusive. */
  start: string;
  end: string;
  serving: ServingHealth;
  /** Feature drift against the profile (null when no request was answered). */
  drift: DriftReport | null;
  /** Drift of the logged predictions against the profile's (null without both). */
  prediction_drift: ColumnDrift | null;
  quality: DataQualityReport | null;
  /** Null when no label was asked for (`labels` not given). */
  performance: LivePerformance | null;
}

/**
 * Serving health of a set of logged requests.
 * @example
 * ```ts
 * const health = servingHealth(await reader.predictions({ model: "credit", since: Date.now() - 3_600_000 }));
 * ```
 */
export function servingHealth(records: readonly LoggedPrediction[]): ServingHealth {
  let rows = 0;
  let rejected = 0;
  let serverErrors = 0;
  const groups = new Map<string, Rejection>();
  const lat = new Float64Array(records.length);
  records.forEach((r, i) => {
    lat[i] = r.latencyMs;
    if (r.status === 200) rows += r.rows;
    if (r.status >= 500) serverErrors++;
    else if (r.status >= 400) rejected++;
    if (r.status >= 400) {
      const cols = [...r.columns].sort();
      const key = `${r.status} ${JSON.stringify(cols)}`;
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { status: r.status, columns: cols, count: 1, example: { id: r.id, error: r.error } });
    }
  });
  lat.sort();
  const errors = rejected + serverErrors;
  return {
    requests: records.length,
    rows,
    errors,
    error_rate: records.length ? errors / records.length : 0,
    rejected,
    server_errors: serverErrors,
    rejections: [...groups.values()].sort((a, b) => b.count - a.count),
    latency_ms: lat.length ? { p50: percentileSorted(lat, 50), p95: percentileSorted(lat, 95), p99: percentileSorted(lat, 99), max: lat[lat.length - 1] } : null,
  };
}

/** Options of `monitorRecords` and `monitorWindows`. */
export interface MonitorRecordsOptions extends DriftOptions {
  /** Labels by request id: performance is measured when given. */
  labels?: ReadonlyMap<string, LoggedFeedback>;
  performance?: LivePerformanceOptions;
}

/**
 * Drift, quality, serving health and performance of one set of logged requests against a profile.
 * @example
 * ```ts
 * const m = monitorRecords(referenceProfile(train), records, Date.now() - 86_400_000, Date.now());
 * ```
 */
export function monitorRecords(profile: ReferenceProfile, records: readonly LoggedPrediction[], start: number, end: number, options: MonitorRecordsOptions = {}): WindowMonitoring {
  const kinds: Record<string, ColumnKind> = {};
  for (const [name, p] of Object.entries(profile.columns)) kinds[name] = p.kind;
  const live = records.filter((r) => r.role !== "shadow");
  const { inputs, prediction } = recordsFrame(live, kinds, profile.prediction?.kind);
  let drift: DriftReport | null = null;
  let quality: DataQualityReport | null = null;
  let predictionDrift: ColumnDrift | null = null;
  if (inputs.nRows > 0) {
    const { labels: _l, performance: _p, ...driftOptions } = options;
    const present = driftOptions.columns?.filter((c) => inputs.has(c));
    drift = driftAgainstProfile(profile, inputs, present ? { ...driftOptions, columns: present } : driftOptions);
    quality = qualityAgainstProfile(profile, inputs);
    if (prediction && profile.prediction) {
      const ref = profileDriftReference(profile.prediction);
      if (!("skip" in ref)) {
        const r = columnDrift("prediction", ref, prediction);
        if (!("skip" in r)) predictionDrift = r;
      }
    }
  }
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    serving: servingHealth(records),
    drift,
    prediction_drift: predictionDrift,
    quality,
    performance: options.labels ? livePerformance(live, options.labels, options.performance) : null,
  };
}

/**
 * Each window's monitoring (windows without traffic are left out), oldest first.
 * @example
 * ```ts
 * const windows = monitorWindows(referenceProfile(train), records, "hour");
 * ```
 */
export function monitorWindows(profile: ReferenceProfile, records: readonly LoggedPrediction[], size: WindowSize, options: MonitorRecordsOptions = {}): WindowMonitoring[] {
  return logWindows(records, size).map((w) => monitorRecords(profile, w.records, w.start, w.end, options));
}
