/** experiments/*: create, get, get-by-name, search (and the legacy list), update, delete, restore, tags. */
import { encodeExperiment, type Experiment } from "../../wire/index.js";
import type { ServerDeps } from "../deps.js";
import { empty, type RouteDef } from "../route.js";
import { viewType, viewTypeField } from "../view-type.js";
import { field, required, keyValues } from "../fields.js";

export function experimentRoutes({ store }: ServerDeps): RouteDef[] {
  return [
    {
      methods: ["POST"],
      api: "mlflow",
      path: "experiments/create",
      role: "write",
      input: { name: required(field.text()), artifact_location: field.text(), tags: field.keyValues() },
      handler: async ({ fields: f }) => {
        const experimentId = await store.createExperiment({
          name: f.requiredString("name"),
          artifactLocation: f.string("artifact_location") || undefined,
          tags: keyValues(f.objects("tags")),
        });
        return { experiment_id: experimentId };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "experiments/get",
      role: "read",
      input: { experiment_id: required(field.id()) },
      handler: async ({ fields: f }) => ({ experiment: encodeExperiment(await store.getExperiment(f.requiredString("experiment_id"))) }),
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "experiments/get-by-name",
      role: "read",
      input: { experiment_name: required(field.text()) },
      handler: async ({ fields: f }) => ({ experiment: encodeExperiment(await store.getExperimentByName(f.requiredString("experiment_name"))) }),
    },
    {
      methods: ["GET", "POST"],
      api: "mlflow",
      path: "experiments/search",
      role: "read",
      input: { filter: field.text(), order_by: field.textList(), max_results: field.int(), page_token: field.text(), view_type: viewTypeField() },
      handler: async ({ fields: f }) => {
        const page = await store.searchExperiments({
          filter: f.string("filter") || undefined,
          orderBy: f.stringList("order_by"),
          maxResults: f.int("max_results"),
          pageToken: f.string("page_token") || undefined,
          viewType: viewType(f, "view_type"),
        });
        return { experiments: page.items.map(encodeExperiment), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
    {
      // MLflow 1.x's list: every experiment unless max_results is given
      methods: ["GET"],
      api: "mlflow",
      path: "experiments/list",
      role: "read",
      input: { max_results: field.int(), page_token: field.text(), view_type: viewTypeField() },
      handler: async ({ fields: f }) => {
        const maxResults = f.int("max_results");
        const view = viewType(f, "view_type");
        let pageToken = f.string("page_token") || undefined;
        const out: Experiment[] = [];
        for (;;) {
          const page = await store.searchExperiments({ viewType: view, maxResults, pageToken });
          out.push(...page.items);
          pageToken = page.nextPageToken;
          if (maxResults !== undefined || pageToken === undefined) break;
        }
        return { experiments: out.map(encodeExperiment), ...(pageToken ? { next_page_token: pageToken } : {}) };
      },
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "experiments/update",
      role: "write",
      input: { experiment_id: required(field.id()), new_name: field.text() },
      handler: empty(async ({ fields: f }) => {
        const id = f.requiredString("experiment_id");
        const newName = f.string("new_name");
        if (newName !== undefined && newName !== "") await store.renameExperiment(id, newName);
        else await store.getExperiment(id);
      }),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "experiments/delete",
      role: "write",
      input: { experiment_id: required(field.id()) },
      handler: empty(({ fields: f }) => store.deleteExperiment(f.requiredString("experiment_id"))),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "experiments/restore",
      role: "write",
      input: { experiment_id: required(field.id()) },
      handler: empty(({ fields: f }) => store.restoreExperiment(f.requiredString("experiment_id"))),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "experiments/set-experiment-tag",
      role: "write",
      input: { experiment_id: required(field.id()), key: required(field.text()), value: required(field.value()) },
      handler: empty(({ fields: f }) => store.setExperimentTag(f.requiredString("experiment_id"), f.requiredString("key"), f.requiredText("value"))),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "experiments/delete-experiment-tag",
      role: "write",
      input: { experiment_id: required(field.id()), key: required(field.text()) },
      handler: empty(({ fields: f }) => store.deleteExperimentTag(f.requiredString("experiment_id"), f.requiredString("key"))),
    },
  ];
}
