/**
 * Keel's own endpoints under `/api/2.0/keel/`: what the server is (the remote store reads this
 * on open), deleted runs, purging one (admin), garbage collection of deleted runs with
 * their artifacts (admin), and run heartbeats (a beat; marking runs whose beats stopped FAILED).
 */
import { gcDeletedRuns, reapStaleRuns } from "../../track/index.js";
import { encodeRunInfo } from "../../wire/index.js";
import type { ResolvedDeps } from "../deps.js";
import { empty, type RouteDef } from "../route.js";
import { runId, RUN_ID_FIELDS } from "../run-fields.js";
import { field } from "../fields.js";

/** Keel's server API version: bumped when a Keel endpoint changes incompatibly. */
export const KEEL_API_VERSION = 1;

export function keelRoutes({ store, artifacts }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["GET"],
      api: "keel",
      path: "server-info",
      role: "read",
      handler: async ({ principal }) => ({
        keel_api_version: KEEL_API_VERSION,
        store_kind: store.kind,
        artifact_root: store.artifactRoot,
        auth: principal.authenticated,
        principal: { name: principal.name, role: principal.role },
      }),
    },
    {
      methods: ["GET", "POST"],
      api: "keel",
      path: "runs/list-deleted",
      role: "read",
      input: { older_than_ms: field.int(), run_ids: field.idList() },
      handler: async ({ fields: f }) => {
        const runs = await store.listDeletedRuns({ olderThanMs: f.int("older_than_ms"), runIds: f.stringList("run_ids") });
        return { runs: runs.map(encodeRunInfo) };
      },
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "runs/heartbeat",
      role: "write",
      input: { ...RUN_ID_FIELDS, timeout_ms: field.int() },
      handler: empty(async ({ fields: f }) => store.heartbeat(runId(f), f.int("timeout_ms") as number)),
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "runs/fail-stale",
      role: "write",
      input: {},
      handler: async () => {
        const runs = await reapStaleRuns(store, artifacts);
        return { runs: runs.map(encodeRunInfo) };
      },
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "runs/purge",
      role: "admin",
      input: { ...RUN_ID_FIELDS },
      handler: empty(async ({ fields: f }) => {
        // a deleted run goes with its artifacts; an active one is refused by the store (CONFLICT)
        const run = await store.getRun(runId(f));
        if (run.info.lifecycleStage === "deleted") await artifacts.deleteAll(run.info.artifactUri);
        await store.purgeRun(run.info.runId);
      }),
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "gc",
      role: "admin",
      input: { older_than_ms: field.int(), run_ids: field.idList() },
      handler: async ({ fields: f }) => {
        const r = await gcDeletedRuns(store, artifacts, { olderThanMs: f.int("older_than_ms"), runIds: f.stringList("run_ids") });
        return { purged: r.purged, failed: r.failed.map((x) => ({ run_id: x.runId, error: x.error })) };
      },
    },
  ];
}
