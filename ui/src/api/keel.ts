/**
 * Keel's own routes the UI reads: `server-info` (who am I, does the server need a token),
 * `features` (which optional families the server serves), the monitoring routes
 * (`keel/monitoring/*`) and the tuning routes, which land with their issue. Where a server does not
 * serve a family, `features` says so and these functions return `{ available: false }` without
 * calling it, so the page says plainly that nothing is recorded. (A server too old to have
 * `features` counts as serving neither.)
 */
import { ApiError, get } from "./client";
import type { ServerInfo } from "./types";

/** The optional route families of `GET /api/2.0/keel/features`. */
export type Feature = "monitoring" | "studies";

let features: Promise<Partial<Record<Feature, boolean>>> | null = null;

/** Whether the server serves `feature` (asked once per page load). */
export async function serves(feature: Feature): Promise<boolean> {
  features ??= get<Partial<Record<Feature, boolean>>>("keel/features").catch((e) => {
    features = null;
    if (e instanceof ApiError && e.missingEndpoint) return {};
    throw e;
  });
  return (await features)[feature] === true;
}

export async function serverInfo(signal?: AbortSignal): Promise<ServerInfo> {
  return get<ServerInfo>("keel/server-info", undefined, signal);
}

/** A route that may not exist yet on this server. */
export type Optional<T> = { available: true; data: T } | { available: false };

async function optional<T>(feature: Feature, load: () => Promise<T>): Promise<Optional<T>> {
  if (!(await serves(feature))) return { available: false };
  return { available: true, data: await load() };
}

// ---- monitoring (`/api/2.0/keel/monitoring/...`: the monitoring store over HTTP) ---------------

/** A registered model as the monitoring picker lists it. */
export interface MonitoredModel {
  name: string;
  aliases: { alias: string; version: string }[];
  /** Version numbers, oldest first. */
  versions: string[];
}

/** A bootstrap interval around a live metric. */
export interface LiveMetric {
  estimate: number | null;
  low: number | null;
  high: number | null;
  level?: number;
}

/** The parts of a stored window's result the page draws (the server keeps the whole result). */
export interface WindowResult {
  start: string;
  end: string;
  serving: { requests: number; error_rate: number; latency_ms: { p50: number; p95: number; p99: number; max: number } | null };
  drift: { drift_share: number; dataset_drift: boolean; columns: { column: string; kind: string; test: string; statistic: number; threshold: number; drifted: boolean; psi: number }[] } | null;
  prediction_drift: { column: string; test: string; statistic: number; threshold: number; drifted: boolean; psi: number } | null;
  quality: { rows: number; findings: { code: string; column: string | null; message: string; count: number; share: number }[] } | null;
  performance: { labelled: number; task: string; metrics: Record<string, LiveMetric> } | null;
}

/** One stored monitoring window (`keel/monitoring/windows/list`). */
export interface MonitorWindow {
  model: string;
  version: string;
  window: "hour" | "day";
  start_ms: number;
  end_ms: number;
  computed_ms: number;
  requests: number;
  error_rate: number;
  drift_share: number | null;
  dataset_drift: boolean | null;
  prediction_drifted: boolean | null;
  quality_findings: number | null;
  latency_p95_ms: number | null;
  metric: { name: string; value: number } | null;
  result: WindowResult;
}

/** Registered models with aliases and versions (`keel/monitoring/models`). */
export async function monitoredModels(signal?: AbortSignal): Promise<Optional<MonitoredModel[]>> {
  return optional("monitoring", async () => (await get<{ models?: MonitoredModel[] }>("keel/monitoring/models", undefined, signal)).models ?? []);
}

/** A model's stored windows, oldest first (`keel/monitoring/windows/list`). */
export async function monitorWindows(model: string, signal?: AbortSignal): Promise<Optional<MonitorWindow[]>> {
  return optional("monitoring", async () => (await get<{ windows?: MonitorWindow[] }>("keel/monitoring/windows/list", { model }, signal)).windows ?? []);
}

// ---- studies (`GET /api/2.0/keel/studies/...`, with the tuning issue) -----------------------

export interface Study {
  study_id: string;
  name: string;
  /** "minimize" | "maximize". */
  direction: string;
  metric: string;
  trials: number;
  best_value?: number;
  best_run_id?: string;
  created?: number;
}

export interface Trial {
  number: number;
  state: string;
  value?: number;
  params: Record<string, string | number>;
  run_id?: string;
}

export async function searchStudies(signal?: AbortSignal): Promise<Optional<Study[]>> {
  return optional("studies", async () => (await get<{ studies?: Study[] }>("keel/studies/search", undefined, signal)).studies ?? []);
}

/** A study with its trials and, when computed, parameter importance (name → share, summing to 1). */
export async function getStudy(id: string, signal?: AbortSignal): Promise<Optional<{ study: Study; trials: Trial[]; importance?: Record<string, number> }>> {
  return optional("studies", () => get<{ study: Study; trials: Trial[]; importance?: Record<string, number> }>("keel/studies/get", { study_id: id }, signal));
}
