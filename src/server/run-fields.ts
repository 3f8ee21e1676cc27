/** Request pieces the run endpoints share: run ids (with the legacy `run_uuid`), statuses, metrics, datasets. */
import { InvalidInputError, show } from "../core/errors.js";
import { decodeDouble, decodeInt, RUN_STATUSES, type DatasetInput, type JsonObject, type Metric, type RunStatus } from "../wire/index.js";
import { type Fields, keyValues } from "./fields.js";

/** `run_id`, or `run_uuid` as MLflow 1.x clients send it. */
export function runId(f: Fields): string {
  return f.requiredString("run_id", "run_uuid");
}

/** A RunStatus by name, or by the proto's number (RUNNING = 1 … KILLED = 5). */
export function runStatus(f: Fields, name = "status"): RunStatus | undefined {
  const v = f.string(name);
  if (v === undefined || v === "") return undefined;
  const byNumber = /^[1-5]$/.test(v) ? RUN_STATUSES[Number(v) - 1] : undefined;
  const s = byNumber ?? v.toUpperCase();
  if (!RUN_STATUSES.includes(s as RunStatus)) {
    throw new InvalidInputError(`parameter ${show(name)}: ${show(v)} is not a run status`, { path: name, expected: RUN_STATUSES.join(" | "), received: v });
  }
  return s as RunStatus;
}

/** One metric from JSON: value a number or "NaN"/"Infinity"/"-Infinity"; timestamp default now, step default 0. */
export function metricFrom(o: JsonObject, where: string, now = Date.now()): Metric {
  const key = o.key;
  if (typeof key !== "string" || key === "") throw new InvalidInputError(`${where}.key ${show(key)} is not a non-empty string`, { path: `${where}.key`, received: key });
  const value = decodeDouble(o.value);
  if (value === undefined) throw new InvalidInputError(`${where}.value ${show(o.value)} is not a number`, { path: `${where}.value`, expected: "a number", received: o.value });
  const ts = o.timestamp === undefined || o.timestamp === null ? now : decodeInt(o.timestamp);
  if (ts === undefined) throw new InvalidInputError(`${where}.timestamp ${show(o.timestamp)} is not an integer (epoch ms)`, { path: `${where}.timestamp`, received: o.timestamp });
  const step = o.step === undefined || o.step === null ? 0 : decodeInt(o.step);
  if (step === undefined) throw new InvalidInputError(`${where}.step ${show(o.step)} is not an integer`, { path: `${where}.step`, received: o.step });
  return { key, value, timestamp: ts, step };
}

export function metricsFrom(list: JsonObject[] | undefined, name: string): Metric[] {
  const now = Date.now();
  return (list ?? []).map((o, i) => metricFrom(o, `${name}[${i}]`, now));
}

/** log-inputs' `datasets`: `[{ tags, dataset: { name, digest, source_type, source, schema, profile } }]`. */
export function datasetInputsFrom(list: JsonObject[] | undefined, name: string): DatasetInput[] {
  return (list ?? []).map((o, i) => {
    const d = o.dataset;
    if (d === null || typeof d !== "object" || Array.isArray(d)) throw new InvalidInputError(`${name}[${i}].dataset is missing`, { path: `${name}[${i}].dataset` });
    const ds = d as JsonObject;
    const text = (k: string) => (ds[k] === undefined || ds[k] === null ? undefined : (ds[k] as string));
    const rows = ds.rows === undefined || ds.rows === null ? null : decodeInt(ds.rows);
    if (rows === undefined) throw new InvalidInputError(`${name}[${i}].dataset.rows ${show(ds.rows)} is not an integer`, { path: `${name}[${i}].dataset.rows`, received: ds.rows });
    const tags = Array.isArray(o.tags) ? keyValues(o.tags as JsonObject[], `${name}[${i}].tags`) : [];
    return {
      tags,
      dataset: {
        name: text("name") as string,
        digest: text("digest") as string,
        sourceType: text("source_type") as string,
        source: text("source") as string,
        schema: text("schema") ?? null,
        profile: text("profile") ?? null,
        rows,
      },
    };
  });
}
