/**
 * The tracking store over a SQL backend, SQLite and PostgreSQL alike (the backend's driver
 * hides the dialect). Every multi-row write runs in one transaction. Searches translate
 * MLflow's filter grammar into parameterised SQL over whitelisted columns; a metric filter or
 * ordering reads `latest_metrics` through its (key, value) index.
 */
import { randomUUID } from "node:crypto";
import { AlreadyExistsError, ConflictError, InvalidInputError, NotFoundError, show } from "../../core/index.js";
import { randomRunName } from "../run-names.js";
import { parseFilter, parseOrderBy } from "../search/filter.js";
import { decodePageToken, encodePageToken } from "../search/page-token.js";
import {
  DEFAULT_EXPERIMENT_ID,
  DEFAULT_EXPERIMENT_NAME,
  type CreateExperimentInput,
  type CreateRunInput,
  type DeletedRunsQuery,
  type LogBatchInput,
  type MetricHistoryQuery,
  type SampledHistoryQuery,
  type SearchExperimentsQuery,
  type SearchRunsQuery,
  type TrackingStore,
  type UpdateRunInput,
} from "../store.js";
import { TAG } from "../system-tags.js";
import type { DatasetInput, Experiment, LifecycleStage, Metric, Page, Param, Run, RunInfo, RunTag } from "../../wire/index.js";
import {
  checkBatch,
  checkDatasetInputs,
  checkExperimentId,
  checkExperimentName,
  checkKey,
  checkMaxResults,
  checkMetric,
  checkParam,
  checkRunId,
  checkStatus,
  checkTag,
  checkTime,
  checkViewType,
} from "../validation.js";
import { and, clauseName, compare, type Fragment } from "./clauses.js";
import { type BulkType, isUniqueViolation, type SqlBackend, type SqlDriver, type SqlExecutor, type SqlValue } from "../../backend/index.js";
import { RUN_COLUMNS, runSearchPlan } from "./run-search-plan.js";
import { type ExperimentRow, joinPath, LATEST_METRIC_UPDATE, later, metricColumns, metricValue, now, type RunRow, toRunInfo } from "./tracking-rows.js";
import { TRACKING_MIGRATIONS } from "./tracking-schema.js";
import { checkNumberTag, nextChildNumber } from "./child-number.js";
import { metricHistoryPage, sampledMetricHistory } from "./metric-history.js";

const EXPERIMENT_ATTRIBUTES: Record<string, { col: string; type: "number" | "string" }> = {
  name: { col: "e.name", type: "string" },
  experiment_id: { col: "e.experiment_id", type: "number" },
  creation_time: { col: "e.creation_time", type: "number" },
  last_update_time: { col: "e.last_update_time", type: "number" },
};

/**
 * The shared SQL implementation of `TrackingStore`.
 * @example
 * ```ts
 * const backend = await openBackend("sqlite:////tmp/keel.db");
 * if (backend instanceof SqlBackend) {
 *   const store = await SqlTrackingStore.open(backend);
 *   const id = await store.createExperiment({ name: "credit" });
 * }
 * ```
 */
export class SqlTrackingStore implements TrackingStore {
  readonly uri: string;
  readonly kind: string;
  readonly artifactRoot: string;
  private readonly sql: SqlDriver;

  private constructor(readonly backend: SqlBackend) {
    this.sql = backend.sql;
    this.uri = backend.uri;
    this.kind = backend.kind;
    this.artifactRoot = backend.artifactRoot;
  }

  /** Open over a SQL backend: applies the tracking migrations and makes sure the Default experiment exists. */
  static async open(backend: SqlBackend): Promise<SqlTrackingStore> {
    await backend.migrate("tracking", TRACKING_MIGRATIONS);
    const t = now();
    await backend.sql.run(
      "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, 'active', ?, ?) ON CONFLICT DO NOTHING",
      [0, DEFAULT_EXPERIMENT_NAME, joinPath(backend.artifactRoot, DEFAULT_EXPERIMENT_ID), t, t],
    );
    return new SqlTrackingStore(backend);
  }

  // ------------------------------------------------------------------------------------------
  // experiments

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    const name = checkExperimentName(input?.name);
    const tags = (input.tags ?? []).map((tag) => checkTag(tag, "experiment tag"));
    if (input.artifactLocation !== undefined && (typeof input.artifactLocation !== "string" || input.artifactLocation.length === 0)) {
      throw new InvalidInputError(`artifact location ${show(input.artifactLocation)} is not valid: expected a path or URI`, { path: "artifact_location", received: input.artifactLocation });
    }
    return this.sql.transaction(async (tx) => {
      const existing = await tx.get<ExperimentRow>("SELECT * FROM experiments WHERE name = ?", [name]);
      if (existing) {
        const state = existing.lifecycle_stage === "deleted" ? " (in the deleted state: restore it or pick another name)" : "";
        throw new AlreadyExistsError(`experiment ${show(name)} already exists${state}`, { path: "name", received: name });
      }
      const t = now();
      let row: { experiment_id: number } | undefined;
      try {
        row = await tx.get<{ experiment_id: number }>(
          "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, 'active', ?, ?) RETURNING experiment_id",
          [name, input.artifactLocation ?? "", t, t],
        );
      } catch (e) {
        if (isUniqueViolation(e)) throw new AlreadyExistsError(`experiment ${show(name)} already exists`, { path: "name", received: name });
        throw e;
      }
      const id = Number(row!.experiment_id);
      if (input.artifactLocation === undefined) {
        await tx.run("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?", [joinPath(this.artifactRoot, String(id)), id]);
      }
      if (tags.length > 0) {
        const last = new Map(tags.map((tag) => [tag.key, tag.value]));
        await tx.insertMany("experiment_tags", ["experiment_id", "key", "value"], ["bigint", "text", "text"], [[...last.keys()].map(() => id), [...last.keys()], [...last.values()]]);
      }
      return String(id);
    });
  }

  private async experimentRow(ex: SqlExecutor, experimentId: string): Promise<ExperimentRow> {
    const id = checkExperimentId(experimentId);
    const row = await ex.get<ExperimentRow>("SELECT * FROM experiments WHERE experiment_id = ?", [Number(id)]);
    if (!row) throw new NotFoundError(`experiment ${show(id)} does not exist`, { path: "experiment_id", received: id });
    return row;
  }

  private async toExperiments(ex: SqlExecutor, rows: ExperimentRow[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.experiment_id));
    const list = this.sql.inList("experiment_id", ids, "bigint");
    const tags = await ex.all<{ experiment_id: number; key: string; value: string }>(`SELECT experiment_id, key, value FROM experiment_tags WHERE ${list.sql} ORDER BY key`, [list.param]);
    const byId = new Map<number, { key: string; value: string }[]>();
    for (const t of tags) {
      const k = Number(t.experiment_id);
      let a = byId.get(k);
      if (!a) byId.set(k, (a = []));
      a.push({ key: t.key, value: t.value });
    }
    return rows.map((r) => ({
      experimentId: String(r.experiment_id),
      name: r.name,
      artifactLocation: r.artifact_location,
      lifecycleStage: r.lifecycle_stage as LifecycleStage,
      creationTime: Number(r.creation_time),
      lastUpdateTime: Number(r.last_update_time),
      tags: byId.get(Number(r.experiment_id)) ?? [],
    }));
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const row = await this.experimentRow(this.sql, experimentId);
    return (await this.toExperiments(this.sql, [row]))[0];
  }

  async getExperimentByName(name: string): Promise<Experiment> {
    if (typeof name !== "string" || name.length === 0) throw new InvalidInputError(`experiment name ${show(name)} is not valid`, { path: "experiment_name", received: name });
    const row = await this.sql.get<ExperimentRow>("SELECT * FROM experiments WHERE name = ?", [name]);
    if (!row) throw new NotFoundError(`experiment ${show(name)} does not exist`, { path: "experiment_name", received: name });
    return (await this.toExperiments(this.sql, [row]))[0];
  }

  async searchExperiments(query: SearchExperimentsQuery = {}): Promise<Page<Experiment>> {
    const viewType = checkViewType(query.viewType);
    const limit = checkMaxResults(query.maxResults);
    const offset = decodePageToken(query.pageToken);
    const where: Fragment[] = [];
    if (viewType !== "ALL") where.push({ sql: "e.lifecycle_stage = ?", params: [viewType === "ACTIVE_ONLY" ? "active" : "deleted"] });
    let n = 0;
    for (const c of parseFilter(query.filter)) {
      if (c.entity === "tag") {
        const alias = `et${n++}`;
        const cmp = compare(this.sql, `${alias}.value`, c, "string");
        where.push({ sql: `EXISTS (SELECT 1 FROM experiment_tags ${alias} WHERE ${alias}.experiment_id = e.experiment_id AND ${alias}.key = ? AND ${cmp.sql})`, params: [c.key, ...cmp.params] });
      } else if (c.entity === "attribute" && EXPERIMENT_ATTRIBUTES[c.key]) {
        const a = EXPERIMENT_ATTRIBUTES[c.key];
        where.push(compare(this.sql, a.col, c, a.type));
      } else {
        throw new InvalidInputError(`filter: ${clauseName(c)} is not searchable for experiments; expected name, creation_time, last_update_time or tags.<key>`, { path: "filter", received: clauseName(c) });
      }
    }
    const order: string[] = [];
    for (const o of parseOrderBy(query.orderBy)) {
      const a = o.entity === "attribute" ? EXPERIMENT_ATTRIBUTES[o.key] : undefined;
      if (!a) throw new InvalidInputError(`order_by: ${show(o.key)} is not valid for experiments; expected name, experiment_id, creation_time or last_update_time`, { path: "order_by", received: o.key });
      order.push(`${a.col} ${o.ascending ? "ASC" : "DESC"}`);
    }
    if (order.length === 0) order.push("e.creation_time DESC");
    order.push("e.experiment_id ASC");
    const w = and(where);
    const rows = await this.sql.all<ExperimentRow>(`SELECT e.* FROM experiments e WHERE ${w.sql} ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
    const more = rows.length > limit;
    const items = await this.toExperiments(this.sql, rows.slice(0, limit));
    return more ? { items, nextPageToken: encodePageToken(offset + limit) } : { items };
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    const name = checkExperimentName(newName);
    await this.sql.transaction(async (tx) => {
      const row = await this.experimentRow(tx, experimentId);
      if (row.lifecycle_stage !== "active") throw new InvalidInputError(`experiment ${show(row.name)} is deleted: restore it before renaming`, { path: "experiment_id", received: experimentId });
      if (row.name === name) return;
      const clash = await tx.get("SELECT 1 AS x FROM experiments WHERE name = ?", [name]);
      if (clash) throw new AlreadyExistsError(`experiment ${show(name)} already exists`, { path: "new_name", received: name });
      await tx.run("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?", [name, now(), Number(row.experiment_id)]);
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    const id = checkExperimentId(experimentId);
    if (id === DEFAULT_EXPERIMENT_ID) throw new InvalidInputError(`the Default experiment (id "0") cannot be deleted`, { path: "experiment_id", received: id });
    await this.sql.transaction(async (tx) => {
      const row = await this.experimentRow(tx, id);
      if (row.lifecycle_stage === "deleted") return;
      const t = now();
      await tx.run("UPDATE experiments SET lifecycle_stage = 'deleted', deleted_time = ?, last_update_time = ? WHERE experiment_id = ?", [t, t, Number(id)]);
      await tx.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage = 'active'", [t, Number(id)]);
    });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    const id = checkExperimentId(experimentId);
    await this.sql.transaction(async (tx) => {
      const row = await this.experimentRow(tx, id);
      if (row.lifecycle_stage === "active") return;
      const clash = await tx.get("SELECT 1 AS x FROM experiments WHERE name = ? AND experiment_id <> ?", [row.name, Number(id)]);
      if (clash) throw new AlreadyExistsError(`cannot restore experiment ${show(id)}: its name ${show(row.name)} is taken`, { path: "experiment_id", received: id });
      await tx.run("UPDATE experiments SET lifecycle_stage = 'active', deleted_time = NULL, last_update_time = ? WHERE experiment_id = ?", [now(), Number(id)]);
      // the runs deleted together with the experiment come back with it
      await tx.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ? AND lifecycle_stage = 'deleted' AND deleted_time = ?", [Number(id), row.deleted_time]);
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    checkTag({ key, value }, "experiment tag");
    await this.sql.transaction(async (tx) => {
      const row = await this.experimentRow(tx, experimentId);
      if (row.lifecycle_stage !== "active") throw new InvalidInputError(`experiment ${show(row.name)} is deleted: restore it before setting tags`, { path: "experiment_id", received: experimentId });
      await tx.run("INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value", [Number(row.experiment_id), key, value]);
      await tx.run("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", [now(), Number(row.experiment_id)]);
    });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    checkKey("experiment tag", key);
    await this.sql.transaction(async (tx) => {
      const row = await this.experimentRow(tx, experimentId);
      const n = await tx.run("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", [Number(row.experiment_id), key]);
      if (n === 0) throw new NotFoundError(`experiment ${show(row.name)} has no tag ${show(key)}`, { path: "key", received: key });
    });
  }

  // ------------------------------------------------------------------------------------------
  // runs

  private async runRow(ex: SqlExecutor, runId: string): Promise<RunRow> {
    checkRunId(runId);
    const row = await ex.get<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_uuid = ?`, [runId]);
    if (!row) throw new NotFoundError(`run ${show(runId)} does not exist`, { path: "run_id", received: runId });
    return row;
  }

  private async activeRunRow(ex: SqlExecutor, runId: string): Promise<RunRow> {
    const row = await this.runRow(ex, runId);
    if (row.lifecycle_stage !== "active") {
      throw new InvalidInputError(`run ${show(runId)} is deleted: it must be active to change it (restore it first)`, { path: "run_id", expected: "an active run", received: row.lifecycle_stage });
    }
    return row;
  }

  async createRun(input: CreateRunInput = {}): Promise<Run> {
    const experimentId = checkExperimentId(input.experimentId ?? DEFAULT_EXPERIMENT_ID);
    const tags = (input.tags ?? []).map((t) => checkTag(t));
    const tagMap = new Map(tags.map((t) => [t.key, t.value]));
    if (input.runName !== undefined && typeof input.runName !== "string") throw new InvalidInputError(`run name ${show(input.runName)} is not a string`, { path: "run_name", received: input.runName });
    const runName = input.runName || tagMap.get(TAG.runName) || randomRunName();
    const hypothesis = input.hypothesis ?? tagMap.get(TAG.hypothesis) ?? null;
    if (hypothesis !== null) checkTag({ key: TAG.hypothesis, value: hypothesis });
    const parentRunId = input.parentRunId ?? tagMap.get(TAG.parentRunId) ?? null;
    const status = checkStatus(input.status ?? "RUNNING");
    const startTime = input.startTime === undefined ? now() : checkTime("start_time", input.startTime);
    const userId = input.userId ?? tagMap.get(TAG.user) ?? "";
    checkTag({ key: TAG.runName, value: runName });
    tagMap.set(TAG.runName, runName);
    if (hypothesis !== null) tagMap.set(TAG.hypothesis, hypothesis);
    if (parentRunId !== null) tagMap.set(TAG.parentRunId, parentRunId);
    const numberTag = input.numberTag === undefined ? null : checkNumberTag(input.numberTag, parentRunId, tagMap);
    const runId = randomUUID().replace(/-/g, "");
    return this.sql.transaction(async (tx) => {
      const exp = await this.experimentRow(tx, experimentId);
      if (exp.lifecycle_stage !== "active") throw new InvalidInputError(`experiment ${show(exp.name)} is deleted: runs cannot be created in it`, { path: "experiment_id", received: experimentId });
      if (parentRunId !== null) await this.runRow(tx, parentRunId);
      if (numberTag !== null) tagMap.set(numberTag, String(await nextChildNumber(tx, parentRunId!, numberTag)));
      const artifactUri = joinPath(exp.artifact_location, runId, "artifacts");
      const row = await tx.get<{ id: number }>(
        "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage, hypothesis, parent_run_uuid) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 'active', ?, ?) RETURNING id",
        [runId, Number(experimentId), runName, userId, status, startTime, artifactUri, hypothesis, parentRunId],
      );
      const id = Number(row!.id);
      await tx.insertMany("tags", ["run_id", "key", "value"], ["bigint", "text", "text"], [[...tagMap.keys()].map(() => id), [...tagMap.keys()], [...tagMap.values()]]);
      return this.loadRun(tx, runId);
    });
  }

  /**
   * One run with its data. The run row and the data are read together (keyed by the run's
   * uuid, so no read waits for another): on PostgreSQL one pipelined round trip.
   */
  private async loadRun(ex: SqlExecutor, runId: string): Promise<Run> {
    checkRunId(runId);
    const [row, data] = await Promise.allSettled([this.runRow(ex, runId), this.runData(ex, "= (SELECT id FROM runs WHERE run_uuid = ?)", runId)]);
    if (row.status === "rejected") throw row.reason;
    if (data.status === "rejected") throw data.reason;
    return this.assemble([row.value], data.value)[0];
  }

  /** Runs with their data (params, tags, latest metrics) and dataset inputs. */
  private async hydrate(ex: SqlExecutor, rows: RunRow[]): Promise<Run[]> {
    if (rows.length === 0) return [];
    const l = this.sql.inList("run_id", rows.map((r) => Number(r.id)), "bigint");
    return this.assemble(rows, await this.runData(ex, l.sql.slice("run_id".length), l.param));
  }

  /**
   * The data of the runs whose id satisfies `run_id <test>` (`test` binds one parameter): the
   * reads are issued together.
   */
  private async runData(ex: SqlExecutor, test: string, param: SqlValue) {
    const [params, tags, metrics, inputs] = await Promise.all([
      ex.all<{ run_id: number; key: string; value: string }>(`SELECT run_id, key, value FROM params WHERE run_id ${test} ORDER BY key`, [param]),
      ex.all<{ run_id: number; key: string; value: string }>(`SELECT run_id, key, value FROM tags WHERE run_id ${test} ORDER BY key`, [param]),
      ex.all<{ run_id: number; key: string; value: number | null; is_nan: number; step: number; timestamp: number }>(
        `SELECT run_id, key, value, is_nan, step, timestamp FROM latest_metrics WHERE run_id ${test} ORDER BY key`,
        [param],
      ),
      ex.all<{ input_id: number; run_id: number; name: string; digest: string; source_type: string; source: string; schema_json: string | null; profile: string | null; num_rows: number | null }>(
        `SELECT i.id AS input_id, i.run_id, d.name, d.digest, d.source_type, d.source, d.schema_json, d.profile, d.num_rows FROM inputs i JOIN datasets d ON d.id = i.dataset_id WHERE i.run_id ${test} ORDER BY i.id`,
        [param],
      ),
    ]);
    let inputTags: { input_id: number; key: string; value: string }[] = [];
    if (inputs.length > 0) {
      const il = this.sql.inList("input_id", inputs.map((i) => Number(i.input_id)), "bigint");
      inputTags = await ex.all<{ input_id: number; key: string; value: string }>(`SELECT input_id, key, value FROM input_tags WHERE ${il.sql} ORDER BY key`, [il.param]);
    }
    return { params, tags, metrics, inputs, inputTags };
  }

  private assemble(rows: RunRow[], d: Awaited<ReturnType<SqlTrackingStore["runData"]>>): Run[] {
    const runs = new Map<number, Run>();
    for (const r of rows) runs.set(Number(r.id), { info: toRunInfo(r), data: { metrics: [], params: [], tags: [] }, inputs: { datasetInputs: [] } });
    for (const p of d.params) runs.get(Number(p.run_id))?.data.params.push({ key: p.key, value: p.value });
    for (const t of d.tags) runs.get(Number(t.run_id))?.data.tags.push({ key: t.key, value: t.value });
    for (const m of d.metrics) runs.get(Number(m.run_id))?.data.metrics.push({ key: m.key, value: metricValue(m.value, m.is_nan), timestamp: Number(m.timestamp), step: Number(m.step) });
    const byInput = new Map<number, DatasetInput>();
    for (const i of d.inputs) {
      const di: DatasetInput = {
        tags: [],
        dataset: { name: i.name, digest: i.digest, sourceType: i.source_type, source: i.source, schema: i.schema_json, profile: i.profile, rows: i.num_rows === null ? null : Number(i.num_rows) },
      };
      byInput.set(Number(i.input_id), di);
      runs.get(Number(i.run_id))?.inputs.datasetInputs.push(di);
    }
    for (const t of d.inputTags) byInput.get(Number(t.input_id))?.tags.push({ key: t.key, value: t.value });
    return rows.map((r) => runs.get(Number(r.id))!);
  }

  async getRun(runId: string): Promise<Run> {
    return this.sql.connection((ex) => this.loadRun(ex, runId));
  }

  async updateRun(runId: string, patch: UpdateRunInput): Promise<RunInfo> {
    if (patch === null || typeof patch !== "object") throw new InvalidInputError("run update must be an object", { path: "update" });
    const sets: string[] = [];
    const params: SqlValue[] = [];
    const tags: RunTag[] = [];
    if (patch.status !== undefined) {
      sets.push("status = ?");
      params.push(checkStatus(patch.status));
    }
    if (patch.endTime !== undefined && patch.endTime !== null) {
      sets.push("end_time = ?");
      params.push(checkTime("end_time", patch.endTime));
    }
    if (patch.runName !== undefined && patch.runName !== "") {
      checkTag({ key: TAG.runName, value: patch.runName });
      sets.push("name = ?");
      params.push(patch.runName);
      tags.push({ key: TAG.runName, value: patch.runName });
    }
    if (patch.hypothesis !== undefined) {
      checkTag({ key: TAG.hypothesis, value: patch.hypothesis });
      sets.push("hypothesis = ?");
      params.push(patch.hypothesis);
      tags.push({ key: TAG.hypothesis, value: patch.hypothesis });
    }
    return this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      if (sets.length > 0) await tx.run(`UPDATE runs SET ${sets.join(", ")} WHERE id = ?`, [...params, Number(row.id)]);
      for (const t of tags) await tx.run("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value", [Number(row.id), t.key, t.value]);
      return toRunInfo(await this.runRow(tx, runId));
    });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const row = await this.runRow(tx, runId);
      if (row.lifecycle_stage === "deleted") return;
      await tx.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE id = ?", [now(), Number(row.id)]);
    });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const row = await this.runRow(tx, runId);
      if (row.lifecycle_stage === "active") return;
      const exp = await tx.get<{ lifecycle_stage: string }>("SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?", [Number(row.experiment_id)]);
      if (exp?.lifecycle_stage !== "active") throw new InvalidInputError(`run ${show(runId)} belongs to a deleted experiment: restore the experiment instead`, { path: "run_id", received: runId });
      await tx.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE id = ?", [Number(row.id)]);
    });
  }

  async listDeletedRuns(query: DeletedRunsQuery = {}): Promise<RunInfo[]> {
    const where: Fragment[] = [{ sql: "r.lifecycle_stage = 'deleted'", params: [] }];
    if (query.olderThanMs !== undefined) {
      if (typeof query.olderThanMs !== "number" || !(query.olderThanMs >= 0)) throw new InvalidInputError(`olderThanMs ${show(query.olderThanMs)} is not a duration in ms`, { path: "older_than", received: query.olderThanMs });
      where.push({ sql: "r.deleted_time <= ?", params: [now() - query.olderThanMs] });
    }
    if (query.runIds !== undefined) {
      const l = this.sql.inList("r.run_uuid", query.runIds, "text");
      where.push({ sql: l.sql, params: [l.param] });
    }
    const w = and(where);
    const rows = await this.sql.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs r WHERE ${w.sql} ORDER BY r.deleted_time, r.id`, w.params);
    return rows.map(toRunInfo);
  }

  async purgeRun(runId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const row = await this.runRow(tx, runId);
      if (row.lifecycle_stage !== "deleted") throw new ConflictError(`run ${show(runId)} is active: delete it before purging it`, { path: "run_id", expected: "a deleted run", received: row.lifecycle_stage });
      const id = Number(row.id);
      // explicit deletes: PostgreSQL and SQLite cascade too, but this keeps the order obvious
      await tx.run("DELETE FROM input_tags WHERE input_id IN (SELECT id FROM inputs WHERE run_id = ?)", [id]);
      await tx.run("DELETE FROM inputs WHERE run_id = ?", [id]);
      await tx.run("DELETE FROM metrics WHERE run_id = ?", [id]);
      await tx.run("DELETE FROM latest_metrics WHERE run_id = ?", [id]);
      await tx.run("DELETE FROM params WHERE run_id = ?", [id]);
      await tx.run("DELETE FROM tags WHERE run_id = ?", [id]);
      await tx.run("DELETE FROM runs WHERE id = ?", [id]);
    });
  }

  async heartbeat(runId: string, timeoutMs: number): Promise<void> {
    checkRunId(runId);
    if (typeof timeoutMs !== "number" || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
      throw new InvalidInputError(`heartbeat timeout ${show(timeoutMs)} is not valid: expected a whole number of ms ≥ 1`, { path: "timeout_ms", expected: "an integer ≥ 1", received: timeoutMs });
    }
    const t = now();
    const n = await this.sql.run("UPDATE runs SET heartbeat_at = ?, heartbeat_deadline = ? WHERE run_uuid = ? AND status = 'RUNNING'", [t, t + timeoutMs, runId]);
    if (n === 0) {
      const row = await this.runRow(this.sql, runId);
      throw new ConflictError(`run ${show(runId)} is ${row.status}, not RUNNING: it takes no heartbeat`, { path: "run_id", expected: "a RUNNING run", received: row.status });
    }
  }

  async failStaleRuns(): Promise<RunInfo[]> {
    return this.sql.transaction(async (tx) => {
      const t = now();
      const stale = await tx.all<RunRow & { heartbeat_at: number }>(
        `SELECT ${RUN_COLUMNS}, r.heartbeat_at FROM runs r WHERE r.status = 'RUNNING' AND r.heartbeat_deadline < ? ORDER BY r.id`,
        [t],
      );
      const out: RunInfo[] = [];
      for (const row of stale) {
        const last = Number(row.heartbeat_at);
        await tx.run("UPDATE runs SET status = 'FAILED', end_time = ? WHERE id = ? AND status = 'RUNNING'", [last, Number(row.id)]);
        await this.writeTags(tx, row, [{ key: TAG.failure, value: `its process stopped: no heartbeat since ${new Date(last).toISOString()}` }]);
        out.push(toRunInfo({ ...row, status: "FAILED", end_time: last }));
      }
      return out;
    });
  }

  async searchRuns(query: SearchRunsQuery = {}): Promise<Page<Run>> {
    const viewType = checkViewType(query.viewType);
    const limit = checkMaxResults(query.maxResults);
    const offset = decodePageToken(query.pageToken);
    const clauses = parseFilter(query.filter);
    const orderTerms = parseOrderBy(query.orderBy);
    this.sql.optimize?.();
    const plan = await runSearchPlan(this.sql, query.experimentIds ?? [], viewType, clauses, orderTerms, offset + limit + 1);
    const options = { signal: query.signal };
    let rows = await this.sql.all<RunRow>(`${plan.first.sql} LIMIT ? OFFSET ?`, [...plan.first.params, limit + 1, offset], options);
    if (plan.second && rows.length < limit + 1) {
      // runs without a value for the first order key come after all runs with one
      let firstTotal = offset + rows.length;
      if (rows.length === 0 && offset > 0) {
        const c = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (${plan.first.sql}) q`, plan.first.params, options);
        firstTotal = Number(c?.n ?? 0);
      }
      const rest = await this.sql.all<RunRow>(`${plan.second.sql} LIMIT ? OFFSET ?`, [...plan.second.params, limit + 1 - rows.length, Math.max(0, offset - firstTotal)], options);
      rows = rows.concat(rest);
    }
    const more = rows.length > limit;
    const items = await this.sql.connection((ex) => this.hydrate(ex, rows.slice(0, limit)));
    return more ? { items, nextPageToken: encodePageToken(offset + limit) } : { items };
  }

  // ------------------------------------------------------------------------------------------
  // logging

  async logMetric(runId: string, metric: Metric): Promise<void> {
    checkMetric(metric);
    await this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      await this.writeMetrics(tx, Number(row.id), [metric]);
    });
  }

  async logParam(runId: string, param: Param): Promise<void> {
    checkParam(param);
    await this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      await this.writeParams(tx, row, [param]);
    });
  }

  async setTag(runId: string, tag: RunTag): Promise<void> {
    checkTag(tag);
    await this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      await this.writeTags(tx, row, [tag]);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    checkKey("tag", key);
    await this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      const n = await tx.run("DELETE FROM tags WHERE run_id = ? AND key = ?", [Number(row.id), key]);
      if (n === 0) throw new NotFoundError(`run ${show(runId)} has no tag ${show(key)}`, { path: "key", received: key });
      if (key === TAG.hypothesis) await tx.run("UPDATE runs SET hypothesis = NULL WHERE id = ?", [Number(row.id)]);
    });
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    if (batch === null || typeof batch !== "object") throw new InvalidInputError("log batch must be an object with metrics, params and tags", { path: "batch" });
    const { metrics, params, tags } = checkBatch(batch);
    checkRunId(runId);
    if (this.sql.dialect === "postgres" && params.length === 0 && tags.length === 0 && metrics.length > 0) {
      await this.logMetricsInOneStatement(runId, metrics);
      return;
    }
    await this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      if (params.length > 0) await this.writeParams(tx, row, params);
      if (metrics.length > 0) await this.writeMetrics(tx, Number(row.id), metrics);
      if (tags.length > 0) await this.writeTags(tx, row, tags);
    });
  }

  async logMetrics(runId: string, metrics: Metric[]): Promise<void> {
    if (!Array.isArray(metrics)) throw new InvalidInputError("metrics must be an array", { path: "metrics" });
    for (const m of metrics) checkMetric(m);
    checkRunId(runId);
    if (metrics.length === 0) {
      await this.activeRunRow(this.sql, runId);
      return;
    }
    if (this.sql.dialect === "postgres") {
      await this.logMetricsInOneStatement(runId, metrics);
      return;
    }
    await this.sql.transaction(async (tx) => {
      const row = await this.activeRunRow(tx, runId);
      await this.writeMetrics(tx, Number(row.id), metrics);
    });
  }

  /**
   * PostgreSQL, metrics only (the hot path of training loops): the run check and both inserts as
   * one statement (data-modifying CTEs), so the batch costs one round trip and holds its row locks
   * on `latest_metrics` only for that statement instead of a three-round-trip transaction. It is
   * atomic like the transaction it replaces; when the run is missing or deleted nothing is written
   * and a second read says which.
   */
  private async logMetricsInOneStatement(runId: string, metrics: readonly Metric[]): Promise<void> {
    const c = metricColumns(metrics);
    const types = "?::text[], ?::float8[], ?::int4[], ?::int8[], ?::int8[]";
    const written = await this.sql.get<{ id: number }>(
      `WITH r AS (SELECT id FROM runs WHERE run_uuid = ? AND lifecycle_stage = 'active'),
       m AS (INSERT INTO metrics (run_id, key, value, is_nan, step, timestamp)
             SELECT r.id, u.* FROM r, unnest(${types}) AS u ON CONFLICT DO NOTHING),
       l AS (INSERT INTO latest_metrics (run_id, key, value, is_nan, step, timestamp)
             SELECT r.id, u.* FROM r, unnest(${types}) AS u
             ON CONFLICT (run_id, key) DO UPDATE SET ${LATEST_METRIC_UPDATE})
       SELECT id FROM r`,
      [runId, ...([c.keys, c.values, c.nans, c.steps, c.times, c.latestKeys, c.latestValues, c.latestNans, c.latestSteps, c.latestTimes] as unknown as SqlValue[])],
    );
    if (!written) await this.activeRunRow(this.sql, runId); // throws NOT_FOUND or "deleted"
  }

  private async writeParams(tx: SqlExecutor, run: RunRow, params: readonly Param[]): Promise<void> {
    const id = Number(run.id);
    const wanted = new Map(params.map((p) => [p.key, p.value]));
    const keys = [...wanted.keys()];
    await tx.insertMany("params", ["run_id", "key", "value"], ["bigint", "text", "text"], [keys.map(() => id), keys, [...wanted.values()]], "ON CONFLICT (run_id, key) DO NOTHING");
    const l = this.sql.inList("key", keys, "text");
    for (const stored of await tx.all<{ key: string; value: string }>(`SELECT key, value FROM params WHERE run_id = ? AND ${l.sql}`, [id, l.param])) {
      const value = wanted.get(stored.key);
      if (value !== stored.value) {
        throw new InvalidInputError(
          `param ${show(stored.key)} of run ${show(run.run_uuid)} already has value ${show(stored.value)}; a logged param cannot be changed to ${show(value)} (log it under another key, or start a new run)`,
          { path: `params.${stored.key}`, expected: stored.value, received: value },
        );
      }
    }
  }

  private async writeTags(tx: SqlExecutor, run: RunRow, tags: readonly RunTag[]): Promise<void> {
    const id = Number(run.id);
    const last = new Map(tags.map((t) => [t.key, t.value]));
    const keys = [...last.keys()];
    await tx.insertMany("tags", ["run_id", "key", "value"], ["bigint", "text", "text"], [keys.map(() => id), keys, [...last.values()]], "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
    const name = last.get(TAG.runName);
    if (name !== undefined && name !== "") await tx.run("UPDATE runs SET name = ? WHERE id = ?", [name, id]);
    const hypothesis = last.get(TAG.hypothesis);
    if (hypothesis !== undefined) await tx.run("UPDATE runs SET hypothesis = ? WHERE id = ?", [hypothesis, id]);
    const parent = last.get(TAG.parentRunId);
    if (parent !== undefined) await tx.run("UPDATE runs SET parent_run_uuid = ? WHERE id = ?", [parent, id]);
  }

  private async writeMetrics(tx: SqlExecutor, runRowId: number, metrics: readonly Metric[]): Promise<void> {
    const c = metricColumns(metrics);
    const cols = ["run_id", "key", "value", "is_nan", "step", "timestamp"];
    const types: BulkType[] = ["bigint", "text", "double", "int", "bigint", "bigint"];
    // issued together: one pipelined round trip on PostgreSQL
    await Promise.all([
      tx.insertMany("metrics", cols, types, [c.keys.map(() => runRowId), c.keys, c.values, c.nans, c.steps, c.times], "ON CONFLICT DO NOTHING"),
      tx.insertMany(
        "latest_metrics",
        cols,
        types,
        [c.latestKeys.map(() => runRowId), c.latestKeys, c.latestValues, c.latestNans, c.latestSteps, c.latestTimes],
        `ON CONFLICT (run_id, key) DO UPDATE SET ${LATEST_METRIC_UPDATE}`,
      ),
    ]);
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    checkDatasetInputs(inputs);
    await this.sql.transaction(async (tx) => {
      const run = await this.activeRunRow(tx, runId);
      for (const input of inputs) {
        const d = input.dataset;
        await tx.run(
          "INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema_json, profile, num_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, name, digest) DO NOTHING",
          [Number(run.experiment_id), d.name, d.digest, d.sourceType, d.source, d.schema ?? null, d.profile ?? null, d.rows ?? null],
        );
        const ds = await tx.get<{ id: number }>("SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?", [Number(run.experiment_id), d.name, d.digest]);
        await tx.run("INSERT INTO inputs (dataset_id, run_id) VALUES (?, ?) ON CONFLICT (run_id, dataset_id) DO NOTHING", [Number(ds!.id), Number(run.id)]);
        const inp = await tx.get<{ id: number }>("SELECT id FROM inputs WHERE dataset_id = ? AND run_id = ?", [Number(ds!.id), Number(run.id)]);
        const tags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
        if (tags.size > 0) {
          await tx.insertMany(
            "input_tags",
            ["input_id", "key", "value"],
            ["bigint", "text", "text"],
            [[...tags.keys()].map(() => Number(inp!.id)), [...tags.keys()], [...tags.values()]],
            "ON CONFLICT (input_id, key) DO UPDATE SET value = excluded.value",
          );
        }
      }
    });
  }

  // ------------------------------------------------------------------------------------------
  // metric history

  async getMetricHistory(runId: string, key: string, query: MetricHistoryQuery = {}): Promise<Page<Metric>> {
    checkKey("metric", key);
    return metricHistoryPage(this.sql, Number((await this.runRow(this.sql, runId)).id), key, query);
  }

  async getMetricHistorySampled(runId: string, key: string, query: SampledHistoryQuery = {}): Promise<Metric[]> {
    checkKey("metric", key);
    const maxPoints = query.maxPoints ?? 1000;
    if (!Number.isInteger(maxPoints) || maxPoints < 3) throw new InvalidInputError(`maxPoints ${show(maxPoints)} is not valid: expected an integer ≥ 3`, { path: "max_points", received: maxPoints });
    return sampledMetricHistory(this.sql, Number((await this.runRow(this.sql, runId)).id), key, { ...query, maxPoints });
  }

  /** The connection is the backend's: nothing of the store's own to release. */
  async close(): Promise<void> {}
}
