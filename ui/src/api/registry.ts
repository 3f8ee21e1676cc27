/** The model registry: MLflow's registered-models / model-versions routes plus Keel's lineage and audit log. */
import { get, getAll, send } from "./client";
import type { AuditEntry, Lineage, ModelVersion, RegisteredModel } from "./types";

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function searchModels(signal?: AbortSignal): Promise<RegisteredModel[]> {
  return getAll<RegisteredModel>("mlflow/registered-models/search", "registered_models", { max_results: 1000, order_by: ["name ASC"] }, signal);
}

export async function getModel(name: string, signal?: AbortSignal): Promise<RegisteredModel> {
  return (await get<{ registered_model: RegisteredModel }>("mlflow/registered-models/get", { name }, signal)).registered_model;
}

/** Every version of a model, newest first. */
export async function modelVersions(name: string, signal?: AbortSignal): Promise<ModelVersion[]> {
  return getAll<ModelVersion>("mlflow/model-versions/search", "model_versions", { filter: `name = ${quote(name)}`, max_results: 1000, order_by: ["version_number DESC"] }, signal);
}

export async function getVersion(name: string, version: string, signal?: AbortSignal): Promise<ModelVersion> {
  return (await get<{ model_version: ModelVersion }>("mlflow/model-versions/get", { name, version }, signal)).model_version;
}

/** Point `alias` at `version` (write role); the server records it in the audit log. */
export async function setAlias(name: string, alias: string, version: string): Promise<void> {
  await send("POST", "mlflow/registered-models/alias", { name, alias, version });
}

export async function lineage(name: string, version: string, signal?: AbortSignal): Promise<Lineage> {
  return (await get<{ lineage: Lineage }>("keel/model-versions/lineage", { name, version }, signal)).lineage;
}

export interface AuditQuery {
  modelName?: string;
  version?: string;
  action?: string;
}

/** Entries fetched at most (one request); the log is read whole and shown newest first. */
export const AUDIT_LIMIT = 50_000;

/**
 * The audit log's entries matching `q`, newest first. The server pages it oldest first, so it is
 * read in one request of up to `AUDIT_LIMIT` entries; `more` says when older-first paging cut it.
 */
export async function auditLog(q: AuditQuery = {}, signal?: AbortSignal): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const r = await get<{ entries?: AuditEntry[]; next_page_token?: string }>(
    "keel/audit-log",
    { model_name: q.modelName || undefined, version: q.version || undefined, action: q.action || undefined, max_results: AUDIT_LIMIT },
    signal,
  );
  return { entries: (r.entries ?? []).reverse(), more: Boolean(r.next_page_token) };
}
