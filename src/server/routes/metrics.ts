/**
 * metrics/*: the full history of one metric (paged), a downsampled history for charts
 * (`get-history-sampled`: at most `max_points` points by Largest-Triangle-Three-Buckets, so a
 * metric with 100,000 points still draws fast), and MLflow UI's `get-history-bulk-interval`
 * (the same sampling for several runs).
 */
import { InvalidInputError, show } from "../../core/index.js";
import { encodeMetric } from "../../wire/index.js";
import type { ServerDeps } from "../deps.js";
import type { RouteDef } from "../route.js";
import { runId, RUN_ID_FIELDS } from "../run-fields.js";
import { field, required } from "../fields.js";

export function metricRoutes({ store }: ServerDeps): RouteDef[] {
  return [
    {
      methods: ["GET"],
      api: "mlflow",
      path: "metrics/get-history",
      role: "read",
      input: { ...RUN_ID_FIELDS, metric_key: required(field.text()), max_results: field.int(), page_token: field.text() },
      handler: async ({ fields: f }) => {
        const page = await store.getMetricHistory(runId(f), f.requiredString("metric_key"), { maxResults: f.int("max_results"), pageToken: f.string("page_token") || undefined });
        return { metrics: page.items.map(encodeMetric), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "metrics/get-history-sampled",
      role: "read",
      input: { ...RUN_ID_FIELDS, metric_key: required(field.text()), max_points: field.int(), start_step: field.int(), end_step: field.int() },
      handler: async ({ fields: f }) => {
        const points = await store.getMetricHistorySampled(runId(f), f.requiredString("metric_key"), { maxPoints: f.int("max_points"), startStep: f.int("start_step"), endStep: f.int("end_step") });
        return { metrics: points.map(encodeMetric) };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "metrics/get-history-bulk-interval",
      role: "read",
      input: { run_ids: field.idList(), metric_key: required(field.text()), max_results: field.int(), start_step: field.int(), end_step: field.int() },
      handler: async ({ fields: f }) => {
        const runIds = f.stringList("run_ids") ?? [];
        if (runIds.length === 0) throw new InvalidInputError(`missing value for required parameter "run_ids"`, { path: "run_ids" });
        if (runIds.length > 100) throw new InvalidInputError(`run_ids has ${runIds.length} runs; at most 100 are allowed`, { path: "run_ids", received: runIds.length });
        const key = f.requiredString("metric_key");
        const maxPoints = f.int("max_results") ?? 320;
        if (maxPoints < 3) throw new InvalidInputError(`parameter "max_results": ${show(maxPoints)} is too small; at least 3 points`, { path: "max_results", received: maxPoints });
        const out: Record<string, unknown>[] = [];
        for (const id of runIds) {
          const points = await store.getMetricHistorySampled(id, key, { maxPoints, startStep: f.int("start_step"), endStep: f.int("end_step") });
          for (const p of points) out.push({ ...encodeMetric(p), run_id: id });
        }
        return { metrics: out };
      },
    },
  ];
}
