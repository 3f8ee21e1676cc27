/** Logging to a run: log-metric, log-parameter, set-tag, delete-tag, log-batch, log-inputs, and Keel's bulk log-metrics. */
import { InvalidInputError } from "../../core/index.js";
import { LIMITS } from "../../track/index.js";
import type { ServerDeps } from "../deps.js";
import { empty, type RouteDef } from "../route.js";
import { datasetInputsFrom, metricsFrom, runId, RUN_ID_FIELDS } from "../run-fields.js";
import { field, required, keyValues } from "../fields.js";

const HISTORY = "mlflow.log-model.history";

export function loggingRoutes({ store }: ServerDeps): RouteDef[] {
  return [
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/log-metric",
      role: "write",
      input: { ...RUN_ID_FIELDS, key: required(field.text()), value: required(field.double()), timestamp: field.int(), step: field.int() },
      handler: empty(({ fields: f }) => {
        const [metric] = metricsFrom([{ key: f.requiredString("key"), value: f.requiredDouble("value"), timestamp: f.int("timestamp"), step: f.int("step") }]);
        return store.logMetric(runId(f), metric);
      }),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/log-parameter",
      role: "write",
      input: { ...RUN_ID_FIELDS, key: required(field.text()), value: required(field.value()) },
      handler: empty(({ fields: f }) => store.logParam(runId(f), { key: f.requiredString("key"), value: f.requiredText("value") })),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/set-tag",
      role: "write",
      input: { ...RUN_ID_FIELDS, key: required(field.text()), value: required(field.value()) },
      handler: empty(({ fields: f }) => store.setTag(runId(f), { key: f.requiredString("key"), value: f.requiredText("value") })),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/delete-tag",
      role: "write",
      input: { ...RUN_ID_FIELDS, key: required(field.text()) },
      handler: empty(({ fields: f }) => store.deleteTag(runId(f), f.requiredString("key"))),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/log-batch",
      role: "write",
      input: { ...RUN_ID_FIELDS, metrics: field.metrics(), params: field.keyValues(), tags: field.keyValues() },
      handler: empty(({ fields: f }) =>
        store.logBatch(runId(f), {
          metrics: metricsFrom(f.objects("metrics")),
          params: keyValues(f.objects("params")),
          tags: keyValues(f.objects("tags")),
        }),
      ),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/log-inputs",
      role: "write",
      input: { ...RUN_ID_FIELDS, datasets: field.datasets() },
      handler: empty(({ fields: f }) => store.logInputs(runId(f), datasetInputsFrom(f.objects("datasets")))),
    },
    {
      // MLflow clients record logged models here: appended to the run's `mlflow.log-model.history` tag
      methods: ["POST"],
      api: "mlflow",
      path: "runs/log-model",
      role: "write",
      input: { ...RUN_ID_FIELDS, model_json: required(field.text()) },
      handler: empty(async ({ fields: f }) => {
        const id = runId(f);
        const text = f.requiredString("model_json");
        let model: unknown;
        try {
          model = JSON.parse(text);
        } catch {
          throw new InvalidInputError(`parameter "model_json" is not JSON`, { path: "model_json" });
        }
        const run = await store.getRun(id);
        const old = run.data.tags.find((t) => t.key === HISTORY)?.value;
        let history: unknown[] = [];
        try {
          history = old ? (JSON.parse(old) as unknown[]) : [];
        } catch {
          history = [];
        }
        history.push(model);
        // keep the newest entries that fit in a tag value
        let value = JSON.stringify(history);
        while (value.length > LIMITS.tagValueLength && history.length > 1) value = JSON.stringify((history = history.slice(1)));
        if (value.length > LIMITS.tagValueLength) throw new InvalidInputError(`parameter "model_json" has ${text.length} characters; at most ${LIMITS.tagValueLength - 2} fit in the run's model history`, { path: "model_json" });
        await store.setTag(id, { key: HISTORY, value });
      }),
    },
    {
      // Keel: any number of metric points in one all-or-nothing write (the remote store's logMetrics)
      methods: ["POST"],
      api: "keel",
      path: "runs/log-metrics",
      role: "write",
      input: { ...RUN_ID_FIELDS, metrics: field.metrics() },
      handler: empty(({ fields: f }) => store.logMetrics(runId(f), metricsFrom(f.objects("metrics")))),
    },
  ];
}
