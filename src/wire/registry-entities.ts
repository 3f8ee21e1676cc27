/**
 * Registry entities, and the lineage of a model version. Field names are the camelCase of
 * MLflow's `model_registry.proto` (`creation_timestamp` → `creationTimestamp`, `current_stage` →
 * `currentStage`); versions are decimal strings as in the proto. Times are epoch milliseconds.
 */
import type { Metric, Param, RunInfo } from "./tracking-entities.js";

/** MLflow's stages, kept for compatibility (aliases are the modern way to point at versions). */
export type Stage = "None" | "Staging" | "Production" | "Archived";
/** The model version stages of MLflow's registry. */
export const STAGES: readonly Stage[] = ["None", "Staging", "Production", "Archived"];

/** A model version's registration status (MLflow's). */
export type ModelVersionStatus = "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";

/** A tag of a registered model. */
export interface RegisteredModelTag {
  key: string;
  value: string;
}

/** An alias (`champion`, `challenger`, …) and the version it points at. */
export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

/** A tag of a model version. */
export interface ModelVersionTag {
  key: string;
  value: string;
}

/** A registered model version (MLflow's `ModelVersion`, camel-cased). */
export interface ModelVersion {
  name: string;
  /** "1", "2", ... — never reused, even after a version is deleted. */
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  currentStage: Stage;
  description: string;
  /** Where the model's files are (the run's artifact URI + path). */
  source: string;
  /** The run that produced it ("" when none). */
  runId: string;
  runLink: string;
  status: ModelVersionStatus;
  statusMessage: string;
  tags: ModelVersionTag[];
  /** Aliases pointing at this version. */
  aliases: string[];
}

/** A registered model with its latest versions, tags and aliases (MLflow's `RegisteredModel`). */
export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  /** The latest version in each stage that has one. */
  latestVersions: ModelVersion[];
  tags: RegisteredModelTag[];
  aliases: RegisteredModelAlias[];
}

/** What changed, in the audit log. */
export type AuditAction =
  | "create_model"
  | "rename_model"
  | "update_model_description"
  | "delete_model"
  | "set_model_tag"
  | "delete_model_tag"
  | "create_version"
  | "update_version_description"
  | "transition_stage"
  | "delete_version"
  | "set_version_tag"
  | "delete_version_tag"
  | "set_alias"
  | "delete_alias";

/** One registry change: who, when, what, on which entity, from → to. Never changed or removed. */
export interface AuditEntry {
  /** Increasing with time. */
  id: number;
  timestamp: number;
  /** Who made the change, as the caller said (a user, a token's name, "ci"). */
  actor: string;
  action: AuditAction;
  /** The model's name at the time of the change. */
  modelName: string;
  /** The version concerned, when one is. */
  version: string | null;
  /** Readable entity: `churn`, `churn/3`, `churn@champion`, `churn#owner`, `churn/3#owner`. */
  entity: string;
  /** The value before (null when created). */
  from: string | null;
  /** The value after (null when deleted). */
  to: string | null;
}

/** A dataset a version's run used, by digest. */
export interface LineageDataset {
  name: string;
  /** Content hash. */
  digest: string;
  rows: number | null;
  /** "training", "validation", ... when recorded. */
  context: string | null;
  sourceType: string;
  source: string;
}

/** Where a model version came from: its run, parameters, metrics, datasets and code. */
export interface Lineage {
  modelVersion: ModelVersion;
  /** Null when the version names no run, or the run is gone (purged). */
  run: RunInfo | null;
  params: Param[];
  /** The run's final metric values. */
  metrics: Metric[];
  datasets: LineageDataset[];
  code: {
    gitCommit: string | null;
    /** True when the working tree had uncommitted changes; null when unknown. */
    gitDirty: boolean | null;
    gitBranch: string | null;
    nodeVersion: string | null;
    keelVersion: string | null;
    /** Installed package versions, when recorded. */
    packages: Record<string, string> | null;
  };
}
