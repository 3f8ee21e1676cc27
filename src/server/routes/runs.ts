/**
 * runs/*: create, get, update, delete, restore, search. Keel's extensions: `hypothesis` and
 * `parent_run_id` on create and update (also settable as the tags `keel.hypothesis` and
 * `mlflow.parentRunId`), echoed in `run.info`; `number_tag` on create (numbered children).
 */
import { encodeRun, encodeRunInfo } from "../../wire/index.js";
import type { ServerDeps } from "../deps.js";
import { empty, type RouteDef } from "../route.js";
import { runId, runStatus, RUN_ID_FIELDS, runStatusField } from "../run-fields.js";
import { viewType, viewTypeField } from "../view-type.js";
import { field, keyValues } from "../fields.js";

export function runRoutes({ store }: ServerDeps): RouteDef[] {
  return [
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/create",
      role: "write",
      input: { experiment_id: field.id(), user_id: field.text(), run_name: field.text(), start_time: field.int(), tags: field.keyValues(), hypothesis: field.text(), parent_run_id: field.id(), status: runStatusField(), number_tag: field.text() },
      handler: async ({ fields: f }) => {
        const numberTag = f.string("number_tag");
        const run = await store.createRun({
          experimentId: f.string("experiment_id") || undefined,
          userId: f.string("user_id"),
          runName: f.string("run_name") || undefined,
          startTime: f.int("start_time"),
          tags: keyValues(f.objects("tags")),
          hypothesis: f.string("hypothesis"),
          parentRunId: f.string("parent_run_id") || undefined,
          status: runStatus(f),
          ...(numberTag !== undefined ? { numberTag } : {}),
        });
        return { run: encodeRun(run) };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "runs/get",
      role: "read",
      input: { ...RUN_ID_FIELDS },
      handler: async ({ fields: f }) => ({ run: encodeRun(await store.getRun(runId(f))) }),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/update",
      role: "write",
      input: { ...RUN_ID_FIELDS, status: runStatusField(), end_time: field.int(), run_name: field.text(), hypothesis: field.text() },
      handler: async ({ fields: f }) => {
        const info = await store.updateRun(runId(f), {
          status: runStatus(f),
          endTime: f.int("end_time"),
          runName: f.string("run_name") || undefined,
          hypothesis: f.string("hypothesis"),
        });
        return { run_info: encodeRunInfo(info) };
      },
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/delete",
      role: "write",
      input: { ...RUN_ID_FIELDS },
      handler: empty(({ fields: f }) => store.deleteRun(runId(f))),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "runs/restore",
      role: "write",
      input: { ...RUN_ID_FIELDS },
      handler: empty(({ fields: f }) => store.restoreRun(runId(f))),
    },
    {
      methods: ["POST", "GET"],
      api: "mlflow",
      path: "runs/search",
      role: "read",
      input: { experiment_ids: field.idList(), filter: field.text(), order_by: field.textList(), max_results: field.int(), page_token: field.text(), run_view_type: viewTypeField() },
      handler: async ({ fields: f, signal }) => {
        const page = await store.searchRuns({
          signal,
          experimentIds: f.stringList("experiment_ids"),
          filter: f.string("filter") || undefined,
          orderBy: f.stringList("order_by"),
          maxResults: f.int("max_results"),
          pageToken: f.string("page_token") || undefined,
          viewType: viewType(f, "run_view_type"),
        });
        return { runs: page.items.map(encodeRun), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
  ];
}
