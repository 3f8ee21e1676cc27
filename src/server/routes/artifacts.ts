/**
 * Artifacts: MLflow's run-based listing (`artifacts/list`) and download (`/get-artifact`), and
 * its artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/<path>`: GET downloads, PUT uploads,
 * DELETE removes — admin —, and GET `artifacts?path=` lists, with base names as MLflow does).
 * Every path goes through `artifactSegments` and the local store's link checks: `..`, absolute
 * paths and symbolic links out of the run's folder are refused with 400.
 */
import type { FastifyReply } from "fastify";
import { InvalidInputError, show } from "../../core/index.js";
import type { ArtifactEntry } from "../../backend/index.js";
import { contentTypeFor, splitProxyPath } from "../artifact-paths.js";
import type { ResolvedDeps } from "../deps.js";
import type { RouteDef } from "../route.js";
import { runId, RUN_ID_FIELDS } from "../run-fields.js";
import { field, required } from "../fields.js";

function fileInfo(e: ArtifactEntry, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = { path, is_dir: e.isDir };
  if (!e.isDir && e.fileSize !== undefined) out.file_size = e.fileSize;
  if (e.sha256) out.sha256 = e.sha256;
  return out;
}

async function sendFile(deps: ResolvedDeps, reply: FastifyReply, artifactUri: string, rel: string): Promise<FastifyReply> {
  const { stream, size } = await deps.artifacts.openRead(artifactUri, rel);
  return reply
    .header("content-type", contentTypeFor(rel))
    .header("content-length", String(size))
    .header("x-content-type-options", "nosniff")
    .header("content-disposition", `attachment; filename="${(rel.split("/").pop() ?? "artifact").replace(/["\\\r\n]/g, "_")}"`)
    .send(stream);
}

/** The request body as chunks, refusing more than `limit` bytes. */
async function* limited(source: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limit) throw new InvalidInputError(`artifact upload is larger than the server's limit of ${limit.toLocaleString("en-US")} bytes`, { path: "body", received: total });
    yield chunk;
  }
}

export function artifactRoutes(deps: ResolvedDeps): RouteDef[] {
  const { store, artifacts } = deps;
  const wildcard = (params: unknown) => (params as Record<string, string>)["*"] ?? "";
  return [
    {
      methods: ["GET"],
      api: "mlflow",
      path: "artifacts/list",
      role: "read",
      input: { ...RUN_ID_FIELDS, path: field.text() },
      handler: async ({ fields: f }) => {
        const run = await store.getRun(runId(f));
        const path = f.string("path") ?? "";
        const entries = await artifacts.list(run.info.artifactUri, path);
        return { root_uri: run.info.artifactUri, files: entries.map((e) => fileInfo(e, e.path)) };
      },
    },
    {
      methods: ["GET"],
      api: "root",
      path: "get-artifact",
      role: "read",
      input: { ...RUN_ID_FIELDS, path: required(field.text()) },
      handler: async ({ fields: f, reply }) => {
        const run = await store.getRun(runId(f));
        return sendFile(deps, reply, run.info.artifactUri, f.requiredString("path"));
      },
    },
    {
      methods: ["GET"],
      api: "mlflow-artifacts",
      path: "artifacts",
      role: "read",
      input: { path: field.text() },
      handler: async ({ fields: f }) => {
        const path = f.string("path") ?? "";
        const { artifactUri, rel } = splitProxyPath(path);
        const entries = await artifacts.list(artifactUri, rel);
        return { files: entries.map((e) => fileInfo(e, e.path.split("/").pop() ?? e.path)) };
      },
    },
    {
      methods: ["GET"],
      api: "mlflow-artifacts",
      path: "artifacts/*",
      role: "read",
      handler: async ({ request, reply }) => {
        const { artifactUri, rel } = splitProxyPath(wildcard(request.params));
        if (rel === "") throw new InvalidInputError(`artifact path ${show(wildcard(request.params))} is a run's folder, not a file`, { path: "path" });
        return sendFile(deps, reply, artifactUri, rel);
      },
    },
    {
      methods: ["PUT"],
      api: "mlflow-artifacts",
      path: "artifacts/*",
      role: "write",
      rawBody: true,
      handler: async ({ request }) => {
        const { artifactUri, rel } = splitProxyPath(wildcard(request.params));
        if (rel === "") throw new InvalidInputError(`artifact path ${show(wildcard(request.params))} names a run's folder; add a file name`, { path: "path" });
        const body = request.body as AsyncIterable<Uint8Array> | undefined;
        const entry = await artifacts.writeStream(artifactUri, rel, body ? limited(body, deps.artifactLimit) : []);
        return { file_info: fileInfo(entry, entry.path) };
      },
    },
    {
      methods: ["DELETE"],
      api: "mlflow-artifacts",
      path: "artifacts/*",
      role: "admin",
      handler: async ({ request }) => {
        const { artifactUri, rel } = splitProxyPath(wildcard(request.params));
        if (rel === "") await artifacts.deleteAll(artifactUri);
        else await artifacts.delete(artifactUri, rel);
        return {};
      },
    },
  ];
}
