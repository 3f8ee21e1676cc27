/**
 * `keel server`, `keel token`, `keel runs`, `keel models` and `keel gc` as a user runs them:
 * against a SQLite store path and against a `keel server` URL, with the same results.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { openRegistry, registerModel } from "../../src/registry/index.js";
import { openTokenStore } from "../../src/server/index.js";
import { openStore, startRun } from "../../src/track/index.js";
import { keel } from "./run-cli.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;
let db: string;
let ids: string[];
let server: ChildProcess;
let url: string;

/** Start `keel server` as a child process; resolves with its URL once it listens. */
function startKeelServer(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), "server", "--port", "0", ...args], { cwd: root, env: { ...process.env, KEEL_PROGRESS: "0", ...env } });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`keel server exited with ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill("SIGINT");
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-tracking-"));
  db = path.join(dir, "keel.db");
  const store = await openStore(db);
  ids = [];
  for (let i = 0; i < 3; i++) {
    const run = await startRun({ store, experiment: "churn", name: `trial-${i}`, hypothesis: `depth ${3 + i} helps`, environment: false });
    await run.logParams({ depth: 3 + i, model: "gbdt" });
    run.logMetric("auc", 0.8 + i * 0.02);
    await run.logText("model/manifest.json", "{}");
    await run.end("FINISHED");
    ids.push(run.runId);
  }
  const registry = await openRegistry(store);
  await registerModel({ registry, tracking: store, runId: ids[1], name: "churn" });
  await registerModel({ registry, tracking: store, runId: ids[2], name: "churn" });
  await registry.close();
  await store.close();
  ({ child: server, url } = await startKeelServer(["--store", db]));
}, 60_000);

afterAll(async () => {
  if (server) expect(await stop(server)).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe("keel runs", () => {
  it("lists with a filter and ordering, the same from the file and through the server", () => {
    const args = ["runs", "list", "--experiment", "churn", "--filter", "metrics.auc > 0.81", "--order-by", "metrics.auc DESC"];
    const local = keel([...args, "--store", db]);
    expect(local.stderr).toBe("");
    expect(local.code).toBe(0);
    const lines = local.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/run_id\s+name\s+exp\s+status\s+started\s+duration\s+auc/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[1])).toEqual(["trial-2", "trial-1"]);
    const remote = keel([...args, "--store", url]);
    expect(remote.code).toBe(0);
    expect(remote.stdout).toBe(local.stdout);
    const json = JSON.parse(keel([...args, "--store", url, "--json"]).stdout);
    expect(json.map((r: { info: { runId: string } }) => r.info.runId)).toEqual([ids[2], ids[1]]);
    const max = keel(["runs", "list", "--store", db, "--max", "1"]);
    expect(max.stdout).toMatch(/raise --max/);
    const bad = keel(["runs", "list", "--store", db, "--filter", "metrics.auc >> 1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/^keel: error: .*filter/);
  });

  it("shows a run with hypothesis, params, metrics and artifacts", () => {
    for (const store of [db, url]) {
      const r = keel(["runs", "show", ids[0], "--store", store]);
      expect(r.code, store).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`run ${ids[0]} "trial-0"`));
      expect(r.stdout).toMatch(/hypothesis depth 3 helps/);
      expect(r.stdout).toMatch(/depth\s+3/);
      expect(r.stdout).toMatch(/auc\s+0\.8\b/);
      expect(r.stdout).toMatch(/model\//);
    }
    const missing = keel(["runs", "show", "0".repeat(32), "--store", url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });

  it("compares runs side by side, marking what differs", () => {
    const r = keel(["runs", "compare", ...ids, "--store", url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\*\s+depth\s+3\s+4\s+5\s*$/m);
    expect(r.stdout).toMatch(/^\s+model\s+gbdt\s+gbdt\s+gbdt\s*$/m);
    expect(r.stdout).toMatch(/^\*\s+auc\s+0\.8\s+0\.82\s+0\.84\s*$/m);
    const diff = keel(["runs", "compare", ...ids, "--store", db, "--diff-only"]);
    expect(diff.stdout).not.toMatch(/model\s+gbdt/);
    const json = JSON.parse(keel(["runs", "compare", ids[0], ids[1], "--store", db, "--json"]).stdout);
    expect(json.params).toEqual([
      { key: "depth", values: ["3", "4"], differs: true },
      { key: "model", values: ["gbdt", "gbdt"], differs: false },
    ]);
    const one = keel(["runs", "compare", ids[0], "--store", db]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/at least two/);
  });
});

describe("keel models", () => {
  it("lists, shows versions with lineage, and moves an alias (through the server, audited)", () => {
    const list = keel(["models", "list", "--store", url]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^churn\s+2\s/m);
    const set = keel(["models", "alias", "churn", "champion", "1", "--store", url]);
    expect(set.stdout.trim()).toBe("churn@champion → v1");
    const move = keel(["models", "alias", "churn", "champion", "2", "--store", db]);
    expect(move.stdout.trim()).toBe("churn@champion → v2 (was v1)");
    const show = keel(["models", "show", "churn", "--store", url]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/aliases: champion → v2/);
    expect(show.stdout).toMatch(/^\s+2\s+None\s+champion\s+.*depth 5 helps/m);
    expect(show.stdout).toMatch(/^\s+1\s+None\s+.*depth 4 helps/m);
    const json = JSON.parse(keel(["models", "show", "churn", "--store", db, "--json"]).stdout);
    expect(json.versions.map((v: { version: string; lineage: { run: { runId: string } } }) => [v.version, v.lineage.run.runId])).toEqual([
      ["2", ids[2]],
      ["1", ids[1]],
    ]);
    const del = keel(["models", "alias", "churn", "champion", "--delete", "--store", url]);
    expect(del.code).toBe(0);
    expect(keel(["models", "show", "churn", "--store", db]).stdout).not.toMatch(/champion/);
    const noVersion = keel(["models", "alias", "churn", "champion", "--store", db]);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toMatch(/needs a version/);
  });
});

describe("keel token, keel server auth and keel gc", () => {
  it("every command has --help with an example", async () => {
    const r = keel(["runs", "list", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\n\s+\$ keel runs list/);
    // the rest in-process (each spawn costs seconds): the same program, the same help text
    const program = await buildProgram();
    for (const args of [["server"], ["token", "create"], ["token", "list"], ["token", "revoke"], ["runs", "show"], ["runs", "compare"], ["models", "list"], ["models", "show"], ["models", "alias"], ["gc"]]) {
      let cmd = program;
      for (const a of args) cmd = cmd.commands.find((c) => c.name() === a)!;
      let out = "";
      cmd.configureOutput({ writeOut: (t) => (out += t), writeErr: (t) => (out += t) });
      cmd.outputHelp();
      expect(out, args.join(" ")).toMatch(new RegExp(`Examples?:\\n\\s+\\$ keel ${args.join(" ")}`));
    }
  });

  it("refuses 0.0.0.0 without tokens", () => {
    const tdir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-auth-"));
    try {
      const refused = keel(["server", "--host", "0.0.0.0", "--port", "0", "--store", path.join(tdir, "keel.db")]);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toMatch(/refusing to listen on "0\.0\.0\.0" without API tokens/);
    } finally {
      rmSync(tdir, { recursive: true, force: true });
    }
  });

  it("creates tokens, shows each only once, and lists them without the secret", () => {
    const tdir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-auth-"));
    const tdb = path.join(tdir, "keel.db");
    try {
      const created = keel(["token", "create", "--role", "read", "--name", "viewer", "--store", tdb]);
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^keel_[A-Za-z0-9_-]{43}$/);
      expect(created.stderr).toMatch(/shown only this once/);
      const admin = JSON.parse(keel(["token", "create", "--role", "admin", "--store", tdb, "--json"]).stdout);
      expect(admin).toMatchObject({ role: "admin", token: expect.stringMatching(/^keel_/) });
      const listed = keel(["token", "list", "--store", tdb]);
      expect(listed.stdout).toMatch(/viewer\s+read\s+keel_/);
      expect(listed.stdout).not.toContain(token);
      expect(listed.stdout).not.toContain(admin.token);
    } finally {
      rmSync(tdir, { recursive: true, force: true });
    }
  });

  it("with tokens the server needs KEEL_TOKEN and a strong enough role; revoked tokens stop working", async () => {
    const tdir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-auth-"));
    const tdb = path.join(tdir, "keel.db");
    try {
      const tokens = await openTokenStore(tdb);
      const token = (await tokens.create({ role: "read", name: "viewer" })).token;
      const admin = (await tokens.create({ role: "admin", name: "ops" })).token;
      await tokens.close();
      const { child, url: tUrl } = await startKeelServer(["--host", "0.0.0.0", "--store", tdb]);
      try {
        const port = new URL(tUrl).port;
        const loop = `http://127.0.0.1:${port}`;
        const none = keel(["runs", "list", "--store", loop], { env: { KEEL_TOKEN: "" } });
        expect(none.code).toBe(1);
        expect(none.stderr).toMatch(/requires an API token/);
        expect(keel(["runs", "list", "--store", loop], { env: { KEEL_TOKEN: token } }).code).toBe(0);
        const weak = keel(["models", "alias", "m", "champion", "1", "--store", loop], { env: { KEEL_TOKEN: token } });
        expect(weak.code).toBe(1);
        expect(weak.stderr).toMatch(/needs write/);
        const overHttp = keel(["token", "list", "--store", loop, "--json"], { env: { KEEL_TOKEN: admin } });
        expect(JSON.parse(overHttp.stdout).map((t: { name: string }) => t.name)).toContain("viewer");
        expect(keel(["token", "revoke", "viewer", "--store", loop], { env: { KEEL_TOKEN: admin } }).stdout).toMatch(/revoked token "viewer"/);
        const revoked = keel(["runs", "list", "--store", loop], { env: { KEEL_TOKEN: token } });
        expect(revoked.code).toBe(1);
        expect(revoked.stderr).toMatch(/not valid/);
      } finally {
        expect(await stop(child)).toBe(0);
      }
    } finally {
      rmSync(tdir, { recursive: true, force: true });
    }
  }, 60_000);

  it("gc purges deleted runs with their artifacts, honouring --older-than", async () => {
    const store = await openStore(db);
    const run = await store.getRun(ids[0]);
    await store.deleteRun(ids[0]);
    await store.close();
    const artifactsDir = fileURLToPath(run.info.artifactUri);
    expect(existsSync(artifactsDir)).toBe(true);
    const dry = keel(["gc", "--dry-run", "--store", url]);
    expect(dry.stdout).toMatch(new RegExp(ids[0]));
    const young = keel(["gc", "--older-than", "30d", "--store", url, "--json"]);
    expect(JSON.parse(young.stdout)).toEqual({ purged: [], failed: [], markedFailed: [], tempFilesRemoved: 0 });
    const bad = keel(["gc", "--older-than", "soon", "--store", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--older-than "soon" is not a duration/);
    const gc = keel(["gc", "--store", url]);
    expect(gc.code).toBe(0);
    expect(gc.stdout).toMatch(/purged 1 deleted run/);
    expect(existsSync(artifactsDir)).toBe(false);
    expect(keel(["runs", "show", ids[0], "--store", db]).code).toBe(1);
  });
});
