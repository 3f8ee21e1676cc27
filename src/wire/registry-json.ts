/**
 * The MLflow REST 2.0 wire format of registry entities (mlflow's `model_registry.proto`):
 * snake_case, versions as decimal strings, stages and statuses by name, times as numbers.
 * Keel's audit log and lineage, which MLflow has not, follow the same conventions. Both
 * directions live here: the server encodes, the HTTP registry client decodes.
 */
import type { AuditAction, AuditEntry, Lineage, ModelVersion, ModelVersionStatus, RegisteredModel, Stage } from "./registry-entities.js";
import { decodeMetric, decodeRunInfo, decodeTags, encodeMetric, encodeRunInfo, type JsonObject } from "./tracking-json.js";

/**
 * A model version as MLflow's REST JSON (`model_version`).
 * @example
 * ```ts
 * const json = encodeModelVersion(await registry.getModelVersion("credit", "3"));
 * ```
 */
export function encodeModelVersion(v: ModelVersion): JsonObject {
  return {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: v.userId,
    current_stage: v.currentStage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    status_message: v.statusMessage,
    tags: v.tags.map((t) => ({ key: t.key, value: t.value })),
    run_link: v.runLink,
    aliases: [...v.aliases],
  };
}

/**
 * A registered model as MLflow's REST JSON (`registered_model`).
 * @example
 * ```ts
 * const json = encodeRegisteredModel(await registry.getRegisteredModel("credit"));
 * ```
 */
export function encodeRegisteredModel(m: RegisteredModel): JsonObject {
  return {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    description: m.description,
    latest_versions: m.latestVersions.map(encodeModelVersion),
    tags: m.tags.map((t) => ({ key: t.key, value: t.value })),
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version })),
  };
}

/**
 * An audit-log entry as Keel's REST JSON.
 * @example
 * ```ts
 * const json = (await registry.getAuditLog({ modelName: "credit" })).items.map(encodeAuditEntry);
 * ```
 */
export function encodeAuditEntry(e: AuditEntry): JsonObject {
  const out: JsonObject = { id: e.id, timestamp: e.timestamp, actor: e.actor, action: e.action, model_name: e.modelName, entity: e.entity };
  if (e.version !== null) out.version = e.version;
  if (e.from !== null) out.from = e.from;
  if (e.to !== null) out.to = e.to;
  return out;
}

/**
 * A version's lineage as Keel's REST JSON.
 * @example
 * ```ts
 * const json = encodeLineage(await getLineage(registry, tracking, "credit", "3"));
 * ```
 */
export function encodeLineage(l: Lineage): JsonObject {
  return {
    model_version: encodeModelVersion(l.modelVersion),
    ...(l.run ? { run: encodeRunInfo(l.run) } : {}),
    params: l.params.map((p) => ({ key: p.key, value: p.value })),
    metrics: l.metrics.map(encodeMetric),
    datasets: l.datasets.map((d) => ({ name: d.name, digest: d.digest, rows: d.rows, context: d.context, source_type: d.sourceType, source: d.source })),
    code: {
      git_commit: l.code.gitCommit,
      git_dirty: l.code.gitDirty,
      git_branch: l.code.gitBranch,
      node_version: l.code.nodeVersion,
      keel_version: l.code.keelVersion,
      packages: l.code.packages,
    },
  };
}

// ------------------------------------------------------------------------------------------
// decoding

const o = (v: unknown): JsonObject => (v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : {});
const s = (v: unknown, d = ""): string => (typeof v === "string" ? v : v === undefined || v === null ? d : String(v));
const n = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));
const nullable = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/**
 * A model version from MLflow's REST JSON; INVALID_INPUT naming the field when it is malformed.
 * @example
 * ```ts
 * const version = decodeModelVersion(body.model_version);
 * ```
 */
export function decodeModelVersion(v: unknown): ModelVersion {
  const x = o(v);
  return {
    name: s(x.name),
    version: s(x.version),
    creationTimestamp: n(x.creation_timestamp),
    lastUpdatedTimestamp: n(x.last_updated_timestamp),
    userId: s(x.user_id),
    currentStage: s(x.current_stage, "None") as Stage,
    description: s(x.description),
    source: s(x.source),
    runId: s(x.run_id),
    runLink: s(x.run_link),
    status: s(x.status, "READY") as ModelVersionStatus,
    statusMessage: s(x.status_message),
    tags: decodeTags(x.tags, "model_version.tags"),
    aliases: Array.isArray(x.aliases) ? x.aliases.map((a) => s(a)) : [],
  };
}

/**
 * A registered model from MLflow's REST JSON; INVALID_INPUT naming the field when it is malformed.
 * @example
 * ```ts
 * const model = decodeRegisteredModel(body.registered_model);
 * ```
 */
export function decodeRegisteredModel(v: unknown): RegisteredModel {
  const x = o(v);
  return {
    name: s(x.name),
    creationTimestamp: n(x.creation_timestamp),
    lastUpdatedTimestamp: n(x.last_updated_timestamp),
    description: s(x.description),
    latestVersions: Array.isArray(x.latest_versions) ? x.latest_versions.map(decodeModelVersion) : [],
    tags: decodeTags(x.tags, "registered_model.tags"),
    aliases: Array.isArray(x.aliases) ? x.aliases.map((a) => ({ alias: s(o(a).alias), version: s(o(a).version) })) : [],
  };
}

/**
 * An audit-log entry from Keel's REST JSON.
 * @example
 * ```ts
 * const entry = decodeAuditEntry(body.entries[0]);
 * ```
 */
export function decodeAuditEntry(v: unknown): AuditEntry {
  const x = o(v);
  return {
    id: n(x.id),
    timestamp: n(x.timestamp),
    actor: s(x.actor),
    action: s(x.action) as AuditAction,
    modelName: s(x.model_name),
    version: nullable(x.version),
    entity: s(x.entity),
    from: nullable(x.from),
    to: nullable(x.to),
  };
}

/**
 * A lineage from Keel's REST JSON.
 * @example
 * ```ts
 * const lineage = decodeLineage(body.lineage);
 * ```
 */
export function decodeLineage(v: unknown): Lineage {
  const x = o(v);
  const code = o(x.code);
  return {
    modelVersion: decodeModelVersion(x.model_version),
    run: x.run ? decodeRunInfo(x.run) : null,
    params: decodeTags(x.params, "params"),
    metrics: Array.isArray(x.metrics) ? x.metrics.map((m) => decodeMetric(m)) : [],
    datasets: Array.isArray(x.datasets)
      ? x.datasets.map((d) => {
          const y = o(d);
          return { name: s(y.name), digest: s(y.digest), rows: y.rows === null || y.rows === undefined ? null : Number(y.rows), context: nullable(y.context), sourceType: s(y.source_type), source: s(y.source) };
        })
      : [],
    code: {
      gitCommit: nullable(code.git_commit),
      gitDirty: code.git_dirty === undefined || code.git_dirty === null ? null : code.git_dirty === true,
      gitBranch: nullable(code.git_branch),
      nodeVersion: nullable(code.node_version),
      keelVersion: nullable(code.keel_version),
      packages: code.packages && typeof code.packages === "object" ? (code.packages as Record<string, string>) : null,
    },
  };
}
