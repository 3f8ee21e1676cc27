/**
 * The wire shapes the UI reads: MLflow REST 2.0 JSON (snake_case, as `keel server` sends it) and
 * Keel's own routes under `/api/2.0/keel/`. Only the fields the pages use are typed.
 */

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
}

export interface RunInfo {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id?: string;
  status: string;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage: string;
  hypothesis?: string;
  parent_run_id?: string;
}

/** A metric point; doubles that are not finite arrive as "NaN", "Infinity", "-Infinity". */
export interface Metric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface Dataset {
  name: string;
  digest: string;
  source_type?: string;
  source?: string;
  schema?: string;
  profile?: string;
  rows?: number;
}

export interface DatasetInput {
  tags?: KeyValue[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: { dataset_inputs?: DatasetInput[] };
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
  sha256?: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: KeyValue[];
  aliases?: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

export interface AuditEntry {
  id: number | string;
  timestamp: number;
  actor: string;
  action: string;
  model_name: string;
  entity: string;
  version?: string;
  from?: string;
  to?: string;
}

export interface Lineage {
  model_version: ModelVersion;
  run?: RunInfo;
  params: KeyValue[];
  metrics: Metric[];
  datasets: { name: string; digest: string; rows: number | null; context: string | null; source_type: string; source: string }[];
  code: { git_commit: string | null; git_dirty: boolean | null; git_branch: string | null; node_version: string | null; keel_version: string | null; packages: Record<string, string> | null };
}

export type Role = "read" | "write" | "admin";

export interface ServerInfo {
  keel_api_version: number;
  store_kind: string;
  artifact_root: string;
  /** True when the request carried a valid token. */
  auth: boolean;
  principal: { name: string; role: Role };
}

/** `keel/artifacts/head`: the first bytes of an artifact, for previews. */
export interface ArtifactHead {
  path: string;
  size: number;
  truncated: boolean;
  /** The bytes read, decoded as UTF-8 (cut at a whole character). */
  text: string;
}

/** A page of a paged MLflow search. */
export interface Paged<T> {
  items: T[];
  nextPageToken?: string;
}
