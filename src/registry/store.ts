/**
 * The registry store contract: registered models, versions, aliases, MLflow's stages, tags and
 * an append-only audit log. `SqlRegistryStore` implements it over a SQL backend (SQLite,
 * PostgreSQL; the tracking tables' database), `RemoteRegistry` over a `keel server`;
 * `openRegistry` picks by backend. Every mutating method takes `{ actor }` for the audit log and
 * writes its change and the audit entry in one transaction.
 *
 * Errors: NOT_FOUND (RESOURCE_DOES_NOT_EXIST), ALREADY_EXISTS (RESOURCE_ALREADY_EXISTS),
 * INVALID_INPUT (INVALID_PARAMETER_VALUE).
 */
import type { Backend } from "../backend/index.js";
import type { AuditAction, AuditEntry, ModelVersion, ModelVersionStatus, Page, RegisteredModel, RegisteredModelTag, Stage } from "../wire/index.js";

/** Who is making a change (recorded in the audit log). Default: the store's default actor. */
export interface ActorOptions {
  actor?: string;
}

/** Options of an alias move: who, and (compare-and-set) where the alias must point now. */
export interface SetAliasOptions extends ActorOptions {
  /**
   * Move the alias only if it points at this version now (`null`: only if it is not set), else
   * CONFLICT and nothing changes. Two `keel promote`s racing on `@champion` cannot both win.
   */
  expectedVersion?: string | null;
}

/** A new registered model: its name, description and tags. */
export interface CreateRegisteredModelInput {
  name: string;
  description?: string;
  tags?: RegisteredModelTag[];
}

/** A search of registered models: MLflow's filter and order syntax, paged. */
export interface SearchRegisteredModelsQuery {
  /** `name = 'x'`, `name LIKE '%x%'`, `name ILIKE ...`, `tags.<key> = 'v'`, joined by AND. */
  filter?: string;
  /** `name`, `creation_timestamp`, `last_updated_timestamp` with ASC/DESC. Default name ASC. */
  orderBy?: string[];
  /** Default 100, at most 1000. */
  maxResults?: number;
  pageToken?: string;
}

/** A new model version: the model's name, its source (artifact URI), and the run that made it. */
export interface CreateModelVersionInput {
  name: string;
  /** Where the model's files are. */
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  tags?: { key: string; value: string }[];
  /** Default READY (Keel registers synchronously). */
  status?: ModelVersionStatus;
}

/** A search of model versions: MLflow's filter and order syntax, paged. */
export interface SearchModelVersionsQuery {
  /**
   * `name`, `version_number`, `run_id`, `source_path`, `current_stage`, `tags.<key>`, joined by
   * AND (= != LIKE ILIKE IN, numeric comparisons for version_number).
   */
  filter?: string;
  /** `name`, `version_number`, `creation_timestamp`, `last_updated_timestamp`. Default name ASC, version DESC. */
  orderBy?: string[];
  /** Default 10,000, at most 200,000. */
  maxResults?: number;
  pageToken?: string;
}

/** Which audit-log entries to list. */
export interface AuditQuery {
  modelName?: string;
  version?: string;
  action?: AuditAction;
  /** Entries at or after this time (ms). */
  since?: number;
  /** Default 1000, at most 50,000. */
  maxResults?: number;
  pageToken?: string;
}

/** The model registry (MLflow's model registry): registered models, versions, tags, aliases, stages and an append-only audit log. Opened with `openRegistry`. */
export interface RegistryStore {
  /** The backend the registry opened over. */
  readonly backend: Backend;
  /** The URI of the store the registry lives in. */
  readonly uri: string;
  readonly kind: string;

  // ---- registered models ------------------------------------------------------------------
  /** registered-models/create. */
  createRegisteredModel(input: CreateRegisteredModelInput, options?: ActorOptions): Promise<RegisteredModel>;
  /** registered-models/get. */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** registered-models/search. */
  searchRegisteredModels(query?: SearchRegisteredModelsQuery): Promise<Page<RegisteredModel>>;
  /** registered-models/update (description). */
  updateRegisteredModel(name: string, patch: { description: string }, options?: ActorOptions): Promise<RegisteredModel>;
  /** registered-models/rename (versions, tags and aliases follow). */
  renameRegisteredModel(name: string, newName: string, options?: ActorOptions): Promise<RegisteredModel>;
  /** registered-models/delete, with its versions, tags and aliases (the audit log keeps them). */
  deleteRegisteredModel(name: string, options?: ActorOptions): Promise<void>;
  setRegisteredModelTag(name: string, key: string, value: string, options?: ActorOptions): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string, options?: ActorOptions): Promise<void>;
  /** registered-models/get-latest-versions: the newest version in each stage asked for (default: every stage). */
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>;

  // ---- versions ---------------------------------------------------------------------------
  /** model-versions/create: the next version number of the model (which must exist). */
  createModelVersion(input: CreateModelVersionInput, options?: ActorOptions): Promise<ModelVersion>;
  /** model-versions/get. */
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** model-versions/search. */
  searchModelVersions(query?: SearchModelVersionsQuery): Promise<Page<ModelVersion>>;
  /** model-versions/update (description). */
  updateModelVersion(name: string, version: string, patch: { description: string }, options?: ActorOptions): Promise<ModelVersion>;
  /** model-versions/delete (its aliases go with it). */
  deleteModelVersion(name: string, version: string, options?: ActorOptions): Promise<void>;
  /**
   * model-versions/transition-stage. `stage` is case-insensitive (None, Staging, Production,
   * Archived). With `archiveExistingVersions` (only for Staging/Production), the other versions
   * in that stage move to Archived.
   */
  transitionModelVersionStage(name: string, version: string, stage: string, archiveExistingVersions: boolean, options?: ActorOptions): Promise<ModelVersion>;
  setModelVersionTag(name: string, version: string, key: string, value: string, options?: ActorOptions): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string, options?: ActorOptions): Promise<void>;
  /** model-versions/get-download-uri. */
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;

  // ---- aliases ----------------------------------------------------------------------------
  /**
   * registered-models/alias (POST): point `alias` at `version`, moving it if it pointed elsewhere;
   * with `expectedVersion`, only if it points there now (CONFLICT otherwise).
   */
  setRegisteredModelAlias(name: string, alias: string, version: string, options?: SetAliasOptions): Promise<void>;
  /** registered-models/alias (DELETE). NOT_FOUND when the alias is not set. */
  deleteRegisteredModelAlias(name: string, alias: string, options?: ActorOptions): Promise<void>;
  /** registered-models/alias (GET): the version an alias points at. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;

  // ---- audit ------------------------------------------------------------------------------
  /** The audit log, oldest first. There is no way to change or delete entries. */
  getAuditLog(query?: AuditQuery): Promise<Page<AuditEntry>>;

  /** Done with the registry; closes the backend only when the registry opened it. */
  close(): Promise<void>;
}
