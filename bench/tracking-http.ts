/**
 * Metric points per second through HTTP log-batch into a SQLite-backed `keel server` (issue 6
 * goal: ≥ 20,000/s). The server runs in a child process on loopback (as in production, apart
 * from its clients); several concurrent clients each log to their own run with MLflow's
 * `runs/log-batch`, 1,000 metrics per request (MLflow's limit). Also: the same through the
 * remote store's `logMetrics` (Keel's bulk endpoint, 10,000 points per request).
 *
 *   node --import tsx bench/tracking-http.ts [--clients 4] [--batches 60]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const GOAL = 20_000;
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};

if (args[0] === "--serve") {
  // the child: a keel server on a fresh SQLite store
  const { startServer } = await import("../src/server/index.js");
  const s = await startServer({ port: 0, store: args[1] });
  process.stdout.write(`URL ${s.url}\n`);
  process.on("SIGTERM", () => void s.close().then(() => process.exit(0)));
} else {
  const clients = opt("clients", 4);
  const batches = opt("batches", 60);
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bench-http-"));
  const here = fileURLToPath(import.meta.url);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", here, "--serve", path.join(dir, "keel.db")], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (c) => reject(new Error(`server exited with ${c}`)));
  });

  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ run?: { info: { run_id: string } } }>;
  };

  // each client: its own run; batch b holds 1000 points of 10 keys × 100 steps
  const runIds: string[] = [];
  for (let c = 0; c < clients; c++) runIds.push((await post("/api/2.0/mlflow/runs/create", { experiment_id: "0", run_name: `bench-${c}` })).run!.info.run_id);
  const bodies = runIds.map((runId) =>
    Array.from({ length: batches }, (_, b) =>
      JSON.stringify({
        run_id: runId,
        metrics: Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: Math.sin(b * 1000 + i), timestamp: 1_700_000_000_000 + b * 1000 + i, step: b * 100 + Math.floor(i / 10) })),
      }),
    ),
  );
  // warm-up (JIT, SQLite pages)
  await post("/api/2.0/mlflow/runs/log-batch", { run_id: runIds[0], metrics: [{ key: "warm", value: 1, timestamp: 1, step: 0 }] });

  const t0 = performance.now();
  await Promise.all(
    bodies.map(async (list) => {
      for (const body of list) {
        const res = await fetch(`${url}/api/2.0/mlflow/runs/log-batch`, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (!res.ok) throw new Error(`log-batch: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const points = clients * batches * 1000;
  const rate = points / secs;

  // the remote store's bulk path
  const { openStore } = await import("../src/track/index.js");
  const store = await openStore(url, { token: "" });
  const bulkRun = (await store.createRun({ runName: "bench-bulk" })).info.runId;
  const bulk = Array.from({ length: 200_000 }, (_, i) => ({ key: `b${i % 10}`, value: i, timestamp: 1_700_000_000_000 + i, step: Math.floor(i / 10) }));
  const t1 = performance.now();
  for (let i = 0; i < bulk.length; i += 10_000) await store.logMetrics(bulkRun, bulk.slice(i, i + 10_000));
  const bulkRate = bulk.length / ((performance.now() - t1) / 1000);

  // check nothing was lost
  const check = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?run_id=${runIds[0]}&metric_key=m0`).then((r) => r.json() as Promise<{ metrics: unknown[] }>);

  console.log(`HTTP log-batch into SQLite: ${clients} clients × ${batches} requests × 1,000 metrics = ${points.toLocaleString("en-US")} points in ${secs.toFixed(2)} s`);
  console.log(`  ${Math.round(rate).toLocaleString("en-US")} points/s — goal ≥ ${GOAL.toLocaleString("en-US")}/s, ratio ${(rate / GOAL).toFixed(2)}× the goal`);
  console.log(`  ${(secs * 1000 / (clients * batches)).toFixed(1)} ms per request on average (${clients} in flight)`);
  console.log(`remote store logMetrics (10,000 points per request): ${Math.round(bulkRate).toLocaleString("en-US")} points/s, ratio ${(bulkRate / GOAL).toFixed(2)}× the goal`);
  console.log(`check: run 0 metric m0 has ${check.metrics.length} points (expected ${batches * 100})`);
  await store.close();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
