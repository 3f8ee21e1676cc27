/**
 * Rows of the tracking tables as the drivers return them, and how they become the store's
 * objects; plus the small value rules the SQL store shares (MLflow's "latest" point order).
 */
import type { LifecycleStage, Metric, RunInfo, RunStatus } from "../../wire/index.js";

export interface RunRow {
  id: number;
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  artifact_uri: string;
  lifecycle_stage: string;
  deleted_time: number | null;
  hypothesis: string | null;
  parent_run_uuid: string | null;
}

export interface ExperimentRow {
  experiment_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  deleted_time: number | null;
}


export function toRunInfo(r: RunRow): RunInfo {
  return {
    runId: r.run_uuid,
    runUuid: r.run_uuid,
    runName: r.name,
    experimentId: String(r.experiment_id),
    userId: r.user_id,
    status: r.status as RunStatus,
    startTime: Number(r.start_time),
    endTime: r.end_time === null ? null : Number(r.end_time),
    artifactUri: r.artifact_uri,
    lifecycleStage: r.lifecycle_stage as LifecycleStage,
    hypothesis: r.hypothesis,
    parentRunId: r.parent_run_uuid,
    deletedTime: r.deleted_time === null ? null : Number(r.deleted_time),
  };
}

export function metricValue(value: number | null, isNan: number): number {
  return Number(isNan) ? NaN : value === null ? NaN : Number(value);
}

/** MLflow's "latest" order of two points of one key: step, then timestamp, then value (NaN lowest). */
export function later(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? -Infinity : a.value;
  const bv = Number.isNaN(b.value) ? -Infinity : b.value;
  return av >= bv;
}

/** "1,2.5,3" → Float64Array [1, 2.5, 3]. */
export function parseNumbers(text: string): Float64Array {
  const parts = text.split(",");
  const out = new Float64Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = +parts[i];
  return out;
}

export function joinPath(root: string, ...parts: string[]): string {
  return [root.replace(/\/+$/, ""), ...parts].join("/");
}

export function now(): number {
  return Date.now();
}

/**
 * `latest_metrics` keeps, per key, the point with the highest (step, timestamp, value) — MLflow's
 * rule; NaN (stored as NULL) ranks lowest.
 */
export const LATEST_METRIC_UPDATE = `value = excluded.value, is_nan = excluded.is_nan, step = excluded.step, timestamp = excluded.timestamp
       WHERE excluded.step > latest_metrics.step
          OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
          OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp AND COALESCE(excluded.value, -1e308) >= COALESCE(latest_metrics.value, -1e308))`;

/** A batch of metric points column-major (NaN as is_nan = 1), and the latest point per key. */
export function metricColumns(metrics: readonly Metric[]) {
  const n = metrics.length;
  const keys = new Array<string>(n);
  const values = new Array<number>(n);
  const nans = new Array<number>(n);
  const steps = new Array<number>(n);
  const times = new Array<number>(n);
  const latest = new Map<string, Metric>();
  for (let i = 0; i < n; i++) {
    const m = metrics[i];
    const nan = Number.isNaN(m.value);
    keys[i] = m.key;
    values[i] = nan ? 0 : m.value;
    nans[i] = nan ? 1 : 0;
    steps[i] = m.step;
    times[i] = m.timestamp;
    const prev = latest.get(m.key);
    if (prev === undefined || later(m, prev)) latest.set(m.key, m);
  }
  const ls = [...latest.values()];
  return {
    keys,
    values,
    nans,
    steps,
    times,
    latestKeys: ls.map((m) => m.key),
    latestValues: ls.map((m) => (Number.isNaN(m.value) ? null : m.value)),
    latestNans: ls.map((m) => (Number.isNaN(m.value) ? 1 : 0)),
    latestSteps: ls.map((m) => m.step),
    latestTimes: ls.map((m) => m.timestamp),
  };
}
