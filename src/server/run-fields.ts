/** Request pieces the run endpoints share: run ids (with the legacy `run_uuid`), statuses, metrics, datasets. */
import { z } from "zod";
import { InvalidInputError, show } from "../core/index.js";
import { RUN_STATUSES, type DatasetInput, type Metric, type RunStatus } from "../wire/index.js";
import { type Fields, field, type KeyValue, required } from "./fields.js";

/** The run id fields every run endpoint declares: `run_id`, or `run_uuid` as MLflow 1.x clients send it. */
export const RUN_ID_FIELDS = { run_id: required(field.id()), run_uuid: field.id() } as const;

/** `run_id`, or `run_uuid` as MLflow 1.x clients send it. */
export function runId(f: Fields): string {
  return f.requiredString("run_id", "run_uuid");
}

/** The run status field: a name, or the proto's number (RUNNING = 1 … KILLED = 5). */
export const runStatusField = () => z.union([field.text(), z.int()], { error: "a run status (name or number)" }).transform((v) => String(v));

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

/** A metric as `field.metrics` yields it. */
export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number | null;
  step?: number | null;
}

/** Metrics with their defaults: timestamp now, step 0. */
export function metricsFrom(list: MetricInput[] | undefined): Metric[] {
  const now = Date.now();
  return (list ?? []).map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp ?? now, step: m.step ?? 0 }));
}

/** A dataset input as `field.datasets` yields it. */
export interface DatasetInputInput {
  tags?: KeyValue[] | null;
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string | null; profile?: string | null; rows?: number | null };
}

/** log-inputs' `datasets` as the store takes them. */
export function datasetInputsFrom(list: DatasetInputInput[] | undefined): DatasetInput[] {
  return (list ?? []).map((o) => ({
    tags: o.tags ?? [],
    dataset: {
      name: o.dataset.name,
      digest: o.dataset.digest,
      sourceType: o.dataset.source_type,
      source: o.dataset.source,
      schema: o.dataset.schema ?? null,
      profile: o.dataset.profile ?? null,
      rows: o.dataset.rows ?? null,
    },
  }));
}
