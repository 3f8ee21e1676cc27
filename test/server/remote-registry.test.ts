/**
 * The remote registry against the local one: the same sequence of registry calls on an SQLite
 * registry directly and on a `RemoteRegistry` talking to a server over another SQLite store must
 * give the same entities and the same error codes (times aside).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRegistry, type RegistryStore } from "../../src/registry/index.js";
import { RemoteRegistry } from "../../src/registry/index.js";
import { openStore, type TrackingStore } from "../../src/track/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness;
let dir: string;
let localStore: TrackingStore;

beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-reg-diff-"));
  localStore = await openStore(path.join(dir, "keel.db"), { artifactRoot: path.join(dir, "artifacts") });
});
afterAll(async () => {
  await localStore.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Drop what legitimately differs between two stores: times, and run ids inside sources. */
function normal(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (/(timestamp|Timestamp|^id$)/.test(k) ? undefined : x)));
}

async function script(reg: RegistryStore, runId: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = async (f: () => Promise<unknown>) => {
    try {
      out.push(normal(await f()));
    } catch (e) {
      // same code; the message may be the server's (e.g. "missing value for required parameter")
      out.push({ error: (e as { code?: string }).code });
    }
  };
  await step(() => reg.createRegisteredModel({ name: "m", description: "d", tags: [{ key: "team", value: "a" }] }, { actor: "ana" }));
  await step(() => reg.createRegisteredModel({ name: "m" }));
  await step(() => reg.createRegisteredModel({ name: "" }));
  await step(() => reg.createModelVersion({ name: "m", source: "s3://bucket/model", runId, tags: [{ key: "k", value: "v" }] }, { actor: "ana" }));
  await step(() => reg.createModelVersion({ name: "m", source: "s3://bucket/model2", runId }, { actor: "bo" }));
  await step(() => reg.createModelVersion({ name: "missing", source: "x" }));
  await step(() => reg.getRegisteredModel("m"));
  await step(() => reg.getModelVersion("m", "2"));
  await step(() => reg.getModelVersion("m", "x"));
  await step(() => reg.searchRegisteredModels({ filter: "name LIKE 'm%'" }));
  await step(() => reg.searchModelVersions({ filter: "name = 'm'", orderBy: ["version_number ASC"] }));
  await step(() => reg.updateRegisteredModel("m", { description: "new" }));
  await step(() => reg.updateModelVersion("m", "1", { description: "v1" }));
  await step(() => reg.transitionModelVersionStage("m", "1", "staging", false, { actor: "ana" }));
  await step(() => reg.transitionModelVersionStage("m", "2", "Staging", true, { actor: "ana" }));
  await step(() => reg.transitionModelVersionStage("m", "2", "Live", false));
  await step(() => reg.getLatestVersions("m"));
  await step(() => reg.getLatestVersions("m", ["Archived"]));
  await step(() => reg.setRegisteredModelAlias("m", "champion", "2", { actor: "ana" }));
  await step(() => reg.setRegisteredModelAlias("m", "champion", "9"));
  await step(() => reg.setRegisteredModelAlias("m", "latest", "1"));
  await step(() => reg.getModelVersionByAlias("m", "champion"));
  await step(() => reg.deleteRegisteredModelAlias("m", "champion"));
  await step(() => reg.deleteRegisteredModelAlias("m", "champion"));
  await step(() => reg.setRegisteredModelTag("m", "owner", "ana"));
  await step(() => reg.deleteRegisteredModelTag("m", "owner"));
  await step(() => reg.deleteRegisteredModelTag("m", "owner"));
  await step(() => reg.setModelVersionTag("m", "1", "ok", "yes"));
  await step(() => reg.deleteModelVersionTag("m", "1", "ok"));
  await step(() => reg.getModelVersionDownloadUri("m", "1"));
  await step(() => reg.renameRegisteredModel("m", "m2", { actor: "ana" }));
  await step(() => reg.deleteModelVersion("m2", "1", { actor: "ana" }));
  await step(() => reg.getAuditLog({ modelName: "m2" }));
  await step(() => reg.getAuditLog({ maxResults: 3 }));
  await step(() => reg.deleteRegisteredModel("m2", { actor: "ana" }));
  await step(() => reg.getRegisteredModel("m2"));
  return out;
}

describe("RemoteRegistry", () => {
  it("behaves as the local registry, call for call", async () => {
    const localRun = (await localStore.createRun({})).info.runId;
    const remoteRun = (await h.store.createRun({})).info.runId;
    const local = await openRegistry(localStore);
    const remote = await openRegistry(h.url);
    expect(remote).toBeInstanceOf(RemoteRegistry);
    const a = JSON.stringify(await script(local, localRun)).replaceAll(localRun, "<run>");
    const b = JSON.stringify(await script(remote, remoteRun)).replaceAll(remoteRun, "<run>");
    expect(JSON.parse(b)).toEqual(JSON.parse(a));
    await local.close();
    await remote.close();
  });
});
