/**
 * model-versions/*: create, get, search, update, delete (admin), transition-stage, tags,
 * get-download-uri; the MLflow UI's `/model-versions/get-artifact`; and Keel's lineage
 * (`/api/2.0/keel/model-versions/lineage`) and audit log (`/api/2.0/keel/audit-log`).
 */
import { InvalidInputError, show } from "../../core/index.js";
import { getLineage, type AuditAction } from "../../registry/index.js";
import { contentTypeFor } from "../artifact-paths.js";
import type { ResolvedDeps } from "../deps.js";
import { encodeAuditEntry, encodeLineage, encodeModelVersion } from "../../wire/index.js";
import { empty, type RouteDef } from "../route.js";
import { field, required, keyValues } from "../fields.js";

export function modelVersionRoutes({ registry, store, artifacts }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["POST"],
      api: "mlflow",
      path: "model-versions/create",
      role: "write",
      input: { name: required(field.text()), source: required(field.text()), run_id: field.id(), run_link: field.text(), description: field.text(), tags: field.keyValues() },
      handler: async ({ fields: f, actor }) => {
        const v = await registry.createModelVersion(
          {
            name: f.requiredString("name"),
            source: f.requiredString("source"),
            runId: f.string("run_id") || undefined,
            runLink: f.string("run_link") || undefined,
            description: f.string("description"),
            tags: keyValues(f.objects("tags")),
          },
          { actor },
        );
        return { model_version: encodeModelVersion(v) };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "model-versions/get",
      role: "read",
      input: { name: required(field.text()), version: required(field.id()) },
      handler: async ({ fields: f }) => ({ model_version: encodeModelVersion(await registry.getModelVersion(f.requiredString("name"), f.requiredString("version"))) }),
    },
    {
      methods: ["GET", "POST"],
      api: "mlflow",
      path: "model-versions/search",
      role: "read",
      input: { filter: field.text(), order_by: field.textList(), max_results: field.int(), page_token: field.text() },
      handler: async ({ fields: f }) => {
        const page = await registry.searchModelVersions({ filter: f.string("filter") || undefined, orderBy: f.stringList("order_by"), maxResults: f.int("max_results"), pageToken: f.string("page_token") || undefined });
        return { model_versions: page.items.map(encodeModelVersion), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
    {
      methods: ["PATCH", "POST"],
      api: "mlflow",
      path: "model-versions/update",
      role: "write",
      input: { name: required(field.text()), version: required(field.id()), description: field.text() },
      handler: async ({ fields: f, actor }) => ({
        model_version: encodeModelVersion(await registry.updateModelVersion(f.requiredString("name"), f.requiredString("version"), { description: f.string("description") ?? "" }, { actor })),
      }),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "model-versions/delete",
      role: "admin",
      input: { name: required(field.text()), version: required(field.id()) },
      handler: empty(({ fields: f, actor }) => registry.deleteModelVersion(f.requiredString("name"), f.requiredString("version"), { actor })),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "model-versions/transition-stage",
      role: "write",
      input: { name: required(field.text()), version: required(field.id()), stage: required(field.text()), archive_existing_versions: field.bool() },
      handler: async ({ fields: f, actor }) => ({
        model_version: encodeModelVersion(
          await registry.transitionModelVersionStage(f.requiredString("name"), f.requiredString("version"), f.requiredString("stage"), f.bool("archive_existing_versions") ?? false, { actor }),
        ),
      }),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "model-versions/set-tag",
      role: "write",
      input: { name: required(field.text()), version: required(field.id()), key: required(field.text()), value: required(field.value()) },
      handler: empty(({ fields: f, actor }) => registry.setModelVersionTag(f.requiredString("name"), f.requiredString("version"), f.requiredString("key"), f.requiredText("value"), { actor })),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "model-versions/delete-tag",
      role: "write",
      input: { name: required(field.text()), version: required(field.id()), key: required(field.text()) },
      handler: empty(({ fields: f, actor }) => registry.deleteModelVersionTag(f.requiredString("name"), f.requiredString("version"), f.requiredString("key"), { actor })),
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "model-versions/get-download-uri",
      role: "read",
      input: { name: required(field.text()), version: required(field.id()) },
      handler: async ({ fields: f }) => ({ artifact_uri: await registry.getModelVersionDownloadUri(f.requiredString("name"), f.requiredString("version")) }),
    },
    {
      // the MLflow UI's download of a registered model's file: resolved through the version's run
      methods: ["GET"],
      api: "root",
      path: "model-versions/get-artifact",
      role: "read",
      input: { name: required(field.text()), version: required(field.id()), path: required(field.text()) },
      handler: async ({ fields: f, reply }) => {
        const v = await registry.getModelVersion(f.requiredString("name"), f.requiredString("version"));
        const rel = f.requiredString("path");
        if (!v.runId) throw new InvalidInputError(`model version ${show(`${v.name}/${v.version}`)} has no run: its files are not served here`, { path: "version" });
        const run = await store.getRun(v.runId);
        const prefix = run.info.artifactUri.replace(/\/+$/, "") + "/";
        const inRun = v.source.startsWith(prefix) ? v.source.slice(prefix.length) : "";
        const full = inRun ? `${inRun}/${rel}` : rel;
        const { stream, size } = await artifacts.openRead(run.info.artifactUri, full);
        return reply.header("content-type", contentTypeFor(full)).header("content-length", String(size)).header("x-content-type-options", "nosniff").send(stream);
      },
    },
    {
      methods: ["GET"],
      api: "keel",
      path: "model-versions/lineage",
      role: "read",
      input: { name: required(field.text()), version: required(field.id()) },
      handler: async ({ fields: f }) => ({ lineage: encodeLineage(await getLineage(registry, store, f.requiredString("name"), f.requiredString("version"))) }),
    },
    {
      methods: ["GET"],
      api: "keel",
      path: "audit-log",
      role: "read",
      input: { model_name: field.text(), version: field.id(), action: field.text(), since: field.int(), max_results: field.int(), page_token: field.text() },
      handler: async ({ fields: f }) => {
        const page = await registry.getAuditLog({
          modelName: f.string("model_name") || undefined,
          version: f.string("version") || undefined,
          action: (f.string("action") || undefined) as AuditAction | undefined,
          since: f.int("since"),
          maxResults: f.int("max_results"),
          pageToken: f.string("page_token") || undefined,
        });
        return { entries: page.items.map(encodeAuditEntry), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
  ];
}
