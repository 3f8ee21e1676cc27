/**
 * registered-models/*: create, get, search, update, rename, delete (admin), get-latest-versions,
 * tags, and aliases (`registered-models/alias`: POST sets, DELETE removes, GET resolves).
 * Every change is recorded in the registry's audit log with the caller as actor.
 */
import type { ResolvedDeps } from "../deps.js";
import { encodeModelVersion, encodeRegisteredModel } from "../../wire/index.js";
import { empty, type RouteDef } from "../route.js";
import { field, required, keyValues } from "../fields.js";

export function registeredModelRoutes({ registry }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["POST"],
      api: "mlflow",
      path: "registered-models/create",
      role: "write",
      input: { name: required(field.text()), description: field.text(), tags: field.keyValues() },
      handler: async ({ fields: f, actor }) => {
        const m = await registry.createRegisteredModel({ name: f.requiredString("name"), description: f.string("description"), tags: keyValues(f.objects("tags")) }, { actor });
        return { registered_model: encodeRegisteredModel(m) };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "registered-models/get",
      role: "read",
      input: { name: required(field.text()) },
      handler: async ({ fields: f }) => ({ registered_model: encodeRegisteredModel(await registry.getRegisteredModel(f.requiredString("name"))) }),
    },
    {
      methods: ["GET", "POST"],
      api: "mlflow",
      path: "registered-models/search",
      role: "read",
      input: { filter: field.text(), order_by: field.textList(), max_results: field.int(), page_token: field.text() },
      handler: async ({ fields: f }) => {
        const page = await registry.searchRegisteredModels({ filter: f.string("filter") || undefined, orderBy: f.stringList("order_by"), maxResults: f.int("max_results"), pageToken: f.string("page_token") || undefined });
        return { registered_models: page.items.map(encodeRegisteredModel), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
    {
      methods: ["PATCH", "POST"],
      api: "mlflow",
      path: "registered-models/update",
      role: "write",
      input: { name: required(field.text()), description: field.text() },
      handler: async ({ fields: f, actor }) => ({
        registered_model: encodeRegisteredModel(await registry.updateRegisteredModel(f.requiredString("name"), { description: f.string("description") ?? "" }, { actor })),
      }),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "registered-models/rename",
      role: "write",
      input: { name: required(field.text()), new_name: required(field.text()) },
      handler: async ({ fields: f, actor }) => ({
        registered_model: encodeRegisteredModel(await registry.renameRegisteredModel(f.requiredString("name"), f.requiredString("new_name"), { actor })),
      }),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "registered-models/delete",
      role: "admin",
      input: { name: required(field.text()) },
      handler: empty(({ fields: f, actor }) => registry.deleteRegisteredModel(f.requiredString("name"), { actor })),
    },
    {
      methods: ["POST", "GET"],
      api: "mlflow",
      path: "registered-models/get-latest-versions",
      role: "read",
      input: { name: required(field.text()), stages: field.textList() },
      handler: async ({ fields: f }) => {
        const stages = f.stringList("stages");
        const versions = await registry.getLatestVersions(f.requiredString("name"), stages && stages.length > 0 ? stages : undefined);
        return { model_versions: versions.map(encodeModelVersion) };
      },
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "registered-models/set-tag",
      role: "write",
      input: { name: required(field.text()), key: required(field.text()), value: required(field.value()) },
      handler: empty(({ fields: f, actor }) => registry.setRegisteredModelTag(f.requiredString("name"), f.requiredString("key"), f.requiredText("value"), { actor })),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "registered-models/delete-tag",
      role: "write",
      input: { name: required(field.text()), key: required(field.text()) },
      handler: empty(({ fields: f, actor }) => registry.deleteRegisteredModelTag(f.requiredString("name"), f.requiredString("key"), { actor })),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "registered-models/alias",
      role: "write",
      input: { name: required(field.text()), alias: required(field.text()), version: required(field.id()), keel_expected_version: field.id() },
      handler: empty(({ fields: f, actor }) => {
        // Keel's compare-and-set (optional): the version the alias must point at now, "" for "not set"
        const expected = f.string("keel_expected_version");
        const cas = expected === undefined ? {} : { expectedVersion: expected === "" ? null : expected };
        return registry.setRegisteredModelAlias(f.requiredString("name"), f.requiredString("alias"), f.requiredString("version"), { actor, ...cas });
      }),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "registered-models/alias",
      role: "write",
      input: { name: required(field.text()), alias: required(field.text()) },
      handler: empty(({ fields: f, actor }) => registry.deleteRegisteredModelAlias(f.requiredString("name"), f.requiredString("alias"), { actor })),
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "registered-models/alias",
      role: "read",
      input: { name: required(field.text()), alias: required(field.text()) },
      handler: async ({ fields: f }) => ({ model_version: encodeModelVersion(await registry.getModelVersionByAlias(f.requiredString("name"), f.requiredString("alias"))) }),
    },
  ];
}
