/**
 * `TrackingStore` over an HTTP backend: each method is one call to a `keel server`'s MLflow REST
 * API (or, where MLflow has none, Keel's `/api/2.0/keel/` endpoints). The same library and CLI
 * code thus works against SQLite, PostgreSQL and a server URL. Errors come back as the Keel
 * errors the server's store raised.
 */
import type { HttpBackend, HttpMethod } from "../backend/index.js";
import { InvalidInputError, UnsupportedError } from "../core/errors.js";
import {
  decodeExperiment,
  decodeMetric,
  decodePage,
  decodeRun,
  decodeRunInfo,
  encodeDatasetInput,
  encodeMetric,
  encodeTags,
  type DatasetInput,
  type Experiment,
  type JsonObject,
  type Metric,
  type Page,
  type Param,
  type Run,
  type RunInfo,
  type RunTag,
} from "../wire/index.js";
import type {
  CreateExperimentInput,
  CreateRunInput,
  DeletedRunsQuery,
  LogBatchInput,
  MetricHistoryQuery,
  SampledHistoryQuery,
  SearchExperimentsQuery,
  SearchRunsQuery,
  TrackingStore,
  UpdateRunInput,
} from "./store.js";
import { checkMetric } from "./validation.js";

const MLFLOW = "/api/2.0/mlflow";
const KEEL = "/api/2.0/keel";

/** Points per request of `logMetrics` (each request is all or nothing). */
export const REMOTE_LOG_METRICS_CHUNK = 100_000;

/**
 * The tracking store of a `keel server`, over its MLflow REST routes.
 * @example
 * ```ts
 * const backend = await openBackend("http://127.0.0.1:5000");
 * if (backend instanceof HttpBackend) {
 *   const store = new RemoteStore(backend);
 *   const experiment = await store.getExperimentByName("credit");
 * }
 * ```
 */
export class RemoteStore implements TrackingStore {
  readonly uri: string;
  /** The server URL's scheme: "http" or "https". */
  readonly kind: string;
  /** The server's URL (its own folder is `backend.serverInfo.artifact_root`). */
  readonly artifactRoot: string;
  private closed = false;

  constructor(readonly backend: HttpBackend) {
    this.uri = backend.uri;
    this.kind = new URL(backend.uri).protocol.replace(":", "");
    this.artifactRoot = backend.artifactRoot;
  }

  private call(method: HttpMethod, path: string, params?: JsonObject, options: { signal?: AbortSignal } = {}): Promise<JsonObject> {
    if (this.closed) throw new InvalidInputError(`remote store ${this.uri} is closed`, { path: "store" });
    return this.backend.http.call(method, path, params, {}, options);
  }

  // ---- experiments ------------------------------------------------------------------------

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    const r = await this.call("POST", `${MLFLOW}/experiments/create`, { name: input?.name, artifact_location: input?.artifactLocation, tags: input?.tags ? encodeTags(input.tags) : undefined });
    return String(r.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return decodeExperiment((await this.call("GET", `${MLFLOW}/experiments/get`, { experiment_id: experimentId })).experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment> {
    return decodeExperiment((await this.call("GET", `${MLFLOW}/experiments/get-by-name`, { experiment_name: name })).experiment);
  }

  async searchExperiments(query: SearchExperimentsQuery = {}): Promise<Page<Experiment>> {
    const r = await this.call("POST", `${MLFLOW}/experiments/search`, {
      filter: query.filter,
      order_by: query.orderBy,
      max_results: query.maxResults,
      page_token: query.pageToken,
      view_type: query.viewType,
    });
    return decodePage(r, "experiments", decodeExperiment);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/experiments/update`, { experiment_id: experimentId, new_name: newName });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/experiments/delete`, { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/experiments/restore`, { experiment_id: experimentId });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/experiments/set-experiment-tag`, { experiment_id: experimentId, key, value });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/experiments/delete-experiment-tag`, { experiment_id: experimentId, key });
  }

  // ---- runs -------------------------------------------------------------------------------

  async createRun(input: CreateRunInput = {}): Promise<Run> {
    const r = await this.call("POST", `${MLFLOW}/runs/create`, {
      experiment_id: input.experimentId,
      run_name: input.runName,
      user_id: input.userId,
      start_time: input.startTime,
      tags: input.tags ? encodeTags(input.tags) : undefined,
      hypothesis: input.hypothesis,
      parent_run_id: input.parentRunId,
      status: input.status,
      number_tag: input.numberTag,
    });
    return decodeRun(r.run);
  }

  async getRun(runId: string): Promise<Run> {
    return decodeRun((await this.call("GET", `${MLFLOW}/runs/get`, { run_id: runId })).run);
  }

  async updateRun(runId: string, patch: UpdateRunInput): Promise<RunInfo> {
    const r = await this.call("POST", `${MLFLOW}/runs/update`, { run_id: runId, status: patch?.status, end_time: patch?.endTime ?? undefined, run_name: patch?.runName, hypothesis: patch?.hypothesis });
    return decodeRunInfo(r.run_info);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/runs/delete`, { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/runs/restore`, { run_id: runId });
  }

  async listDeletedRuns(query: DeletedRunsQuery = {}): Promise<RunInfo[]> {
    const r = await this.call("POST", `${KEEL}/runs/list-deleted`, { older_than_ms: query.olderThanMs, run_ids: query.runIds });
    return ((r.runs as unknown[]) ?? []).map(decodeRunInfo);
  }

  /** False once the server said it has no heartbeat route (a `keel server` older than heartbeats). */
  private heartbeats = true;

  /**
   * Beat for a run. A server without the route (an older `keel server`, or MLflow's) is not an
   * error: runs there simply carry no heartbeat, as before, and the next beats are not sent.
   */
  async heartbeat(runId: string, timeoutMs: number): Promise<void> {
    if (!this.heartbeats) return;
    try {
      await this.call("POST", `${KEEL}/runs/heartbeat`, { run_id: runId, timeout_ms: timeoutMs });
    } catch (e) {
      if (e instanceof UnsupportedError) this.heartbeats = false;
      else throw e;
    }
  }

  async failStaleRuns(): Promise<RunInfo[]> {
    const r = await this.call("POST", `${KEEL}/runs/fail-stale`, {});
    return ((r.runs as unknown[]) ?? []).map(decodeRunInfo);
  }

  async purgeRun(runId: string): Promise<void> {
    await this.call("POST", `${KEEL}/runs/purge`, { run_id: runId });
  }

  async searchRuns(query: SearchRunsQuery = {}): Promise<Page<Run>> {
    const r = await this.call("POST", `${MLFLOW}/runs/search`, {
      experiment_ids: query.experimentIds,
      filter: query.filter,
      order_by: query.orderBy,
      max_results: query.maxResults,
      page_token: query.pageToken,
      run_view_type: query.viewType,
    }, { signal: query.signal });
    return decodePage(r, "runs", decodeRun);
  }

  // ---- logging ----------------------------------------------------------------------------

  async logMetric(runId: string, metric: Metric): Promise<void> {
    await this.call("POST", `${MLFLOW}/runs/log-metric`, { run_id: runId, ...wireMetric(metric) });
  }

  async logParam(runId: string, param: Param): Promise<void> {
    await this.call("POST", `${MLFLOW}/runs/log-parameter`, { run_id: runId, key: param?.key, value: param?.value });
  }

  async setTag(runId: string, tag: RunTag): Promise<void> {
    await this.call("POST", `${MLFLOW}/runs/set-tag`, { run_id: runId, key: tag?.key, value: tag?.value });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.call("POST", `${MLFLOW}/runs/delete-tag`, { run_id: runId, key });
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    if (batch === null || typeof batch !== "object") throw new InvalidInputError("log batch must be an object with metrics, params and tags", { path: "batch" });
    await this.call("POST", `${MLFLOW}/runs/log-batch`, {
      run_id: runId,
      metrics: Array.isArray(batch.metrics) ? batch.metrics.map(wireMetric) : batch.metrics,
      params: batch.params,
      tags: batch.tags,
    });
  }

  /** Bulk metrics: one all-or-nothing request per 100,000 points. */
  async logMetrics(runId: string, metrics: Metric[]): Promise<void> {
    if (!Array.isArray(metrics)) throw new InvalidInputError("metrics must be an array", { path: "metrics" });
    if (metrics.length === 0) {
      await this.call("POST", `${KEEL}/runs/log-metrics`, { run_id: runId, metrics: [] });
      return;
    }
    for (let i = 0; i < metrics.length; i += REMOTE_LOG_METRICS_CHUNK) {
      await this.call("POST", `${KEEL}/runs/log-metrics`, { run_id: runId, metrics: metrics.slice(i, i + REMOTE_LOG_METRICS_CHUNK).map(wireMetric) });
    }
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    if (!Array.isArray(inputs)) throw new InvalidInputError("inputs must be an array of { dataset, tags }", { path: "datasets" });
    await this.call("POST", `${MLFLOW}/runs/log-inputs`, { run_id: runId, datasets: inputs.map(encodeDatasetInput) });
  }

  // ---- metric history ---------------------------------------------------------------------

  async getMetricHistory(runId: string, key: string, query: MetricHistoryQuery = {}): Promise<Page<Metric>> {
    const r = await this.call("GET", `${MLFLOW}/metrics/get-history`, { run_id: runId, metric_key: key, max_results: query.maxResults, page_token: query.pageToken });
    return decodePage(r, "metrics", (m) => decodeMetric(m));
  }

  async getMetricHistorySampled(runId: string, key: string, query: SampledHistoryQuery = {}): Promise<Metric[]> {
    const r = await this.call("GET", `${MLFLOW}/metrics/get-history-sampled`, { run_id: runId, metric_key: key, max_points: query.maxPoints, start_step: query.startStep, end_step: query.endStep });
    return ((r.metrics as unknown[]) ?? []).map((m) => decodeMetric(m));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * A metric for a request, checked first as the local stores check it: the wire format accepts
 * numeric strings for doubles (protobuf's JSON), a `TrackingStore` caller may not send them.
 */
function wireMetric(m: Metric): JsonObject {
  return encodeMetric(checkMetric(m));
}
