/**
 * `RegistryStore` over an HTTP backend: the registry of a remote `keel server` through MLflow's
 * model-registry endpoints (and Keel's audit-log endpoint). The audit actor is the token's name
 * on a server with tokens; on an open server the `actor` option (default `$KEEL_ACTOR`, else the
 * OS user) is sent as `X-Keel-Actor`.
 */
import type { HttpBackend, HttpMethod } from "../backend/index.js";
import { decodeAuditEntry, decodeLineage, decodeModelVersion, decodePage, decodeRegisteredModel, type AuditEntry, type JsonObject, type Lineage, type ModelVersion, type Page, type RegisteredModel } from "../wire/index.js";
import type { ActorOptions, AuditQuery, SetAliasOptions, CreateModelVersionInput, CreateRegisteredModelInput, RegistryStore, SearchModelVersionsQuery, SearchRegisteredModelsQuery } from "./store.js";
import { checkActor, defaultActor } from "./validation.js";

const MLFLOW = "/api/2.0/mlflow";
const KEEL = "/api/2.0/keel";

/**
 * The model registry of a `keel server`, over its MLflow REST routes (and Keel's audit routes).
 * @example
 * ```ts
 * const backend = await openBackend("http://127.0.0.1:5000");
 * if (backend instanceof HttpBackend) {
 *   const registry = new RemoteRegistry(backend);
 *   const model = await registry.getRegisteredModel("credit");
 * }
 * ```
 */
export class RemoteRegistry implements RegistryStore {
  readonly uri: string;
  readonly kind: string;
  private readonly actor: string;

  constructor(
    readonly backend: HttpBackend,
    options: { defaultActor?: string } = {},
  ) {
    this.uri = backend.uri;
    this.kind = new URL(this.uri).protocol.replace(":", "");
    this.actor = options.defaultActor ?? defaultActor();
  }

  private call(method: HttpMethod, path: string, params: JsonObject = {}, options?: ActorOptions): Promise<JsonObject> {
    // checked here as the SQL registry checks it: the server would take an empty header for none
    return this.backend.http.call(method, path, params, { "x-keel-actor": encodeURIComponent(checkActor(options?.actor ?? this.actor)) });
  }

  // ---- registered models ------------------------------------------------------------------

  async createRegisteredModel(input: CreateRegisteredModelInput, options?: ActorOptions): Promise<RegisteredModel> {
    const r = await this.call("POST", `${MLFLOW}/registered-models/create`, { name: input?.name, description: input?.description, tags: input?.tags }, options);
    return decodeRegisteredModel(r.registered_model);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return decodeRegisteredModel((await this.call("GET", `${MLFLOW}/registered-models/get`, { name })).registered_model);
  }

  async searchRegisteredModels(query: SearchRegisteredModelsQuery = {}): Promise<Page<RegisteredModel>> {
    const r = await this.call("GET", `${MLFLOW}/registered-models/search`, { filter: query.filter, order_by: query.orderBy, max_results: query.maxResults, page_token: query.pageToken });
    return decodePage(r, "registered_models", decodeRegisteredModel);
  }

  async updateRegisteredModel(name: string, patch: { description: string }, options?: ActorOptions): Promise<RegisteredModel> {
    return decodeRegisteredModel((await this.call("PATCH", `${MLFLOW}/registered-models/update`, { name, description: patch?.description }, options)).registered_model);
  }

  async renameRegisteredModel(name: string, newName: string, options?: ActorOptions): Promise<RegisteredModel> {
    return decodeRegisteredModel((await this.call("POST", `${MLFLOW}/registered-models/rename`, { name, new_name: newName }, options)).registered_model);
  }

  async deleteRegisteredModel(name: string, options?: ActorOptions): Promise<void> {
    await this.call("DELETE", `${MLFLOW}/registered-models/delete`, { name }, options);
  }

  async setRegisteredModelTag(name: string, key: string, value: string, options?: ActorOptions): Promise<void> {
    await this.call("POST", `${MLFLOW}/registered-models/set-tag`, { name, key, value }, options);
  }

  async deleteRegisteredModelTag(name: string, key: string, options?: ActorOptions): Promise<void> {
    await this.call("DELETE", `${MLFLOW}/registered-models/delete-tag`, { name, key }, options);
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    const r = await this.call("POST", `${MLFLOW}/registered-models/get-latest-versions`, { name, stages });
    return ((r.model_versions as unknown[]) ?? []).map(decodeModelVersion);
  }

  // ---- versions ---------------------------------------------------------------------------

  async createModelVersion(input: CreateModelVersionInput, options?: ActorOptions): Promise<ModelVersion> {
    const r = await this.call(
      "POST",
      `${MLFLOW}/model-versions/create`,
      { name: input?.name, source: input?.source, run_id: input?.runId, run_link: input?.runLink, description: input?.description, tags: input?.tags },
      options,
    );
    return decodeModelVersion(r.model_version);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return decodeModelVersion((await this.call("GET", `${MLFLOW}/model-versions/get`, { name, version })).model_version);
  }

  async searchModelVersions(query: SearchModelVersionsQuery = {}): Promise<Page<ModelVersion>> {
    const r = await this.call("GET", `${MLFLOW}/model-versions/search`, { filter: query.filter, order_by: query.orderBy, max_results: query.maxResults, page_token: query.pageToken });
    return decodePage(r, "model_versions", decodeModelVersion);
  }

  async updateModelVersion(name: string, version: string, patch: { description: string }, options?: ActorOptions): Promise<ModelVersion> {
    return decodeModelVersion((await this.call("PATCH", `${MLFLOW}/model-versions/update`, { name, version, description: patch?.description }, options)).model_version);
  }

  async deleteModelVersion(name: string, version: string, options?: ActorOptions): Promise<void> {
    await this.call("DELETE", `${MLFLOW}/model-versions/delete`, { name, version }, options);
  }

  async transitionModelVersionStage(name: string, version: string, stage: string, archiveExistingVersions: boolean, options?: ActorOptions): Promise<ModelVersion> {
    const r = await this.call("POST", `${MLFLOW}/model-versions/transition-stage`, { name, version, stage, archive_existing_versions: archiveExistingVersions }, options);
    return decodeModelVersion(r.model_version);
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string, options?: ActorOptions): Promise<void> {
    await this.call("POST", `${MLFLOW}/model-versions/set-tag`, { name, version, key, value }, options);
  }

  async deleteModelVersionTag(name: string, version: string, key: string, options?: ActorOptions): Promise<void> {
    await this.call("DELETE", `${MLFLOW}/model-versions/delete-tag`, { name, version, key }, options);
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return String((await this.call("GET", `${MLFLOW}/model-versions/get-download-uri`, { name, version })).artifact_uri ?? "");
  }

  // ---- aliases ----------------------------------------------------------------------------

  async setRegisteredModelAlias(name: string, alias: string, version: string, options?: SetAliasOptions): Promise<void> {
    // Keel's compare-and-set: "" stands for "not set" on the wire (an absent field means no check)
    const cas = options?.expectedVersion === undefined ? {} : { keel_expected_version: options.expectedVersion ?? "" };
    await this.call("POST", `${MLFLOW}/registered-models/alias`, { name, alias, version, ...cas }, options);
  }

  async deleteRegisteredModelAlias(name: string, alias: string, options?: ActorOptions): Promise<void> {
    await this.call("DELETE", `${MLFLOW}/registered-models/alias`, { name, alias }, options);
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return decodeModelVersion((await this.call("GET", `${MLFLOW}/registered-models/alias`, { name, alias })).model_version);
  }

  // ---- audit and lineage ------------------------------------------------------------------

  async getAuditLog(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    const r = await this.call("GET", `${KEEL}/audit-log`, {
      model_name: query.modelName,
      version: query.version,
      action: query.action,
      since: query.since,
      max_results: query.maxResults,
      page_token: query.pageToken,
    });
    return decodePage(r, "entries", decodeAuditEntry);
  }

  /** Lineage of a version, computed by the server (Keel's extension). */
  async getLineage(name: string, version: string): Promise<Lineage> {
    return decodeLineage((await this.call("GET", `${KEEL}/model-versions/lineage`, { name, version })).lineage);
  }

  async close(): Promise<void> {}
}
