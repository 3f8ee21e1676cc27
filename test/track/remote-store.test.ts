/**
 * What the shared suite does not cover about the remote store: opening by URI, the same library
 * code against SQLite, PostgreSQL and a server URL, artifacts through the proxy, the registry
 * over HTTP, tokens from KEEL_TOKEN, and errors when the server is unreachable.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemoteArtifactStore } from "../../src/backend/index.js";
import { openRegistry, registerModel, RemoteRegistry } from "../../src/registry/index.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import { openStore, RemoteStore, startRun, type TrackingStore } from "../../src/track/index.js";
import { PG_URL, warnIfNoPostgres } from "../server/harness.js";

let dir: string;
let server: RunningServer;
let pgServer: RunningServer;
let pgSchema: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-remote-"));
  server = await startServer({ port: 0, store: path.join(dir, "keel.db"), artifacts: path.join(dir, "artifacts") });
  pgSchema = `keel_remote_${process.pid}_${Date.now()}`;
  if (!PG_URL) return;
  const u = new URL(PG_URL);
  u.searchParams.set("schema", pgSchema);
  pgServer = await startServer({ port: 0, store: u.toString(), artifacts: path.join(dir, "pg-artifacts") });
});
warnIfNoPostgres("the PostgreSQL halves of the remote-store cases are");
afterAll(async () => {
  await server.close();
  if (!PG_URL) return rmSync(dir, { recursive: true, force: true });
  await pgServer.close();
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await c.end();
  rmSync(dir, { recursive: true, force: true });
});

/** One piece of library code: a run with params, metrics, an artifact, then a search. */
async function workflow(store: TrackingStore): Promise<{ names: string[]; auc: number; artifact: string }> {
  const run = await startRun({ store, experiment: "same-code", name: "try-1", hypothesis: "it works everywhere", environment: false });
  await run.logParams({ depth: 3, model: "gbdt" });
  for (let i = 0; i < 50; i++) run.logMetric("loss", 1 / (i + 1), i);
  run.logMetric("auc", 0.87);
  await run.logText("notes/summary.txt", "hello from the run");
  await run.end("FINISHED");
  const found = await store.searchRuns({ experimentIds: [(await store.getExperimentByName("same-code")).experimentId], filter: "metrics.auc > 0.8 AND params.model = 'gbdt'" });
  const got = found.items[0];
  const artifacts = store.backend.artifacts;
  return {
    names: found.items.map((r) => r.info.runName),
    auc: got.data.metrics.find((m) => m.key === "auc")!.value,
    artifact: (await artifacts.read(got.info.artifactUri, "notes/summary.txt")).toString("utf8"),
  };
}

describe("remote store", () => {
  it("is what openStore gives for http:// URIs", async () => {
    const store = await openStore(server.url);
    expect(store).toBeInstanceOf(RemoteStore);
    expect(store.kind).toBe("http");
    expect(store.uri).toBe(server.url);
    expect(store.backend.artifacts).toBeInstanceOf(RemoteArtifactStore);
    await store.close();
  });

  it("runs the same library code against SQLite, PostgreSQL and both servers' URLs", async () => {
    const local = await openStore(path.join(dir, "direct.db"), { artifactRoot: path.join(dir, "direct-artifacts") });
    const pgUrl = PG_URL ? new URL(PG_URL) : null;
    pgUrl?.searchParams.set("schema", `${pgSchema}_direct`);
    const pgDirect = pgUrl ? await openStore(pgUrl.toString(), { artifactRoot: path.join(dir, "pg-direct-artifacts") }) : null;
    const viaSqliteServer = await openStore(server.url);
    const viaPgServer = PG_URL ? await openStore(pgServer.url) : null;
    try {
      const expected = { names: ["try-1"], auc: 0.87, artifact: "hello from the run" };
      for (const store of [local, pgDirect, viaSqliteServer, viaPgServer]) if (store) expect(await workflow(store), store.uri).toEqual(expected);
      // what went through the server is in the server's store
      const behind = await server.store.searchRuns({ filter: "attributes.run_name = 'try-1'" });
      expect(behind.items[0].info.hypothesis).toBe("it works everywhere");
      expect(behind.items[0].data.params).toEqual([
        { key: "depth", value: "3" },
        { key: "model", value: "gbdt" },
      ]);
    } finally {
      await local.close();
      await viaSqliteServer.close();
      if (PG_URL) {
        await pgDirect!.close();
        await viaPgServer!.close();
        const pg = (await import("pg")).default;
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}_direct" CASCADE`);
        await c.end();
      }
    }
  });

  it("moves artifacts through the proxy: files, folders, listing, checksums, deletion", async () => {
    const store = await openStore(server.url);
    const run = await store.createRun({});
    const a = new RemoteArtifactStore(server.url);
    const src = path.join(dir, "model-dir");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.join(src, "sub"), { recursive: true });
    writeFileSync(path.join(src, "manifest.json"), '{"kind":"gbdt"}');
    writeFileSync(path.join(src, "sub", "weights.bin"), Buffer.alloc(300_000, 7));
    const written = await a.writeDir(run.info.artifactUri, src, "model");
    expect(written.map((e) => e.path)).toEqual(["model/manifest.json", "model/sub/weights.bin"]);
    expect(await a.list(run.info.artifactUri)).toEqual([{ path: "model", isDir: true }]);
    const inner = await a.list(run.info.artifactUri, "model");
    expect(inner.map((e) => [e.path, e.isDir, e.fileSize])).toEqual([
      ["model/sub", true, undefined],
      ["model/manifest.json", false, 15],
    ]);
    expect((await a.read(run.info.artifactUri, "model/sub/weights.bin")).equals(Buffer.alloc(300_000, 7))).toBe(true);
    const { stream, size } = await a.openRead(run.info.artifactUri, "model/manifest.json");
    expect(size).toBe(15);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('{"kind":"gbdt"}');
    expect(await a.verify(run.info.artifactUri, "model/manifest.json")).toMatchObject({ ok: true });
    await expect(a.read(run.info.artifactUri, "../../etc/passwd")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(a.read(run.info.artifactUri, "model/missing.bin")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await a.delete(run.info.artifactUri, "model/sub");
    expect((await a.list(run.info.artifactUri, "model")).map((e) => e.path)).toEqual(["model/manifest.json"]);
    await a.deleteAll(run.info.artifactUri);
    expect(await a.list(run.info.artifactUri)).toEqual([]);
    await store.close();
  });

  it("gives the registry over HTTP through openRegistry, with lineage and the audit log", async () => {
    const store = await openStore(server.url);
    const registry = await openRegistry(server.url, { defaultActor: "remote-tester" });
    expect(registry).toBeInstanceOf(RemoteRegistry);
    const run = await startRun({ store, name: "for-registry", environment: false });
    await run.logText("model/manifest.json", "{}");
    await run.end("FINISHED");
    const v = await registerModel({ registry, tracking: store, runId: run.runId, name: "remote-model", artifacts: store.backend.artifacts });
    expect(v).toMatchObject({ name: "remote-model", version: "1", runId: run.runId });
    await registry.setRegisteredModelAlias("remote-model", "champion", "1");
    expect((await registry.getModelVersionByAlias("remote-model", "champion")).version).toBe("1");
    await expect(registry.getModelVersionByAlias("remote-model", "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const audit = await registry.getAuditLog({ modelName: "remote-model" });
    expect(audit.items.map((e) => [e.action, e.actor])).toEqual([
      ["create_model", "remote-tester"],
      ["create_version", "remote-tester"],
      ["set_alias", "remote-tester"],
    ]);
    const lineage = await (registry as RemoteRegistry).getLineage("remote-model", "1");
    expect(lineage.run?.runId).toBe(run.runId);
    await registry.close();
    await store.close();
  });

  it("sends KEEL_TOKEN, and reports a missing token, a weak one and an unreachable server as Keel errors", async () => {
    const tdir = mkdtempSync(path.join(os.tmpdir(), "keel-remote-auth-"));
    const { openTokenStore } = await import("../../src/server/index.js");
    const file = path.join(tdir, "keel.db");
    const tokens = await openTokenStore(file);
    const read = (await tokens.create({ role: "read" })).token;
    await tokens.close();
    const s = await startServer({ port: 0, store: file });
    const saved = process.env.KEEL_TOKEN;
    try {
      delete process.env.KEEL_TOKEN;
      await expect(openStore(s.url)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
      process.env.KEEL_TOKEN = read;
      const store = await openStore(s.url);
      expect((await store.getExperiment("0")).name).toBe("Default");
      await expect(store.createExperiment({ name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/needs write/) });
      await store.close();
    } finally {
      if (saved === undefined) delete process.env.KEEL_TOKEN;
      else process.env.KEEL_TOKEN = saved;
      await s.close();
      rmSync(tdir, { recursive: true, force: true });
    }
    // nothing listens on port 9 of loopback
    await expect(openStore("http://127.0.0.1:9")).rejects.toMatchObject({ code: "IO_ERROR", message: expect.stringMatching(/cannot reach keel server/) });
    await expect(openStore("http://user:pw@127.0.0.1:9")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
