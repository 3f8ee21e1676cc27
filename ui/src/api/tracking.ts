/** Experiments, runs, metric histories and artifacts: MLflow's tracking API plus Keel's artifact head. */
import { get, getAll, request, send } from "./client";
import type { ArtifactHead, Experiment, FileInfo, Metric, Paged, Run } from "./types";

export async function searchExperiments(signal?: AbortSignal): Promise<Experiment[]> {
  return getAll<Experiment>("mlflow/experiments/search", "experiments", { max_results: 1000, order_by: ["last_update_time DESC"] }, signal);
}

export async function getExperiment(id: string, signal?: AbortSignal): Promise<Experiment> {
  return (await get<{ experiment: Experiment }>("mlflow/experiments/get", { experiment_id: id }, signal)).experiment;
}

export interface RunSearch {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

/** One page of `runs/search` (server-side filter, sort and paging). */
export async function searchRuns(q: RunSearch, signal?: AbortSignal): Promise<Paged<Run>> {
  const r = await send<{ runs?: Run[]; next_page_token?: string }>(
    "POST",
    "mlflow/runs/search",
    { experiment_ids: q.experimentIds, filter: q.filter ?? "", order_by: q.orderBy ?? [], max_results: q.maxResults ?? 200, page_token: q.pageToken },
    signal,
  );
  return { items: r.runs ?? [], nextPageToken: r.next_page_token };
}

export async function getRun(runId: string, signal?: AbortSignal): Promise<Run> {
  return (await get<{ run: Run }>("mlflow/runs/get", { run_id: runId }, signal)).run;
}

/** A metric's history downsampled on the server (LTTB), optionally within a step range. */
export async function sampledHistory(runId: string, key: string, opts: { maxPoints?: number; startStep?: number; endStep?: number } = {}, signal?: AbortSignal): Promise<Metric[]> {
  const r = await get<{ metrics?: Metric[] }>("mlflow/metrics/get-history-sampled", { run_id: runId, metric_key: key, max_points: opts.maxPoints ?? 1000, start_step: opts.startStep, end_step: opts.endStep }, signal);
  return r.metrics ?? [];
}

/** One metric for several runs (at most 100), each downsampled: MLflow UI's bulk route. */
export async function bulkHistory(runIds: string[], key: string, maxPoints = 500, signal?: AbortSignal): Promise<(Metric & { run_id: string })[]> {
  const r = await get<{ metrics?: (Metric & { run_id: string })[] }>("mlflow/metrics/get-history-bulk-interval", { run_ids: runIds, metric_key: key, max_results: maxPoints }, signal);
  return r.metrics ?? [];
}

export async function listArtifacts(runId: string, path = "", signal?: AbortSignal): Promise<FileInfo[]> {
  const r = await get<{ files?: FileInfo[] }>("mlflow/artifacts/list", { run_id: runId, path: path || undefined }, signal);
  return r.files ?? [];
}

/** A whole artifact file (images, downloads). */
export async function artifactBlob(runId: string, path: string, signal?: AbortSignal): Promise<Blob> {
  return (await request("GET", "/get-artifact", { query: { run_id: runId, path }, signal })).blob();
}

/** The first `maxBytes` of an artifact as text (Keel's `artifacts/head`): previews of large files stay cheap. */
export async function artifactHead(runId: string, path: string, maxBytes = 256 * 1024, signal?: AbortSignal): Promise<ArtifactHead> {
  return get<ArtifactHead>("keel/artifacts/head", { run_id: runId, path, max_bytes: maxBytes }, signal);
}

/** A JSON artifact, or null when the run has no such file. */
export async function artifactJson<T>(runId: string, path: string, signal?: AbortSignal): Promise<T | null> {
  try {
    const head = await artifactHead(runId, path, 16 * 1024 * 1024, signal);
    return JSON.parse(head.text) as T;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

/** A text artifact, or null when absent. */
export async function artifactText(runId: string, path: string, signal?: AbortSignal): Promise<string | null> {
  try {
    return (await artifactHead(runId, path, 4 * 1024 * 1024, signal)).text;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}
