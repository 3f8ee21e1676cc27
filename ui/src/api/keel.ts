/**
 * Keel's own routes the UI reads: `server-info` (who am I, does the server need a token),
 * `features` (which optional families the server serves), and the monitoring and tuning routes,
 * which land with their issues. Until the server serves a family, `features` says so and these
 * functions return `{ available: false }` without calling it, so the monitoring and studies pages
 * say plainly that nothing is recorded yet — and light up, unchanged, once the server serves the
 * shapes below. (A server too old to have `features` counts as serving neither.)
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

// ---- monitoring (`GET /api/2.0/keel/monitoring/...`, with the monitoring issue) ------------

/** One drift measurement of one column of a model's inputs over a window. */
export interface DriftPoint {
  column: string;
  /** Window end, epoch ms. */
  timestamp: number;
  /** "psi", "ks", "chi2", "jensen_shannon", "wasserstein". */
  statistic: string;
  value: number;
  /** Past the configured threshold. */
  drifted: boolean;
}

export interface MonitoringSummary {
  model_name: string;
  drift: DriftPoint[];
  /** Data-quality counts per window: missing values, unseen categories, out-of-range values, schema errors. */
  quality: { timestamp: number; rows: number; missing: number; unseen_categories: number; out_of_range: number; schema_errors: number }[];
  /** Performance once delayed labels arrived: metric per window. */
  performance: { timestamp: number; metric: string; value: number; labelled_rows: number }[];
  alerts: { timestamp: number; severity: string; message: string }[];
}

/** Models being monitored (`keel/monitoring/models` → `models: [{ name, alias, since }]`). */
export async function monitoredModels(signal?: AbortSignal): Promise<Optional<{ name: string; alias?: string; since?: number }[]>> {
  return optional("monitoring", async () => (await get<{ models?: { name: string; alias?: string; since?: number }[] }>("keel/monitoring/models", undefined, signal)).models ?? []);
}

/** Drift, quality, performance and alerts for one model (`keel/monitoring/summary?model_name=`). */
export async function monitoringSummary(name: string, signal?: AbortSignal): Promise<Optional<MonitoringSummary>> {
  return optional("monitoring", () => get<MonitoringSummary>("keel/monitoring/summary", { model_name: name }, signal));
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
