/**
 * Checks on keys, values and batches, with MLflow's limits and messages that name the field,
 * the value and what was expected. Stores call these before touching the database.
 */
import { InvalidInputError, show } from "../core/index.js";
import { LIMITS, type LogBatchInput } from "./store.js";
import { type Dataset, type DatasetInput, RUN_STATUSES, type Metric, type Param, type RunStatus, type RunTag, type ViewType } from "../wire/index.js";

/**
 * A metric, param or tag key: non-empty, ≤ 250 characters, no NUL, no `..` path segment, not absolute.
 * @example
 * ```ts
 * checkKey("metric", "roc_auc"); // "roc_auc"; checkKey("metric", "../x") throws
 * ```
 */
export function checkKey(kind: string, key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new InvalidInputError(`${kind} key ${show(key)} is not valid: expected a non-empty string`, { path: `${kind}.key`, expected: "a non-empty string", received: key });
  }
  if (key.length > LIMITS.keyLength) {
    throw new InvalidInputError(`${kind} key ${show(key)} has ${key.length} characters; at most ${LIMITS.keyLength} are allowed`, { path: `${kind}.key`, expected: `≤ ${LIMITS.keyLength} characters`, received: key.length });
  }
  if (key.includes("\0")) throw new InvalidInputError(`${kind} key ${show(key)} contains a NUL character`, { path: `${kind}.key`, received: key });
  if (key.startsWith("/") || key.split("/").some((s) => s === "..")) {
    throw new InvalidInputError(`${kind} key ${show(key)} is not valid: keys cannot be absolute or contain ".." segments`, { path: `${kind}.key`, received: key });
  }
  return key;
}

function checkString(kind: string, key: string, value: unknown, max: number): string {
  if (typeof value !== "string") {
    throw new InvalidInputError(`${kind} ${show(key)}: value ${show(value)} is not a string`, { path: `${kind}.${key}`, expected: "a string", received: value });
  }
  if (value.length > max) {
    throw new InvalidInputError(`${kind} ${show(key)}: value has ${value.length} characters; at most ${max} are allowed`, { path: `${kind}.${key}`, expected: `≤ ${max} characters`, received: value.length });
  }
  return value;
}

/** A finite-or-not number, an integer step and an integer millisecond timestamp. */
export function checkMetric(m: Metric): Metric {
  if (m === null || typeof m !== "object") throw new InvalidInputError(`metric ${show(m)} is not an object with key, value, timestamp and step`, { path: "metric" });
  checkKey("metric", m.key);
  if (typeof m.value !== "number") {
    throw new InvalidInputError(`metric ${show(m.key)}: value ${show(m.value)} is not a number`, { path: `metric.${m.key}.value`, expected: "a number", received: m.value });
  }
  if (typeof m.step !== "number" || !Number.isSafeInteger(m.step)) {
    throw new InvalidInputError(`metric ${show(m.key)}: step ${show(m.step)} is not an integer`, { path: `metric.${m.key}.step`, expected: "an integer", received: m.step });
  }
  if (typeof m.timestamp !== "number" || !Number.isSafeInteger(m.timestamp)) {
    throw new InvalidInputError(`metric ${show(m.key)}: timestamp ${show(m.timestamp)} is not an integer number of milliseconds`, { path: `metric.${m.key}.timestamp`, expected: "epoch milliseconds", received: m.timestamp });
  }
  return m;
}

export function checkParam(p: Param): Param {
  if (p === null || typeof p !== "object") throw new InvalidInputError(`param ${show(p)} is not an object with key and value`, { path: "param" });
  checkKey("param", p.key);
  checkString("param", p.key, p.value, LIMITS.paramValueLength);
  return p;
}

export function checkTag(t: RunTag, kind = "tag"): RunTag {
  if (t === null || typeof t !== "object") throw new InvalidInputError(`${kind} ${show(t)} is not an object with key and value`, { path: kind });
  checkKey(kind, t.key);
  checkString(kind, t.key, t.value, LIMITS.tagValueLength);
  return t;
}

/** MLflow's log-batch limits plus per-item checks; duplicate params must agree. */
export function checkBatch(batch: LogBatchInput): Required<LogBatchInput> {
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  const over = (what: string, n: number, max: number) => {
    if (n > max) throw new InvalidInputError(`log batch has ${n} ${what}; at most ${max} are allowed in one batch`, { path: `batch.${what}`, expected: `≤ ${max}`, received: n });
  };
  if (!Array.isArray(metrics) || !Array.isArray(params) || !Array.isArray(tags)) {
    throw new InvalidInputError("log batch: metrics, params and tags must be arrays", { path: "batch" });
  }
  over("metrics", metrics.length, LIMITS.batchMetrics);
  over("params", params.length, LIMITS.batchParams);
  over("tags", tags.length, LIMITS.batchTags);
  over("items", metrics.length + params.length + tags.length, LIMITS.batchTotal);
  for (const m of metrics) checkMetric(m);
  const seen = new Map<string, string>();
  for (const p of params) {
    checkParam(p);
    const prev = seen.get(p.key);
    if (prev !== undefined && prev !== p.value) {
      throw new InvalidInputError(`log batch sets param ${show(p.key)} twice with different values (${show(prev)} and ${show(p.value)})`, { path: `param.${p.key}`, received: p.value });
    }
    seen.set(p.key, p.value);
  }
  for (const t of tags) checkTag(t);
  return { metrics, params, tags };
}

export function checkStatus(status: unknown): RunStatus {
  if (!RUN_STATUSES.includes(status as RunStatus)) {
    throw new InvalidInputError(`run status ${show(status)} is not valid`, { path: "status", expected: RUN_STATUSES.join(" | "), received: status });
  }
  return status as RunStatus;
}

export function checkViewType(v: unknown): ViewType {
  if (v === undefined) return "ACTIVE_ONLY";
  if (v !== "ACTIVE_ONLY" && v !== "DELETED_ONLY" && v !== "ALL") {
    throw new InvalidInputError(`view type ${show(v)} is not valid`, { path: "view_type", expected: "ACTIVE_ONLY | DELETED_ONLY | ALL", received: v });
  }
  return v;
}

/**
 * `max_results` of a search: an integer in [1, max], `def` when absent; INVALID_INPUT naming the value otherwise.
 * @example
 * ```ts
 * checkMaxResults(undefined); // the default
 * checkMaxResults(50); // 50
 * ```
 */
export function checkMaxResults(v: unknown, def: number = LIMITS.defaultMaxResults, max: number = LIMITS.maxResults): number {
  if (v === undefined || v === null) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
    throw new InvalidInputError(`max_results ${show(v)} is not valid: expected an integer from 1 to ${max}`, { path: "max_results", expected: `1..${max}`, received: v });
  }
  return v;
}

export function checkTime(field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new InvalidInputError(`${field} ${show(v)} is not a time: expected epoch milliseconds`, { path: field, expected: "a non-negative integer (epoch ms)", received: v });
  }
  return v;
}

const HEX32 = /^[0-9a-f]{32}$/;
/** Run ids are 32 lowercase hex characters. */
export function checkRunId(runId: unknown): string {
  if (typeof runId !== "string" || runId.length === 0 || runId.length > 256) {
    throw new InvalidInputError(`run id ${show(runId)} is not valid`, { path: "run_id", expected: "a run id", received: runId });
  }
  return runId;
}

export function isRunIdShape(s: string): boolean {
  return HEX32.test(s);
}

/** An experiment id is a non-negative decimal integer string. */
export function checkExperimentId(id: unknown): string {
  if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return String(id);
  if (typeof id !== "string" || !/^\d{1,18}$/.test(id)) {
    throw new InvalidInputError(`experiment id ${show(id)} is not valid: expected a decimal integer string such as "0"`, { path: "experiment_id", expected: "a decimal integer string", received: id });
  }
  return String(Number(id));
}

export function checkExperimentName(name: unknown): string {
  if (typeof name !== "string" || name.trim().length === 0) {
    throw new InvalidInputError(`experiment name ${show(name)} is not valid: expected a non-empty string`, { path: "name", expected: "a non-empty string", received: name });
  }
  if (name.length > LIMITS.experimentNameLength) {
    throw new InvalidInputError(`experiment name has ${name.length} characters; at most ${LIMITS.experimentNameLength} are allowed`, { path: "name", received: name.length });
  }
  return name;
}

/** Longest value of each dataset field (MLflow's column sizes). */
const DATASET_LIMITS = { name: 500, digest: 128, sourceType: 64, source: 65_535, schema: 1_048_575, profile: 16_777_215 };

/** Dataset inputs of a run (log-inputs): required fields present, every field within its limit. */
export function checkDatasetInputs(inputs: DatasetInput[]): void {
  if (!Array.isArray(inputs)) throw new InvalidInputError("inputs must be an array of { dataset, tags }", { path: "datasets" });
  for (const [i, input] of inputs.entries()) {
    const d = input?.dataset as Dataset | undefined;
    if (!d || typeof d !== "object") throw new InvalidInputError(`datasets[${i}] has no dataset`, { path: `datasets[${i}].dataset` });
    const field = (name: keyof typeof DATASET_LIMITS, value: unknown, required: boolean) => {
      if (value === undefined || value === null) {
        if (required) throw new InvalidInputError(`datasets[${i}].dataset.${name} is required`, { path: `datasets[${i}].dataset.${name}` });
        return;
      }
      if (typeof value !== "string" || (required && value.length === 0) || value.length > DATASET_LIMITS[name]) {
        throw new InvalidInputError(`datasets[${i}].dataset.${name} ${show(value)} is not valid: expected a string of 1 to ${DATASET_LIMITS[name]} characters`, { path: `datasets[${i}].dataset.${name}`, received: value });
      }
    };
    field("name", d.name, true);
    field("digest", d.digest, true);
    field("sourceType", d.sourceType, true);
    field("source", d.source, true);
    field("schema", d.schema, false);
    field("profile", d.profile, false);
    if (d.rows !== undefined && d.rows !== null && (typeof d.rows !== "number" || !Number.isSafeInteger(d.rows) || d.rows < 0)) {
      throw new InvalidInputError(`datasets[${i}].dataset.rows ${show(d.rows)} is not a row count`, { path: `datasets[${i}].dataset.rows`, received: d.rows });
    }
    for (const t of input.tags ?? []) {
      if (typeof t?.key !== "string" || t.key.length === 0 || t.key.length > 255 || typeof t.value !== "string" || t.value.length > 500) {
        throw new InvalidInputError(`datasets[${i}] input tag ${show(t)} is not valid: key 1–255 characters, value ≤ 500`, { path: `datasets[${i}].tags`, received: t });
      }
    }
  }
}
