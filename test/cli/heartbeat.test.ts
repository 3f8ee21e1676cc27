/**
 * A `keel run` killed with SIGKILL leaves its runs RUNNING and, when it died writing, temporary
 * files in the artifact store. Runs beat while they are open (KEEL_HEARTBEAT_MS, shortened
 * here), so `keel gc` and the next `keel run` mark the dead run FAILED and remove its temporary
 * files — on a SQLite store and on a shared PostgreSQL one.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { dropPgSchema, pgSchemaName, pgUri, PG_URL, warnIfNoPostgres } from "../conformance/store/backends.js";
import { fixture, keel } from "./run-cli.js";

warnIfNoPostgres();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-heartbeat-"));
const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await dropPgSchema(s);
  rmSync(dir, { recursive: true, force: true });
});

const BEAT_MS = 150; // presumed dead after 6 missed beats: 0.9 s

interface RunRow {
  run_uuid: string;
  status: string;
  artifact_uri: string;
}

function project(name: string): string {
  const p = path.join(dir, name);
  mkdirSync(p);
  copyFileSync(fixture("credit-300.csv"), path.join(p, "credit.csv"));
  writeFileSync(
    path.join(p, "keel.yaml"),
    "name: credit\nproblem: { task: binary, target: Status, positive: bad, metric: roc_auc }\ndata: { source: credit.csv }\nsplit: { test: 0.25, stratify: true, seed: 7 }\ncv: { folds: 3 }\nmodels: [baseline, logistic, gbdt]\n",
  );
  return p;
}

/** Start `keel run`, SIGKILL it once a run of it is RUNNING; returns the runs it left RUNNING. */
async function killMidRun(args: string[], env: Record<string, string>, runs: () => Promise<RunRow[]>): Promise<RunRow[]> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), ...args], {
    cwd: root,
    env: { ...process.env, KEEL_PROGRESS: "0", KEEL_HEARTBEAT_MS: String(BEAT_MS), ...env },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const before = new Set((await runs()).map((r) => r.run_uuid));
  const deadline = Date.now() + 120_000;
  let running: RunRow[] = [];
  while (Date.now() < deadline && child.exitCode === null) {
    running = (await runs()).filter((r) => r.status === "RUNNING" && !before.has(r.run_uuid));
    if (running.length > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(running.length, "keel run started a run before it was killed").toBeGreaterThan(0);
  child.kill("SIGKILL");
  await exited;
  return (await runs()).filter((r) => r.status === "RUNNING" && !before.has(r.run_uuid));
}

/** What an upload interrupted by the kill leaves: a temporary file in the run's artifact folder. */
function plantTemp(run: RunRow): string {
  const folder = path.join(fileURLToPath(run.artifact_uri), "model");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `.keel-tmp-${999_999}-0123456789ab`);
  writeFileSync(file, "half a model");
  return file;
}

const stores = [
  {
    name: "sqlite",
    available: true,
    open(tag: string) {
      const db = path.join(dir, `${tag}.db`);
      return {
        uri: db,
        env: { KEEL_HOME: path.join(dir, `${tag}-home`) },
        runs: async (): Promise<RunRow[]> => {
          if (!existsSync(db)) return [];
          const d = new Database(db, { readonly: true, fileMustExist: true });
          try {
            return d.prepare("SELECT run_uuid, status, artifact_uri FROM runs").all() as RunRow[];
          } catch {
            return []; // not migrated yet
          } finally {
            d.close();
          }
        },
      };
    },
  },
  {
    name: "postgres",
    available: PG_URL !== undefined && PG_URL !== "",
    open(tag: string) {
      const schema = pgSchemaName();
      schemas.push(schema);
      return {
        uri: pgUri(schema),
        env: { KEEL_HOME: path.join(dir, `${tag}-home`) },
        runs: async (): Promise<RunRow[]> => {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          try {
            return (await c.query(`SELECT run_uuid, status, artifact_uri FROM "${schema}".runs`)).rows as RunRow[];
          } catch {
            return [];
          } finally {
            await c.end();
          }
        },
      };
    },
  },
];

describe.each(stores)("a killed keel run on $name", (target) => {
  it.skipIf(!target.available)("is marked FAILED, its temporary files removed, by keel gc and by the next keel run", async () => {
    const store = target.open(target.name);
    const proj = project(`proj-${target.name}`);
    const args = ["run", proj, "--store", store.uri];

    // 1. killed, then keel gc
    const left = await killMidRun(args, store.env, store.runs);
    expect(left.length).toBeGreaterThan(0);
    const temp = plantTemp(left[0]);
    await new Promise((r) => setTimeout(r, BEAT_MS * 6 + 600));
    const gc = keel(["gc", "--store", store.uri, "--json"], { env: store.env });
    expect(gc.code, gc.stderr).toBe(0);
    expect((JSON.parse(gc.stdout) as { markedFailed: string[] }).markedFailed.sort()).toEqual(left.map((r) => r.run_uuid).sort());
    const after = new Map((await store.runs()).map((r) => [r.run_uuid, r.status]));
    for (const r of left) expect(after.get(r.run_uuid)).toBe("FAILED");
    expect(existsSync(temp)).toBe(false);

    // 2. killed again, then a keel run that completes
    const again = await killMidRun(args, store.env, store.runs);
    const temp2 = plantTemp(again[0]);
    await new Promise((r) => setTimeout(r, BEAT_MS * 6 + 600));
    const next = keel([...args, "--json"], { env: { ...store.env, KEEL_HEARTBEAT_MS: String(BEAT_MS) } });
    expect(next.code, next.stderr).toBe(0);
    const finalRuns = new Map((await store.runs()).map((r) => [r.run_uuid, r.status]));
    for (const r of again) expect(finalRuns.get(r.run_uuid)).toBe("FAILED");
    expect(existsSync(temp2)).toBe(false);
    // the completed run and its children ended normally; nothing is left RUNNING
    expect([...finalRuns.values()].filter((s) => s === "RUNNING")).toEqual([]);
    expect(finalRuns.get((JSON.parse(next.stdout) as { runId: string }).runId)).toBe("FINISHED");
  }, 600_000);
});
