/**
 * model-versions/*: create, get, search, update, delete (admin), transition-stage, tags,
 * get-download-uri; the MLflow UI's `/model-versions/get-artifact`; and Keel's lineage
 * (`/api/2.0/keel/model-versions/lineage`) and audit log (`/api/2.0/keel/audit-log`).
 */
import { InvalidInputError, show } from "../../core/errors.js";
import { getLineage, type AuditAction } from "../../registry/index.js";
import { contentTypeFor } from "../artifact-paths.js";
import type { ResolvedDeps } from "../deps.js";
import { keyValues } from "../fields.js";
import { encodeAuditEntry, encodeLineage, encodeModelVersion } from "../../wire/index.js";
import { empty, type RouteDef } from "../route.js";

export function modelVersionRoutes({ registry, store, artifacts }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["POST"],
      api: "mlflow",
      path: "model-versions/create",
      role: "write",
      handler: async ({ fields: f, actor }) => {
        const v = await registry.createModelVersion(
          {
            name: f.requiredString("name"),
            source: f.requiredString("source"),
            runId: f.string("run_id") || undefined,
            runLink: f.string("run_link") || undefined,
            description: f.string("description"),
            tags: keyValues(f.objects("tags"), "tags"),
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
      handler: async ({ fields: f }) => ({ model_version: encodeModelVersion(await registry.getModelVersion(f.requiredString("name"), f.requiredString("version"))) }),
    },
    {
      methods: ["GET", "POST"],
      api: "mlflow",
      path: "model-versions/search",
      role: "read",
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
      handler: async ({ fields: f, actor }) => ({
        model_version: encodeModelVersion(await registry.updateModelVersion(f.requiredString("name"), f.requiredString("version"), { description: f.string("description") ?? "" }, { actor })),
      }),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "model-versions/delete",
      role: "admin",
      handler: empty(({ fields: f, actor }) => registry.deleteModelVersion(f.requiredString("name"), f.requiredString("version"), { actor })),
    },
    {
      methods: ["POST"],
      api: "mlflow",
      path: "model-versions/transition-stage",
      role: "write",
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
      handler: empty(({ fields: f, actor }) => registry.setModelVersionTag(f.requiredString("name"), f.requiredString("version"), f.requiredString("key"), f.requiredText("value"), { actor })),
    },
    {
      methods: ["DELETE"],
      api: "mlflow",
      path: "model-versions/delete-tag",
      role: "write",
      handler: empty(({ fields: f, actor }) => registry.deleteModelVersionTag(f.requiredString("name"), f.requiredString("version"), f.requiredString("key"), { actor })),
    },
    {
      methods: ["GET"],
      api: "mlflow",
      path: "model-versions/get-download-uri",
      role: "read",
      handler: async ({ fields: f }) => ({ artifact_uri: await registry.getModelVersionDownloadUri(f.requiredString("name"), f.requiredString("version")) }),
    },
    {
      // the MLflow UI's download of a registered model's file: resolved through the version's run
      methods: ["GET"],
      api: "root",
      path: "model-versions/get-artifact",
      role: "read",
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
      handler: async ({ fields: f }) => ({ lineage: encodeLineage(await getLineage(registry, store, f.requiredString("name"), f.requiredString("version"))) }),
    },
    {
      methods: ["GET"],
      api: "keel",
      path: "audit-log",
      role: "read",
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
