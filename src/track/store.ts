/**
 * The tracking store contract (DESIGN: one interface, many implementations, one shared suite).
 * `SqlTrackingStore` implements it over a SQL backend (SQLite, PostgreSQL), `RemoteStore` over an
 * HTTP one (a `keel server`); `openStore` picks by backend. Code above this interface never sees
 * SQL. Every method maps onto one MLflow REST 2.0 call (see each method's note).
 *
 * Errors: `NotFoundError` (RESOURCE_DOES_NOT_EXIST), `AlreadyExistsError`
 * (RESOURCE_ALREADY_EXISTS), `InvalidInputError` (INVALID_PARAMETER_VALUE — bad values, limits,
 * a param rewritten with another value, writes to a deleted run), `ConflictError` (a state that
 * forbids the operation outside MLflow's API, e.g. purging an active run).
 */
import type { Backend } from "../backend/index.js";
import type { DatasetInput, Experiment, ExperimentTag, Metric, Page, Param, Run, RunInfo, RunStatus, RunTag, ViewType } from "../wire/index.js";

/** MLflow's log-batch limits (enforced by `logBatch`; `logMetrics` has no count limit). */
export const LIMITS = {
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 5000,
  experimentNameLength: 500,
  /** Largest `maxResults` accepted by searches. */
  maxResults: 50_000,
  /** Default `maxResults` of run and experiment searches. */
  defaultMaxResults: 1000,
} as const;

/** The experiment MLflow and Keel create in every store. */
export const DEFAULT_EXPERIMENT_ID = "0";
/** The name of experiment "0", which runs join when no experiment is named (as in MLflow). */
export const DEFAULT_EXPERIMENT_NAME = "Default";

/** A new experiment: its name, artifact location and tags. */
export interface CreateExperimentInput {
  name: string;
  /** Default: `<store artifact root>/<experiment id>`. */
  artifactLocation?: string;
  tags?: ExperimentTag[];
}

/** A search of experiments: MLflow's filter and order syntax, paged, by lifecycle stage. */
export interface SearchExperimentsQuery {
  /** MLflow filter over `name`, `creation_time`, `last_update_time`, `tags.<key>`, joined by AND. */
  filter?: string;
  /** E.g. `["name ASC", "last_update_time DESC"]`. Default: creation_time DESC, experiment_id ASC. */
  orderBy?: string[];
  /** Default 1000, at most 50,000. */
  maxResults?: number;
  pageToken?: string;
  /** Default ACTIVE_ONLY. */
  viewType?: ViewType;
}

/** A new run: its experiment, name, start time, tags, hypothesis and parent. */
export interface CreateRunInput {
  /** Default "0" (the Default experiment). */
  experimentId?: string;
  /** Default: a generated two-word name. Mirrored as tag `mlflow.runName`. */
  runName?: string;
  userId?: string;
  /** Epoch ms, default now. */
  startTime?: number;
  tags?: RunTag[];
  /** Why this run exists. Mirrored as tag `keel.hypothesis`. */
  hypothesis?: string;
  /** Enclosing run (must exist). Mirrored as tag `mlflow.parentRunId`. */
  parentRunId?: string;
  /** Default RUNNING. */
  status?: RunStatus;
  /**
   * Number the run among its parent's children: the store sets this tag to how many of the
   * parent's runs already carry it (0, 1, 2, …), in the same transaction as the insert and with
   * the parent locked, so processes creating children at once never get the same number
   * (tuning trials, `keel.trial.number`). Needs `parentRunId`.
   */
  numberTag?: string;
}

/** Changes to a run: its status, end time, name or hypothesis. */
export interface UpdateRunInput {
  status?: RunStatus;
  /** Epoch ms. */
  endTime?: number;
  runName?: string;
  hypothesis?: string;
}

/** A search of runs: experiments, MLflow's filter and order syntax, paged. */
export interface SearchRunsQuery {
  /** Experiments to search; empty or absent = all experiments. */
  experimentIds?: string[];
  /**
   * MLflow's filter grammar: `metrics.<k>`, `params.<k>`, `tags.<k>`, `attributes.<k>`
   * (run_id, run_name, status, user_id, artifact_uri, start_time, end_time, created,
   * hypothesis, parent_run_id) and `datasets.<name|digest|context>`, joined by AND; comparators
   * = != < <= > >= LIKE ILIKE IN NOT IN IS NULL IS NOT NULL.
   */
  filter?: string;
  /** E.g. `["metrics.rmse ASC", "attributes.start_time DESC"]`. Missing values sort last. */
  orderBy?: string[];
  /** Default 1000, at most 50,000. */
  maxResults?: number;
  pageToken?: string;
  /** Default ACTIVE_ONLY. */
  viewType?: ViewType;
  /**
   * Stop the search when this fires (the server passes its HTTP client's disconnect; over a
   * `keel server` the request is aborted and the server cancels in turn): on
   * PostgreSQL the running query is cancelled; the call rejects with a `CancelledError`.
   */
  signal?: AbortSignal;
}

/** Metrics, params and tags to log to a run in one call. */
export interface LogBatchInput {
  metrics?: Metric[];
  params?: Param[];
  tags?: RunTag[];
}

/** A page of a metric's history. */
export interface MetricHistoryQuery {
  /** Page size; default: everything. */
  maxResults?: number;
  pageToken?: string;
}

/** A downsampled metric history: at most `maxPoints` points (LTTB) between two steps. */
export interface SampledHistoryQuery {
  /** Points to return at most (default 1000, at least 3). */
  maxPoints?: number;
  /** Only points with step ≥ startStep. */
  startStep?: number;
  /** Only points with step ≤ endStep. */
  endStep?: number;
}

/** Which deleted runs to list for garbage collection. */
export interface DeletedRunsQuery {
  /** Only runs deleted at least this many milliseconds ago. */
  olderThanMs?: number;
  /** Only these runs. */
  runIds?: string[];
}

/** The tracking store. All methods are async; implementations are safe to share in a process. */
export interface TrackingStore {
  /** The backend the store opened over (its artifact store is `backend.artifacts`). */
  readonly backend: Backend;
  /** The URI the store was opened with (no password). */
  readonly uri: string;
  /** "sqlite", "postgres", or a remote scheme. */
  readonly kind: string;
  /** Root under which new experiments get their artifact location. */
  readonly artifactRoot: string;

  // ---- experiments ------------------------------------------------------------------------
  /** experiments/create → the new experiment's id. ALREADY_EXISTS when the name is taken (even by a deleted one). */
  createExperiment(input: CreateExperimentInput): Promise<string>;
  /** experiments/get. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** experiments/get-by-name (NOT_FOUND when absent). */
  getExperimentByName(name: string): Promise<Experiment>;
  /** experiments/search. */
  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>>;
  /** experiments/update (rename). */
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** experiments/delete: soft delete, with its active runs. The Default experiment cannot be deleted. */
  deleteExperiment(experimentId: string): Promise<void>;
  /** experiments/restore, with the runs its deletion removed. */
  restoreExperiment(experimentId: string): Promise<void>;
  /** experiments/set-experiment-tag. */
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  // ---- runs -------------------------------------------------------------------------------
  /** runs/create. */
  createRun(input?: CreateRunInput): Promise<Run>;
  /** runs/get: info, params, tags, latest metrics and dataset inputs. */
  getRun(runId: string): Promise<Run>;
  /** runs/update: status, end time, name, hypothesis. */
  updateRun(runId: string, patch: UpdateRunInput): Promise<RunInfo>;
  /** runs/delete: soft delete (lifecycle_stage = deleted). */
  deleteRun(runId: string): Promise<void>;
  /** runs/restore. */
  restoreRun(runId: string): Promise<void>;
  /** Runs in the deleted state (for garbage collection). */
  listDeletedRuns(query?: DeletedRunsQuery): Promise<RunInfo[]>;
  /** Hard delete a run in the deleted state, with its params, metrics, tags and inputs (CONFLICT when active). */
  purgeRun(runId: string): Promise<void>;
  /** runs/search. */
  searchRuns(query?: SearchRunsQuery): Promise<Page<Run>>;
  /**
   * A sign of life from the process running the run: it is presumed dead `timeoutMs` from now
   * unless it beats again (see `core/heartbeat.ts`). CONFLICT when the run is no longer
   * RUNNING (it ended, or was marked FAILED after its heartbeat stopped).
   */
  heartbeat(runId: string, timeoutMs: number): Promise<void>;
  /**
   * Mark FAILED every RUNNING run whose heartbeat deadline has passed (its process died: killed,
   * crashed, its machine lost), with the last beat as end time and the tag `keel.failure`.
   * Runs that never beat (MLflow clients) are left alone. Returns the runs marked.
   */
  failStaleRuns(): Promise<RunInfo[]>;

  // ---- logging ----------------------------------------------------------------------------
  /** runs/log-metric. */
  logMetric(runId: string, metric: Metric): Promise<void>;
  /** runs/log-parameter. INVALID_INPUT when the key already holds another value. */
  logParam(runId: string, param: Param): Promise<void>;
  /** runs/set-tag. */
  setTag(runId: string, tag: RunTag): Promise<void>;
  /** runs/delete-tag (NOT_FOUND when the tag is absent). */
  deleteTag(runId: string, key: string): Promise<void>;
  /** runs/log-batch: all or nothing, within MLflow's limits (`LIMITS`). */
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  /** Bulk metric ingestion (library path): any number of points, all or nothing. */
  logMetrics(runId: string, metrics: Metric[]): Promise<void>;
  /** runs/log-inputs: datasets (deduplicated per experiment by name + digest) with context tags. */
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;

  // ---- metric history ---------------------------------------------------------------------
  /** metrics/get-history: every point of one metric, by step then timestamp. */
  getMetricHistory(runId: string, key: string, query?: MetricHistoryQuery): Promise<Page<Metric>>;
  /**
   * A downsampled history for charts: at most `maxPoints` representative points chosen by
   * Largest-Triangle-Three-Buckets (Steinarsson 2013), always keeping the first and last point.
   * Points whose value is NaN or infinite are left out (they cannot be drawn).
   */
  getMetricHistorySampled(runId: string, key: string, query?: SampledHistoryQuery): Promise<Metric[]>;

  /** Done with the store (it is unusable afterwards); closes the backend only when the store opened it. */
  close(): Promise<void>;
}

