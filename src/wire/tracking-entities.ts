/**
 * Tracking entities. Field names are the camelCase of MLflow's `service.proto` fields
 * (`run_id` → `runId`, `lifecycle_stage` → `lifecycleStage`), so the server maps them to the
 * REST API by converting key case; Keel's own additions (`hypothesis`, `parentRunId`,
 * `deletedTime`, `rows`) are extra fields. Times are epoch milliseconds.
 */

/** MLflow's RunStatus enum. */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
/** Every `RunStatus`, as MLflow names them. */
export const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

/** Soft-delete state of experiments and runs. */
export type LifecycleStage = "active" | "deleted";

/** Which lifecycle stages a search returns (MLflow's ViewType). */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** A tag of an experiment. */
export interface ExperimentTag {
  key: string;
  value: string;
}

/** An experiment (MLflow's, camel-cased). */
export interface Experiment {
  /** Decimal string; the default experiment is "0". */
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: ExperimentTag[];
}

/** A run's metadata: ids, name, status, times, artifact URI (MLflow's `RunInfo`). */
export interface RunInfo {
  /** 32 lowercase hex characters. */
  runId: string;
  /** Same as runId (MLflow's deprecated field, still sent by older clients). */
  runUuid: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  /** Null while the run is running. */
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
  /** "Why this run": free text, first-class in Keel (mirrored as tag `keel.hypothesis`). */
  hypothesis: string | null;
  /** The enclosing run for nested runs (mirrored as tag `mlflow.parentRunId`). */
  parentRunId: string | null;
  /** When the run was soft-deleted, null when active. */
  deletedTime: number | null;
}

/** One metric point. `value` may be NaN or ±Infinity. */
export interface Metric {
  key: string;
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
  step: number;
}

/** A run parameter; values are strings, as in MLflow. */
export interface Param {
  key: string;
  value: string;
}

/** A run tag. */
export interface RunTag {
  key: string;
  value: string;
}

/** A run's latest metrics, its params and tags. */
export interface RunData {
  /** The latest value of each metric (highest step, then timestamp, then value). */
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

/** A dataset as MLflow records it, plus Keel's row count. */
export interface Dataset {
  name: string;
  /** Content hash (Keel: SHA-256 hex of the data). */
  digest: string;
  /** Where it came from: "local", "http", "duckdb", "frame", ... */
  sourceType: string;
  /** A JSON string or a URI describing the source. */
  source: string;
  /** JSON string: the columns and their kinds. */
  schema?: string | null;
  /** JSON string: summary figures (`{"num_rows": ...}`). */
  profile?: string | null;
  /** Number of rows, when known. */
  rows?: number | null;
}

/** A tag of a run's dataset input (e.g. `mlflow.data.context`). */
export interface InputTag {
  key: string;
  value: string;
}

/** A dataset a run used, with its tags. */
export interface DatasetInput {
  /** E.g. `{ key: "mlflow.data.context", value: "training" }`. */
  tags: InputTag[];
  dataset: Dataset;
}

/** The datasets a run used. */
export interface RunInputs {
  datasetInputs: DatasetInput[];
}

/** A run: info, data and inputs (MLflow's `Run`). */
export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: RunInputs;
}

/** One page of results; `nextPageToken` is absent on the last page. Tokens are opaque. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}
