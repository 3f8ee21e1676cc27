/**
 * The MLflow REST 2.0 wire format of tracking entities (mlflow's `service.proto` rendered as
 * JSON the way MLflow's server renders it): snake_case field names, enums by name, int64 as
 * numbers, unset optional fields left out, non-finite doubles as the strings "NaN", "Infinity"
 * and "-Infinity" (protobuf's JSON mapping). Keel's extensions are extra fields that MLflow
 * clients ignore: `run_info.hypothesis`, `run_info.parent_run_id`, `run_info.deleted_time` and
 * `dataset.rows`.
 *
 * Both directions live here so the server (encoding) and the HTTP client stores (decoding)
 * cannot drift apart: `encode*` turns Keel entities into JSON, `decode*` reads JSON back into them.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Dataset, DatasetInput, Experiment, LifecycleStage, Metric, Page, Param, Run, RunInfo, RunStatus, RunTag } from "./tracking-entities.js";

/** A JSON object as it arrives on the wire. */
export type JsonObject = Record<string, unknown>;

// ------------------------------------------------------------------------------------------
// numbers

/**
 * A double for JSON: finite numbers as they are, NaN and infinities as protobuf's strings.
 * @example
 * ```ts
 * encodeDouble(NaN); // "NaN"
 * encodeDouble(0.5); // 0.5
 * ```
 */
export function encodeDouble(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

/**
 * A double from JSON: a number, or a numeric string (protobuf accepts "NaN", "Infinity",
 * "-Infinity" and decimal strings). Undefined when `v` is neither.
 * @example
 * ```ts
 * decodeDouble("Infinity"); // Infinity
 * ```
 */
export function decodeDouble(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (s === "NaN" || s === "nan") return NaN;
  if (s === "Infinity" || s === "inf" || s === "+Infinity") return Infinity;
  if (s === "-Infinity" || s === "-inf") return -Infinity;
  if (s === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/**
 * An int64 from JSON: a safe integer number or a decimal string of one. Undefined otherwise.
 * @example
 * ```ts
 * decodeInt("1700000000000"); // 1700000000000
 * ```
 */
export function decodeInt(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d{1,16}$/.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------
// encoding (Keel → JSON)

/**
 * Tags as MLflow's REST JSON (`[{ key, value }]`, copied).
 * @example
 * ```ts
 * encodeTags([{ key: "team", value: "risk" }]);
 * ```
 */
export function encodeTags(tags: readonly { key: string; value: string }[]): { key: string; value: string }[] {
  return tags.map((t) => ({ key: t.key, value: t.value }));
}

/**
 * An experiment as MLflow's REST JSON.
 * @example
 * ```ts
 * const json = encodeExperiment(await store.getExperiment("0"));
 * ```
 */
export function encodeExperiment(e: Experiment): JsonObject {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: encodeTags(e.tags),
  };
}

/**
 * A run's info as MLflow's REST JSON (snake_case).
 * @example
 * ```ts
 * const json = encodeRunInfo(run.info);
 * ```
 */
export function encodeRunInfo(i: RunInfo): JsonObject {
  const out: JsonObject = {
    run_id: i.runId,
    run_uuid: i.runUuid,
    run_name: i.runName,
    experiment_id: i.experimentId,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
  };
  if (i.endTime !== null) out.end_time = i.endTime;
  out.artifact_uri = i.artifactUri;
  out.lifecycle_stage = i.lifecycleStage;
  if (i.hypothesis !== null) out.hypothesis = i.hypothesis;
  if (i.parentRunId !== null) out.parent_run_id = i.parentRunId;
  if (i.deletedTime !== null) out.deleted_time = i.deletedTime;
  return out;
}

/**
 * A metric as MLflow's REST JSON (NaN and infinities as strings).
 * @example
 * ```ts
 * encodeMetric({ key: "loss", value: NaN, timestamp: 0, step: 0 }); // value "NaN"
 * ```
 */
export function encodeMetric(m: Metric): JsonObject {
  return { key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step };
}

/**
 * A dataset as MLflow's REST JSON.
 * @example
 * ```ts
 * const json = encodeDataset(datasetFromFrame(frame, { name: "credit" }).dataset);
 * ```
 */
export function encodeDataset(d: Dataset): JsonObject {
  const out: JsonObject = { name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source };
  if (d.schema !== undefined && d.schema !== null) out.schema = d.schema;
  if (d.profile !== undefined && d.profile !== null) out.profile = d.profile;
  if (d.rows !== undefined && d.rows !== null) out.rows = d.rows;
  return out;
}

/**
 * A dataset input as MLflow's REST JSON.
 * @example
 * ```ts
 * const json = encodeDatasetInput(datasetFromFrame(frame, { name: "credit", context: "training" }));
 * ```
 */
export function encodeDatasetInput(i: DatasetInput): JsonObject {
  return { tags: encodeTags(i.tags), dataset: encodeDataset(i.dataset) };
}

/**
 * A run as MLflow's REST JSON (`run`).
 * @example
 * ```ts
 * const json = encodeRun(await store.getRun(runId));
 * ```
 */
export function encodeRun(r: Run): JsonObject {
  return {
    info: encodeRunInfo(r.info),
    data: { metrics: r.data.metrics.map(encodeMetric), params: encodeTags(r.data.params), tags: encodeTags(r.data.tags) },
    inputs: { dataset_inputs: r.inputs.datasetInputs.map(encodeDatasetInput) },
  };
}

// ------------------------------------------------------------------------------------------
// decoding (JSON → Keel)

function bad(what: string, v: unknown): never {
  throw new InvalidInputError(`server response: ${what} ${show(v)} is not valid`, { path: what, received: v });
}

function obj(v: unknown, what: string): JsonObject {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad(what, v);
  return v as JsonObject;
}

function str(o: JsonObject, key: string, what: string, fallback?: string): string {
  const v = o[key];
  if (typeof v === "string") return v;
  if (v === undefined && fallback !== undefined) return fallback;
  return bad(`${what}.${key}`, v);
}

function int(o: JsonObject, key: string, what: string): number {
  const n = decodeInt(o[key]);
  if (n === undefined) bad(`${what}.${key}`, o[key]);
  return n;
}

function optInt(o: JsonObject, key: string, what: string): number | null {
  return o[key] === undefined || o[key] === null ? null : int(o, key, what);
}

function optStr(o: JsonObject, key: string): string | null {
  const v = o[key];
  return typeof v === "string" ? v : null;
}

function arr(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) bad(what, v);
  return v;
}

/**
 * Tags from MLflow's REST JSON; INVALID_INPUT naming `what` when malformed.
 * @example
 * ```ts
 * decodeTags([{ key: "team", value: "risk" }]);
 * ```
 */
export function decodeTags(v: unknown, what = "tags"): { key: string; value: string }[] {
  return arr(v, what).map((t, i) => {
    const o = obj(t, `${what}[${i}]`);
    return { key: str(o, "key", `${what}[${i}]`), value: str(o, "value", `${what}[${i}]`, "") };
  });
}

/**
 * An experiment from MLflow's REST JSON.
 * @example
 * ```ts
 * const experiment = decodeExperiment(body.experiment);
 * ```
 */
export function decodeExperiment(v: unknown): Experiment {
  const o = obj(v, "experiment");
  return {
    experimentId: String(o.experiment_id ?? bad("experiment.experiment_id", o.experiment_id)),
    name: str(o, "name", "experiment"),
    artifactLocation: str(o, "artifact_location", "experiment", ""),
    lifecycleStage: str(o, "lifecycle_stage", "experiment", "active") as LifecycleStage,
    creationTime: optInt(o, "creation_time", "experiment") ?? 0,
    lastUpdateTime: optInt(o, "last_update_time", "experiment") ?? 0,
    tags: decodeTags(o.tags, "experiment.tags"),
  };
}

/**
 * A run's info from MLflow's REST JSON.
 * @example
 * ```ts
 * const info = decodeRunInfo(body.run.info);
 * ```
 */
export function decodeRunInfo(v: unknown): RunInfo {
  const o = obj(v, "run_info");
  const runId = typeof o.run_id === "string" ? o.run_id : str(o, "run_uuid", "run_info");
  return {
    runId,
    runUuid: runId,
    runName: str(o, "run_name", "run_info", ""),
    experimentId: String(o.experiment_id ?? bad("run_info.experiment_id", o.experiment_id)),
    userId: str(o, "user_id", "run_info", ""),
    status: str(o, "status", "run_info") as RunStatus,
    startTime: optInt(o, "start_time", "run_info") ?? 0,
    endTime: optInt(o, "end_time", "run_info"),
    artifactUri: str(o, "artifact_uri", "run_info", ""),
    lifecycleStage: str(o, "lifecycle_stage", "run_info", "active") as LifecycleStage,
    hypothesis: optStr(o, "hypothesis"),
    parentRunId: optStr(o, "parent_run_id"),
    deletedTime: optInt(o, "deleted_time", "run_info"),
  };
}

/**
 * A metric from MLflow's REST JSON.
 * @example
 * ```ts
 * decodeMetric({ key: "loss", value: "NaN", timestamp: 0, step: 0 }); // value NaN
 * ```
 */
export function decodeMetric(v: unknown, what = "metric"): Metric {
  const o = obj(v, what);
  const value = decodeDouble(o.value);
  if (value === undefined) bad(`${what}.value`, o.value);
  return { key: str(o, "key", what), value, timestamp: optInt(o, "timestamp", what) ?? 0, step: optInt(o, "step", what) ?? 0 };
}

/**
 * A dataset from MLflow's REST JSON.
 * @example
 * ```ts
 * const dataset = decodeDataset(body.dataset);
 * ```
 */
export function decodeDataset(v: unknown): Dataset {
  const o = obj(v, "dataset");
  const d: Dataset = { name: str(o, "name", "dataset"), digest: str(o, "digest", "dataset"), sourceType: str(o, "source_type", "dataset", ""), source: str(o, "source", "dataset", "") };
  d.schema = optStr(o, "schema");
  d.profile = optStr(o, "profile");
  d.rows = optInt(o, "rows", "dataset");
  return d;
}

/**
 * A dataset input from MLflow's REST JSON.
 * @example
 * ```ts
 * const input = decodeDatasetInput(body.dataset_inputs[0]);
 * ```
 */
export function decodeDatasetInput(v: unknown): DatasetInput {
  const o = obj(v, "dataset_input");
  return { tags: decodeTags(o.tags, "dataset_input.tags"), dataset: decodeDataset(o.dataset) };
}

/**
 * A run from MLflow's REST JSON.
 * @example
 * ```ts
 * const run = decodeRun(body.run);
 * ```
 */
export function decodeRun(v: unknown): Run {
  const o = obj(v, "run");
  const data = o.data === undefined ? {} : obj(o.data, "run.data");
  const inputs = o.inputs === undefined ? {} : obj(o.inputs, "run.inputs");
  return {
    info: decodeRunInfo(o.info),
    data: {
      metrics: arr(data.metrics, "run.data.metrics").map((m) => decodeMetric(m)),
      params: decodeTags(data.params, "run.data.params") as Param[],
      tags: decodeTags(data.tags, "run.data.tags") as RunTag[],
    },
    inputs: { datasetInputs: arr(inputs.dataset_inputs, "run.inputs.dataset_inputs").map(decodeDatasetInput) },
  };
}

/**
 * A page from a response's list field and `next_page_token`.
 * @example
 * ```ts
 * const page = decodePage(body, "runs", decodeRun); // page.items, page.nextPageToken
 * ```
 */
export function decodePage<T>(body: JsonObject, field: string, item: (v: unknown) => T): Page<T> {
  const items = arr(body[field], field).map(item);
  const token = body.next_page_token;
  return typeof token === "string" && token !== "" ? { items, nextPageToken: token } : { items };
}
