/**
 * The registry over a SQL backend, SQLite and PostgreSQL alike. It lives in the tracking
 * tables' database, on the backend's connection, with its own migration component. Every change
 * and its audit entry are written in one transaction.
 */
import { AlreadyExistsError, ConflictError, InvalidInputError, NotFoundError, show } from "../../core/index.js";
import type { SqlBackend, SqlDriver, SqlExecutor, SqlValue } from "../../backend/index.js";
import { andFragments as and, checkMaxResults, compareClause as compare, decodePageToken, encodePageToken, parseFilter, parseOrderBy, type Fragment } from "../../track/index.js";
import type { ActorOptions, AuditQuery, SetAliasOptions, CreateModelVersionInput, CreateRegisteredModelInput, RegistryStore, SearchModelVersionsQuery, SearchRegisteredModelsQuery } from "../store.js";
import { canonicalStage, checkActor, checkAlias, checkModelName, checkVersion, defaultActor } from "../validation.js";
import { STAGES, type AuditAction, type AuditEntry, type ModelVersion, type ModelVersionStatus, type Page, type RegisteredModel, type Stage } from "../../wire/index.js";
import { REGISTRY_MIGRATIONS } from "./registry-schema.js";

interface ModelRow {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string;
  last_version: number;
}

interface VersionRow {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string;
  user_id: string;
  current_stage: string;
  source: string;
  run_id: string;
  run_link: string;
  status: string;
  status_message: string;
}

interface AuditRow {
  id: number;
  timestamp: number;
  actor: string;
  action: string;
  model_name: string;
  version: number | null;
  entity: string;
  from_value: string | null;
  to_value: string | null;
}

const TAG_VALUE_MAX = 5000;
const DESCRIPTION_MAX = 65_535;

function now(): number {
  return Date.now();
}

function checkTagKV(what: string, key: unknown, value: unknown): void {
  if (typeof key !== "string" || key.length === 0 || key.length > 250) {
    throw new InvalidInputError(`${what} key ${show(key)} is not valid: expected 1 to 250 characters`, { path: "key", received: key });
  }
  if (typeof value !== "string" || value.length > TAG_VALUE_MAX) {
    throw new InvalidInputError(`${what} ${show(key)}: value must be a string of at most ${TAG_VALUE_MAX} characters`, { path: "value", received: typeof value === "string" ? value.length : value });
  }
}

function checkDescription(d: unknown): string {
  if (typeof d !== "string" || d.length > DESCRIPTION_MAX) throw new InvalidInputError(`description must be a string of at most ${DESCRIPTION_MAX} characters`, { path: "description", received: typeof d });
  return d;
}

const MODEL_FIELDS: Record<string, { col: string; type: "string" | "number" }> = {
  name: { col: "m.name", type: "string" },
  creation_timestamp: { col: "m.creation_time", type: "number" },
  last_updated_timestamp: { col: "m.last_updated_time", type: "number" },
  timestamp: { col: "m.last_updated_time", type: "number" },
};

const VERSION_FIELDS: Record<string, { col: string; type: "string" | "number" }> = {
  name: { col: "v.name", type: "string" },
  version_number: { col: "v.version", type: "number" },
  version: { col: "v.version", type: "number" },
  run_id: { col: "v.run_id", type: "string" },
  source_path: { col: "v.source", type: "string" },
  source: { col: "v.source", type: "string" },
  current_stage: { col: "v.current_stage", type: "string" },
  user_id: { col: "v.user_id", type: "string" },
  creation_timestamp: { col: "v.creation_time", type: "number" },
  last_updated_timestamp: { col: "v.last_updated_time", type: "number" },
};

function maxResults(v: unknown, def: number, max: number): number {
  return checkMaxResults(v, def, max);
}

/** Options of `SqlRegistryStore.open`. */
export interface SqlRegistryStoreOptions {
  /** Actor recorded when a call names none (default: `$KEEL_ACTOR`, else the OS user). */
  defaultActor?: string;
}

/**
 * The registry over a SQL backend (SQLite or PostgreSQL).
 * @example
 * ```ts
 * const backend = await openBackend("sqlite:////tmp/keel.db");
 * if (backend instanceof SqlBackend) {
 *   const registry = await SqlRegistryStore.open(backend, { defaultActor: "ci" });
 *   await registry.createRegisteredModel({ name: "credit" });
 * }
 * ```
 */
export class SqlRegistryStore implements RegistryStore {
  readonly uri: string;
  readonly kind: string;
  private readonly sql: SqlDriver;
  private readonly actor: string;

  private constructor(
    readonly backend: SqlBackend,
    options: SqlRegistryStoreOptions,
  ) {
    this.sql = backend.sql;
    this.uri = backend.uri;
    this.kind = backend.kind;
    this.actor = options.defaultActor ?? defaultActor();
  }

  /** Open the registry over a SQL backend: applies the registry migrations. */
  static async open(backend: SqlBackend, options: SqlRegistryStoreOptions = {}): Promise<SqlRegistryStore> {
    await backend.migrate("registry", REGISTRY_MIGRATIONS);
    return new SqlRegistryStore(backend, options);
  }

  private who(options?: ActorOptions): string {
    return checkActor(options?.actor ?? this.actor);
  }

  private async audit(tx: SqlExecutor, actor: string, action: AuditAction, modelName: string, version: number | null, entity: string, from: string | null, to: string | null): Promise<void> {
    await tx.run("INSERT INTO registry_audit (timestamp, actor, action, model_name, version, entity, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
      now(),
      actor,
      action,
      modelName,
      version,
      entity,
      from,
      to,
    ]);
  }

  // ------------------------------------------------------------------------------------------
  // rows → entities

  private async modelRow(ex: SqlExecutor, name: string): Promise<ModelRow> {
    checkModelName(name);
    const row = await ex.get<ModelRow>("SELECT * FROM registered_models WHERE name = ?", [name]);
    if (!row) throw new NotFoundError(`registered model ${show(name)} does not exist`, { path: "name", received: name });
    return row;
  }

  private async versionRow(ex: SqlExecutor, name: string, version: string): Promise<VersionRow> {
    checkModelName(name);
    const v = checkVersion(version);
    const row = await ex.get<VersionRow>("SELECT * FROM model_versions WHERE name = ? AND version = ?", [name, v]);
    if (!row) {
      const model = await ex.get("SELECT 1 AS x FROM registered_models WHERE name = ?", [name]);
      if (!model) throw new NotFoundError(`registered model ${show(name)} does not exist`, { path: "name", received: name });
      throw new NotFoundError(`model version ${show(`${name}/${v}`)} does not exist`, { path: "version", received: version });
    }
    return row;
  }

  private async toVersions(ex: SqlExecutor, rows: VersionRow[]): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const names = [...new Set(rows.map((r) => r.name))];
    const l = this.sql.inList("name", names, "text");
    const key = (n: string, v: number | string) => `${n}\u0000${v}`;
    const tags = new Map<string, { key: string; value: string }[]>();
    for (const t of await ex.all<{ name: string; version: number; key: string; value: string }>(`SELECT name, version, key, value FROM model_version_tags WHERE ${l.sql} ORDER BY key`, [l.param])) {
      const k = key(t.name, Number(t.version));
      let a = tags.get(k);
      if (!a) tags.set(k, (a = []));
      a.push({ key: t.key, value: t.value });
    }
    const aliases = new Map<string, string[]>();
    for (const a of await ex.all<{ name: string; version: number; alias: string }>(`SELECT name, version, alias FROM registered_model_aliases WHERE ${l.sql} ORDER BY alias`, [l.param])) {
      const k = key(a.name, Number(a.version));
      let list = aliases.get(k);
      if (!list) aliases.set(k, (list = []));
      list.push(a.alias);
    }
    return rows.map((r) => ({
      name: r.name,
      version: String(r.version),
      creationTimestamp: Number(r.creation_time),
      lastUpdatedTimestamp: Number(r.last_updated_time),
      userId: r.user_id,
      currentStage: r.current_stage as Stage,
      description: r.description,
      source: r.source,
      runId: r.run_id,
      runLink: r.run_link,
      status: r.status as ModelVersionStatus,
      statusMessage: r.status_message,
      tags: tags.get(key(r.name, Number(r.version))) ?? [],
      aliases: aliases.get(key(r.name, Number(r.version))) ?? [],
    }));
  }

  private async latestVersions(ex: SqlExecutor, name: string, stages: readonly Stage[]): Promise<ModelVersion[]> {
    const rows: VersionRow[] = [];
    for (const stage of stages) {
      const r = await ex.get<VersionRow>("SELECT * FROM model_versions WHERE name = ? AND current_stage = ? ORDER BY version DESC LIMIT 1", [name, stage]);
      if (r) rows.push(r);
    }
    return this.toVersions(ex, rows);
  }

  private async toModels(ex: SqlExecutor, rows: ModelRow[]): Promise<RegisteredModel[]> {
    if (rows.length === 0) return [];
    const names = rows.map((r) => r.name);
    const l = this.sql.inList("name", names, "text");
    const tags = new Map<string, { key: string; value: string }[]>();
    for (const t of await ex.all<{ name: string; key: string; value: string }>(`SELECT name, key, value FROM registered_model_tags WHERE ${l.sql} ORDER BY key`, [l.param])) {
      let a = tags.get(t.name);
      if (!a) tags.set(t.name, (a = []));
      a.push({ key: t.key, value: t.value });
    }
    const aliases = new Map<string, { alias: string; version: string }[]>();
    for (const a of await ex.all<{ name: string; alias: string; version: number }>(`SELECT name, alias, version FROM registered_model_aliases WHERE ${l.sql} ORDER BY alias`, [l.param])) {
      let list = aliases.get(a.name);
      if (!list) aliases.set(a.name, (list = []));
      list.push({ alias: a.alias, version: String(a.version) });
    }
    // latest version per stage, for all models at once
    const latest = await ex.all<VersionRow>(
      `SELECT v.* FROM model_versions v JOIN (SELECT name, current_stage, MAX(version) AS version FROM model_versions WHERE ${l.sql} GROUP BY name, current_stage) x
         ON x.name = v.name AND x.current_stage = v.current_stage AND x.version = v.version ORDER BY v.name, v.version`,
      [l.param],
    );
    const latestByName = new Map<string, ModelVersion[]>();
    for (const mv of await this.toVersions(ex, latest)) {
      let list = latestByName.get(mv.name);
      if (!list) latestByName.set(mv.name, (list = []));
      list.push(mv);
    }
    return rows.map((r) => ({
      name: r.name,
      creationTimestamp: Number(r.creation_time),
      lastUpdatedTimestamp: Number(r.last_updated_time),
      description: r.description,
      latestVersions: latestByName.get(r.name) ?? [],
      tags: tags.get(r.name) ?? [],
      aliases: aliases.get(r.name) ?? [],
    }));
  }

  private async loadModel(ex: SqlExecutor, name: string): Promise<RegisteredModel> {
    return (await this.toModels(ex, [await this.modelRow(ex, name)]))[0];
  }

  private async loadVersion(ex: SqlExecutor, name: string, version: string): Promise<ModelVersion> {
    return (await this.toVersions(ex, [await this.versionRow(ex, name, version)]))[0];
  }

  // ------------------------------------------------------------------------------------------
  // registered models

  async createRegisteredModel(input: CreateRegisteredModelInput, options?: ActorOptions): Promise<RegisteredModel> {
    const name = checkModelName(input?.name);
    const description = input.description === undefined ? "" : checkDescription(input.description);
    const tags = input.tags ?? [];
    for (const t of tags) checkTagKV("registered model tag", t?.key, t?.value);
    const actor = this.who(options);
    return this.sql.transaction(async (tx) => {
      if (await tx.get("SELECT 1 AS x FROM registered_models WHERE name = ?", [name])) {
        throw new AlreadyExistsError(`registered model ${show(name)} already exists`, { path: "name", received: name });
      }
      const t = now();
      await tx.run("INSERT INTO registered_models (name, creation_time, last_updated_time, description, last_version) VALUES (?, ?, ?, ?, 0)", [name, t, t, description]);
      await this.audit(tx, actor, "create_model", name, null, name, null, description || null);
      const last = new Map(tags.map((x) => [x.key, x.value]));
      for (const [key, value] of last) {
        await tx.run("INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)", [name, key, value]);
        await this.audit(tx, actor, "set_model_tag", name, null, `${name}#${key}`, null, value);
      }
      return this.loadModel(tx, name);
    });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.loadModel(this.sql, name);
  }

  async searchRegisteredModels(query: SearchRegisteredModelsQuery = {}): Promise<Page<RegisteredModel>> {
    const limit = maxResults(query.maxResults, 100, 1000);
    const offset = decodePageToken(query.pageToken);
    const where: Fragment[] = [];
    let n = 0;
    for (const c of parseFilter(query.filter)) {
      if (c.entity === "tag") {
        const alias = `t${n++}`;
        const cmp = compare(this.sql, `${alias}.value`, c, "string");
        where.push({ sql: `EXISTS (SELECT 1 FROM registered_model_tags ${alias} WHERE ${alias}.name = m.name AND ${alias}.key = ? AND ${cmp.sql})`, params: [c.key, ...cmp.params] });
      } else if (c.entity === "attribute" && MODEL_FIELDS[c.key]) {
        where.push(compare(this.sql, MODEL_FIELDS[c.key].col, c, MODEL_FIELDS[c.key].type));
      } else {
        throw new InvalidInputError(`filter: ${show(c.key)} is not searchable for registered models; expected name or tags.<key>`, { path: "filter", received: c.key });
      }
    }
    const order: string[] = [];
    for (const o of parseOrderBy(query.orderBy)) {
      const f = o.entity === "attribute" ? MODEL_FIELDS[o.key] : undefined;
      if (!f) throw new InvalidInputError(`order_by: ${show(o.key)} is not valid for registered models; expected name, creation_timestamp or last_updated_timestamp`, { path: "order_by", received: o.key });
      order.push(`${f.col} ${o.ascending ? "ASC" : "DESC"}`);
    }
    order.push("m.name ASC");
    const w = and(where);
    const rows = await this.sql.all<ModelRow>(`SELECT m.* FROM registered_models m WHERE ${w.sql} ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
    const more = rows.length > limit;
    const items = await this.toModels(this.sql, rows.slice(0, limit));
    return more ? { items, nextPageToken: encodePageToken(offset + limit) } : { items };
  }

  async updateRegisteredModel(name: string, patch: { description: string }, options?: ActorOptions): Promise<RegisteredModel> {
    const description = checkDescription(patch?.description);
    const actor = this.who(options);
    return this.sql.transaction(async (tx) => {
      const row = await this.modelRow(tx, name);
      await tx.run("UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?", [description, now(), name]);
      await this.audit(tx, actor, "update_model_description", name, null, name, row.description, description);
      return this.loadModel(tx, name);
    });
  }

  async renameRegisteredModel(name: string, newName: string, options?: ActorOptions): Promise<RegisteredModel> {
    const target = checkModelName(newName);
    const actor = this.who(options);
    return this.sql.transaction(async (tx) => {
      await this.modelRow(tx, name);
      if (target === name) return this.loadModel(tx, name);
      if (await tx.get("SELECT 1 AS x FROM registered_models WHERE name = ?", [target])) {
        throw new AlreadyExistsError(`registered model ${show(target)} already exists`, { path: "new_name", received: target });
      }
      // foreign keys cascade the new name to versions, tags and aliases
      await tx.run("UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?", [target, now(), name]);
      await this.audit(tx, actor, "rename_model", name, null, name, name, target);
      return this.loadModel(tx, target);
    });
  }

  async deleteRegisteredModel(name: string, options?: ActorOptions): Promise<void> {
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      const row = await this.modelRow(tx, name);
      await tx.run("DELETE FROM registered_model_aliases WHERE name = ?", [name]);
      await tx.run("DELETE FROM model_version_tags WHERE name = ?", [name]);
      await tx.run("DELETE FROM model_versions WHERE name = ?", [name]);
      await tx.run("DELETE FROM registered_model_tags WHERE name = ?", [name]);
      await tx.run("DELETE FROM registered_models WHERE name = ?", [name]);
      await this.audit(tx, actor, "delete_model", name, null, name, `versions: ${Number(row.last_version)}`, null);
    });
  }

  async setRegisteredModelTag(name: string, key: string, value: string, options?: ActorOptions): Promise<void> {
    checkTagKV("registered model tag", key, value);
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      await this.modelRow(tx, name);
      const old = await tx.get<{ value: string }>("SELECT value FROM registered_model_tags WHERE name = ? AND key = ?", [name, key]);
      await tx.run("INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", [name, key, value]);
      await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [now(), name]);
      await this.audit(tx, actor, "set_model_tag", name, null, `${name}#${key}`, old?.value ?? null, value);
    });
  }

  async deleteRegisteredModelTag(name: string, key: string, options?: ActorOptions): Promise<void> {
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      await this.modelRow(tx, name);
      const old = await tx.get<{ value: string }>("SELECT value FROM registered_model_tags WHERE name = ? AND key = ?", [name, key]);
      if (!old) throw new NotFoundError(`registered model ${show(name)} has no tag ${show(key)}`, { path: "key", received: key });
      await tx.run("DELETE FROM registered_model_tags WHERE name = ? AND key = ?", [name, key]);
      await this.audit(tx, actor, "delete_model_tag", name, null, `${name}#${key}`, old.value, null);
    });
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    await this.modelRow(this.sql, name);
    const wanted = stages && stages.length > 0 ? [...new Set(stages.map(canonicalStage))] : [...STAGES];
    return this.latestVersions(this.sql, name, wanted);
  }

  // ------------------------------------------------------------------------------------------
  // versions

  async createModelVersion(input: CreateModelVersionInput, options?: ActorOptions): Promise<ModelVersion> {
    const name = checkModelName(input?.name);
    if (typeof input.source !== "string" || input.source.length === 0 || input.source.length > 65_535) {
      throw new InvalidInputError(`model version source ${show(input.source)} is not valid: expected the URI of the model's files`, { path: "source", received: input.source });
    }
    const runId = input.runId ?? "";
    if (typeof runId !== "string" || runId.length > 256) throw new InvalidInputError(`run id ${show(runId)} is not valid`, { path: "run_id", received: runId });
    const description = input.description === undefined ? "" : checkDescription(input.description);
    const runLink = input.runLink ?? "";
    const status = input.status ?? "READY";
    if (!["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"].includes(status)) {
      throw new InvalidInputError(`model version status ${show(status)} is not valid`, { path: "status", expected: "PENDING_REGISTRATION | FAILED_REGISTRATION | READY", received: status });
    }
    for (const t of input.tags ?? []) checkTagKV("model version tag", t?.key, t?.value);
    const actor = this.who(options);
    return this.sql.transaction(async (tx) => {
      // the counter row serialises concurrent registrations of one model
      const got = await tx.get<{ last_version: number }>("UPDATE registered_models SET last_version = last_version + 1, last_updated_time = ? WHERE name = ? RETURNING last_version", [now(), name]);
      if (!got) throw new NotFoundError(`registered model ${show(name)} does not exist: create it before registering versions`, { path: "name", received: name });
      const version = Number(got.last_version);
      const t = now();
      await tx.run(
        "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, run_link, status, status_message) VALUES (?, ?, ?, ?, ?, ?, 'None', ?, ?, ?, ?, '')",
        [name, version, t, t, description, actor, input.source, runId, runLink, status],
      );
      await this.audit(tx, actor, "create_version", name, version, `${name}/${version}`, null, input.source);
      for (const [key, value] of new Map((input.tags ?? []).map((x) => [x.key, x.value]))) {
        await tx.run("INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)", [name, version, key, value]);
        await this.audit(tx, actor, "set_version_tag", name, version, `${name}/${version}#${key}`, null, value);
      }
      return this.loadVersion(tx, name, String(version));
    });
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.loadVersion(this.sql, name, version);
  }

  async searchModelVersions(query: SearchModelVersionsQuery = {}): Promise<Page<ModelVersion>> {
    const limit = maxResults(query.maxResults, 10_000, 200_000);
    const offset = decodePageToken(query.pageToken);
    const where: Fragment[] = [];
    let n = 0;
    for (const c of parseFilter(query.filter)) {
      if (c.entity === "tag") {
        const alias = `t${n++}`;
        const cmp = compare(this.sql, `${alias}.value`, c, "string");
        where.push({ sql: `EXISTS (SELECT 1 FROM model_version_tags ${alias} WHERE ${alias}.name = v.name AND ${alias}.version = v.version AND ${alias}.key = ? AND ${cmp.sql})`, params: [c.key, ...cmp.params] });
      } else if (c.entity === "attribute" && VERSION_FIELDS[c.key]) {
        const f = VERSION_FIELDS[c.key];
        // MLflow writes version_number = 3 and also version_number = '3'
        const clause = f.type === "number" && typeof c.value === "string" && /^\d+$/.test(c.value) ? { ...c, value: Number(c.value), quoted: false } : c;
        where.push(compare(this.sql, f.col, clause, f.type));
      } else {
        throw new InvalidInputError(`filter: ${show(c.key)} is not searchable for model versions; expected name, version_number, run_id, source_path, current_stage or tags.<key>`, { path: "filter", received: c.key });
      }
    }
    const order: string[] = [];
    for (const o of parseOrderBy(query.orderBy)) {
      const f = o.entity === "attribute" ? VERSION_FIELDS[o.key] : undefined;
      if (!f || f.col === "v.run_id" || f.col === "v.source") {
        throw new InvalidInputError(`order_by: ${show(o.key)} is not valid for model versions; expected name, version_number, creation_timestamp or last_updated_timestamp`, { path: "order_by", received: o.key });
      }
      order.push(`${f.col} ${o.ascending ? "ASC" : "DESC"}`);
    }
    order.push("v.name ASC", "v.version DESC");
    const w = and(where);
    const rows = await this.sql.all<VersionRow>(`SELECT v.* FROM model_versions v WHERE ${w.sql} ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
    const more = rows.length > limit;
    const items = await this.toVersions(this.sql, rows.slice(0, limit));
    return more ? { items, nextPageToken: encodePageToken(offset + limit) } : { items };
  }

  async updateModelVersion(name: string, version: string, patch: { description: string }, options?: ActorOptions): Promise<ModelVersion> {
    const description = checkDescription(patch?.description);
    const actor = this.who(options);
    return this.sql.transaction(async (tx) => {
      const row = await this.versionRow(tx, name, version);
      await tx.run("UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?", [description, now(), name, Number(row.version)]);
      await this.audit(tx, actor, "update_version_description", name, Number(row.version), `${name}/${row.version}`, row.description, description);
      return this.loadVersion(tx, name, String(row.version));
    });
  }

  async deleteModelVersion(name: string, version: string, options?: ActorOptions): Promise<void> {
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      const row = await this.versionRow(tx, name, version);
      const v = Number(row.version);
      for (const a of await tx.all<{ alias: string }>("SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias", [name, v])) {
        await this.audit(tx, actor, "delete_alias", name, v, `${name}@${a.alias}`, String(v), null);
      }
      await tx.run("DELETE FROM registered_model_aliases WHERE name = ? AND version = ?", [name, v]);
      await tx.run("DELETE FROM model_version_tags WHERE name = ? AND version = ?", [name, v]);
      await tx.run("DELETE FROM model_versions WHERE name = ? AND version = ?", [name, v]);
      await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [now(), name]);
      await this.audit(tx, actor, "delete_version", name, v, `${name}/${v}`, row.current_stage, null);
    });
  }

  async transitionModelVersionStage(name: string, version: string, stage: string, archiveExistingVersions: boolean, options?: ActorOptions): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExistingVersions && target !== "Staging" && target !== "Production") {
      throw new InvalidInputError(`archive_existing_versions can only be used when moving to Staging or Production, not ${show(target)}`, { path: "archive_existing_versions", received: target });
    }
    const actor = this.who(options);
    return this.sql.transaction(async (tx) => {
      const row = await this.versionRow(tx, name, version);
      const v = Number(row.version);
      const t = now();
      if (archiveExistingVersions) {
        for (const other of await tx.all<{ version: number }>("SELECT version FROM model_versions WHERE name = ? AND current_stage = ? AND version <> ? ORDER BY version", [name, target, v])) {
          await tx.run("UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE name = ? AND version = ?", [t, name, Number(other.version)]);
          await this.audit(tx, actor, "transition_stage", name, Number(other.version), `${name}/${other.version}`, target, "Archived");
        }
      }
      await tx.run("UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?", [target, t, name, v]);
      await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [t, name]);
      await this.audit(tx, actor, "transition_stage", name, v, `${name}/${v}`, row.current_stage, target);
      return this.loadVersion(tx, name, String(v));
    });
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string, options?: ActorOptions): Promise<void> {
    checkTagKV("model version tag", key, value);
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      const row = await this.versionRow(tx, name, version);
      const v = Number(row.version);
      const old = await tx.get<{ value: string }>("SELECT value FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", [name, v, key]);
      await tx.run("INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value", [name, v, key, value]);
      await tx.run("UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?", [now(), name, v]);
      await this.audit(tx, actor, "set_version_tag", name, v, `${name}/${v}#${key}`, old?.value ?? null, value);
    });
  }

  async deleteModelVersionTag(name: string, version: string, key: string, options?: ActorOptions): Promise<void> {
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      const row = await this.versionRow(tx, name, version);
      const v = Number(row.version);
      const old = await tx.get<{ value: string }>("SELECT value FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", [name, v, key]);
      if (!old) throw new NotFoundError(`model version ${show(`${name}/${v}`)} has no tag ${show(key)}`, { path: "key", received: key });
      await tx.run("DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", [name, v, key]);
      await this.audit(tx, actor, "delete_version_tag", name, v, `${name}/${v}#${key}`, old.value, null);
    });
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return (await this.versionRow(this.sql, name, version)).source;
  }

  // ------------------------------------------------------------------------------------------
  // aliases

  async setRegisteredModelAlias(name: string, alias: string, version: string, options?: SetAliasOptions): Promise<void> {
    checkAlias(alias);
    const actor = this.who(options);
    const expected = options?.expectedVersion === undefined || options.expectedVersion === null ? options?.expectedVersion : String(checkVersion(options.expectedVersion));
    await this.sql.transaction(async (tx) => {
      // PostgreSQL: serialise alias moves of one model (SQLite's write transactions already are)
      if (tx.dialect === "postgres") await tx.get("SELECT name FROM registered_models WHERE name = ? FOR UPDATE", [name]);
      const row = await this.versionRow(tx, name, version);
      const v = Number(row.version);
      const old = await tx.get<{ version: number }>("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
      const current = old ? String(old.version) : null;
      if (expected !== undefined && current !== expected) {
        throw new ConflictError(`${show(`${name}@${alias}`)} points at ${current === null ? "no version" : `version ${current}`}, not ${expected === null ? "nothing" : `version ${expected}`} as expected: it moved meanwhile; nothing was changed`, { path: "expected_version", expected: expected ?? "unset", received: current });
      }
      if (old && Number(old.version) === v) return;
      await tx.run("INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version", [name, alias, v]);
      await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [now(), name]);
      await this.audit(tx, actor, "set_alias", name, v, `${name}@${alias}`, old ? String(old.version) : null, String(v));
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string, options?: ActorOptions): Promise<void> {
    checkAlias(alias);
    const actor = this.who(options);
    await this.sql.transaction(async (tx) => {
      await this.modelRow(tx, name);
      const old = await tx.get<{ version: number }>("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
      if (!old) throw new NotFoundError(`registered model ${show(name)} has no alias ${show(alias)}`, { path: "alias", received: alias });
      await tx.run("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
      await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [now(), name]);
      await this.audit(tx, actor, "delete_alias", name, Number(old.version), `${name}@${alias}`, String(old.version), null);
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    checkAlias(alias);
    await this.modelRow(this.sql, name);
    const row = await this.sql.get<{ version: number }>("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
    if (!row) throw new NotFoundError(`registered model ${show(name)} has no alias ${show(alias)}`, { path: "alias", received: alias });
    return this.loadVersion(this.sql, name, String(row.version));
  }

  // ------------------------------------------------------------------------------------------
  // audit

  async getAuditLog(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    const limit = maxResults(query.maxResults, 1000, 50_000);
    const offset = decodePageToken(query.pageToken);
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.modelName !== undefined) {
      where.push("model_name = ?");
      params.push(checkModelName(query.modelName));
    }
    if (query.version !== undefined) {
      where.push("version = ?");
      params.push(checkVersion(query.version));
    }
    if (query.action !== undefined) {
      where.push("action = ?");
      params.push(query.action);
    }
    if (query.since !== undefined) {
      where.push("timestamp >= ?");
      params.push(query.since);
    }
    const rows = await this.sql.all<AuditRow>(`SELECT * FROM registry_audit ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id LIMIT ? OFFSET ?`, [...params, limit + 1, offset]);
    const more = rows.length > limit;
    const items: AuditEntry[] = rows.slice(0, limit).map((r) => ({
      id: Number(r.id),
      timestamp: Number(r.timestamp),
      actor: r.actor,
      action: r.action as AuditAction,
      modelName: r.model_name,
      version: r.version === null ? null : String(r.version),
      entity: r.entity,
      from: r.from_value,
      to: r.to_value,
    }));
    return more ? { items, nextPageToken: encodePageToken(offset + limit) } : { items };
  }

  /** The connection is the backend's: nothing of the registry's own to release. */
  async close(): Promise<void> {}
}
