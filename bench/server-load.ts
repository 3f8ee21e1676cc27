/**
 * `keel server` under load (issue 12): `wrk` with 16 connections against a server in a child
 * process on loopback, SQLite store vs PostgreSQL store, two requests:
 *   - `GET runs/get` of a run with 10 params, 5 tags and 10 metrics;
 *   - `POST runs/log-batch` of 100 metrics (steps advance with each request, so every point is new).
 * Legs alternate (sqlite, postgres, sqlite, ...) so machine load hits both alike; each leg runs
 * `--reps` times (default 3) and the median req/s is reported, with wrk's p50 / p99 latency.
 * Needs Debian's `wrk` and KEEL_TEST_POSTGRES for the PostgreSQL legs.
 *
 * `--baseline <dir>` adds the same legs against a server from another checkout (e.g. `git archive
 * main` unpacked with node_modules linked, and this file copied in), alternating with this one:
 * before / after figures from the same session.
 *
 *   KEEL_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/server-load.ts [--reps 3] [--seconds 10] [--connections 16] [--baseline <dir>]
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};

if (args[0] === "--serve") {
  const { startServer } = await import("../src/server/index.js");
  const s = await startServer({ port: 0, store: args[1], artifacts: args[2] });
  process.stdout.write(`URL ${s.url}\n`);
  process.on("SIGTERM", () => void s.close().then(() => process.exit(0)));
} else {
  const REPS = opt("reps", 3);
  const SECONDS = opt("seconds", 10);
  const CONNECTIONS = opt("connections", 16);
  const PG = process.env.KEEL_TEST_POSTGRES;
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") throw new Error("wrk is not installed (Debian: apt-get install wrk)");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bench-load-"));
  const here = fileURLToPath(import.meta.url);
  const schema = `keel_load_${randomBytes(4).toString("hex")}`;

  const bi = args.indexOf("--baseline");
  const baseline = bi >= 0 ? path.resolve(args[bi + 1]) : undefined;

  async function serve(store: string, script = here): Promise<{ url: string; child: ChildProcess }> {
    const child = spawn(process.execPath, ["--import", "tsx", script, "--serve", store, path.join(dir, "artifacts")], { stdio: ["ignore", "pipe", "inherit"] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /URL (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (c) => reject(new Error(`server exited with ${c}`)));
    });
    return { url, child };
  }

  async function post(url: string, p: string, body: unknown): Promise<{ run?: { info: { run_id: string } } }> {
    const res = await fetch(`${url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ run?: { info: { run_id: string } } }>;
  }

  interface Target {
    name: string;
    url: string;
    child: ChildProcess;
    getRunId: string;
    batchRunId: string;
  }
  const targets: Target[] = [];
  const stores: [string, string, string][] = [["sqlite", path.join(dir, "keel.db"), here]];
  if (PG) {
    const u = new URL(PG);
    u.searchParams.set("schema", schema);
    stores.push(["postgres", u.toString(), here]);
  } else console.log("KEEL_TEST_POSTGRES is not set: PostgreSQL legs are skipped");
  if (baseline) {
    const script = path.join(baseline, "bench", "server-load.ts");
    stores.push(["sqlite (baseline)", path.join(dir, "base.db"), script]);
    if (PG) {
      const u = new URL(PG);
      u.searchParams.set("schema", `${schema}_base`);
      stores.push(["postgres (baseline)", u.toString(), script]);
    }
  }
  for (const [name, store, script] of stores) {
    const { url, child } = await serve(store, script);
    const getRunId = (await post(url, "/api/2.0/mlflow/runs/create", { experiment_id: "0", run_name: "get-me" })).run!.info.run_id;
    await post(url, "/api/2.0/mlflow/runs/log-batch", {
      run_id: getRunId,
      params: Array.from({ length: 10 }, (_, i) => ({ key: `p${i}`, value: `value-${i}` })),
      tags: Array.from({ length: 5 }, (_, i) => ({ key: `t${i}`, value: `tag-${i}` })),
      metrics: Array.from({ length: 10 }, (_, i) => ({ key: `m${i}`, value: i / 10, timestamp: 1_700_000_000_000, step: 1 })),
    });
    const batchRunId = (await post(url, "/api/2.0/mlflow/runs/create", { experiment_id: "0", run_name: "log-to-me" })).run!.info.run_id;
    targets.push({ name, url, child, getRunId, batchRunId });
  }

  // wrk's Lua: each log-batch request carries 100 new points (10 keys × 10 steps)
  const batchLua = (runId: string) => {
    const f = path.join(dir, `batch-${runId}.lua`);
    writeFileSync(
      f,
      `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
local tid = 0
setup = function(thread) thread:set("tid", tid); tid = tid + 1 end
request = function()
  n = n + 1
  local base = (tid * 100000000 + n) * 10
  local parts = {}
  for i = 0, 99 do
    local step = base + (i % 10)
    parts[#parts + 1] = string.format('{"key":"m%d","value":%d.5,"timestamp":%d,"step":%d}', math.floor(i / 10), i, 1700000000000 + n, step)
  end
  return wrk.format(nil, nil, nil, '{"run_id":"${runId}","metrics":[' .. table.concat(parts, ",") .. ']}')
end
`,
    );
    return f;
  };

  interface Result {
    rps: number;
    p50: string;
    p99: string;
    errors: number;
  }
  function wrk(url: string, script?: string): Result {
    const a = ["-t2", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--latency", ...(script ? ["-s", script] : []), url];
    const out = execFileSync("wrk", a, { encoding: "utf8" });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const p50 = /\s50%\s+(\S+)/.exec(out)?.[1] ?? "?";
    const p99 = /\s99%\s+(\S+)/.exec(out)?.[1] ?? "?";
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const errors = non2xx + (sock ? sock.slice(1).reduce((s, x) => s + Number(x), 0) : 0);
    return { rps, p50, p99, errors };
  }

  const legs = [
    { name: "GET runs/get", run: (t: Target) => wrk(`${t.url}/api/2.0/mlflow/runs/get?run_id=${t.getRunId}`) },
    { name: "POST log-batch (100 metrics)", run: (t: Target) => wrk(`${t.url}/api/2.0/mlflow/runs/log-batch`, batchLua(t.batchRunId)) },
  ];
  const results = new Map<string, Result[]>();
  try {
    for (const leg of legs) wrk(`${targets[0].url}/api/2.0/mlflow/runs/get?run_id=${targets[0].getRunId}`); // warm-up (JIT)
    for (let rep = 0; rep < REPS; rep++) {
      for (const leg of legs) {
        for (const t of targets) {
          const r = leg.run(t);
          const key = `${leg.name} | ${t.name}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          console.log(`rep ${rep + 1} ${key}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50}, p99 ${r.p99}${r.errors ? `, ${r.errors} errors` : ""}`);
        }
      }
    }
    console.log(`\nmedians of ${REPS} (wrk -t2 -c${CONNECTIONS} -d${SECONDS}s; loadavg ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores):`);
    for (const leg of legs) {
      const line = targets.map((t) => {
        const rs = results.get(`${leg.name} | ${t.name}`)!;
        const sorted = [...rs].sort((a, b) => a.rps - b.rps);
        const med = sorted[Math.floor(sorted.length / 2)];
        return { name: t.name, med };
      });
      const sqlite = line.find((l) => l.name === "sqlite")!.med.rps;
      const pgLine = line.find((l) => l.name === "postgres");
      console.log(`  ${leg.name}:`);
      for (const l of line) console.log(`    ${l.name.padEnd(20)} ${l.med.rps.toFixed(0).padStart(6)} req/s  p50 ${l.med.p50}  p99 ${l.med.p99}`);
      if (pgLine) console.log(`    postgres/sqlite ${(pgLine.med.rps / sqlite).toFixed(2)}`);
    }
  } finally {
    for (const t of targets) {
      t.child.kill("SIGTERM");
      await new Promise((r) => t.child.once("exit", r));
    }
    if (PG) {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS "${schema}_base" CASCADE`);
      await c.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
