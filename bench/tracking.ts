/**
 * Tracking store figures (issue 6), in SQLite and — when KEEL_TEST_POSTGRES holds a URL — in
 * PostgreSQL:
 * 1. metric points per second through the library (`startRun` → `logMetric` × 1,000,000, 10
 *    keys, then `end()`, which flushes): goal ≥ 100,000 points/s into SQLite;
 * 2. runs search with a metric filter and a metric ordering over 100,000 runs (MLflow's default
 *    page of 1,000 runs, and a page of 100): goal ≤ 200 ms. The 100,000 runs (3 metrics, 2 params,
 *    1 tag each) are loaded with bulk inserts through the store's driver — set-up, not measured —
 *    and the store is reopened before searching, as a new process would find it;
 * 3. a downsampled history: 100,000 points of one metric → 1,000 (no goal; reported).
 * The HTTP log-batch figure is in bench/tracking-http.ts.
 *
 *   node --import tsx bench/tracking.ts [--points=1000000] [--runs=100000]
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SqlBackend } from "../src/backend/index.js";
import { openStore, startRun, type TrackingStore } from "../src/track/index.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def);
const POINTS = opt("points", 1_000_000);
const RUNS = opt("runs", 100_000);
const GOAL = { pointsPerSecond: 100_000, searchMs: 200 };
const PG = process.env.KEEL_TEST_POSTGRES;

const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bench-tracking-"));
const schemas: string[] = [];

interface Target {
  name: string;
  open(fresh: boolean): Promise<TrackingStore>;
}

const targets: Target[] = [{ name: "sqlite", open: () => openStore(path.join(dir, "keel.db")) }];
if (PG) {
  const schema = `keel_bench_${randomUUID().slice(0, 8)}`;
  schemas.push(schema);
  const u = new URL(PG);
  u.searchParams.set("schema", schema);
  targets.push({ name: "postgres", open: () => openStore(u.toString(), { artifactRoot: path.join(dir, "pg-artifacts") }) });
} else {
  console.log("KEEL_TEST_POSTGRES is not set: PostgreSQL figures are skipped");
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function ingest(t: Target): Promise<void> {
  const store = await t.open(true);
  const run = await startRun({ store, environment: false, name: "ingest" });
  const t0 = performance.now();
  const keys = Array.from({ length: 10 }, (_, k) => `metric_${k}`);
  const steps = POINTS / keys.length;
  for (let step = 0; step < steps; step++) {
    for (let k = 0; k < keys.length; k++) run.logMetric(keys[k], Math.sin(step / 1000 + k), step);
  }
  await run.end();
  const seconds = (performance.now() - t0) / 1000;
  const rate = POINTS / seconds;
  const stored = (await store.getMetricHistory(run.runId, "metric_0")).items.length;
  console.log(`[${t.name}] library logMetric: ${fmt(POINTS)} points in ${seconds.toFixed(2)} s = ${fmt(rate)} points/s (goal ≥ ${fmt(GOAL.pointsPerSecond)}: ×${(rate / GOAL.pointsPerSecond).toFixed(2)}); stored per key: ${fmt(stored)}`);

  // downsampled history of one key with 100,000 points
  const one = await startRun({ store, environment: false, name: "history" });
  for (let step = 0; step < 100_000; step++) one.logMetric("loss", Math.exp(-step / 20_000) + 0.01 * Math.sin(step), step);
  await one.end();
  const times: number[] = [];
  let got = 0;
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    got = (await store.getMetricHistorySampled(one.runId, "loss", { maxPoints: 1000 })).length;
    times.push(performance.now() - s);
  }
  console.log(`[${t.name}] downsampled history: 100,000 points → ${fmt(got)} in ${median(times).toFixed(1)} ms (median of 5)`);
  await store.close();
}

async function populate(store: TrackingStore): Promise<string> {
  const exp = await store.createExperiment({ name: "search-bench" });
  const { sql } = store.backend as SqlBackend;
  const base = Number((await sql.get<{ n: number }>("SELECT COALESCE(MAX(id), 0) AS n FROM runs"))!.n);
  const chunk = 10_000;
  for (let from = 0; from < RUNS; from += chunk) {
    const n = Math.min(chunk, RUNS - from);
    await sql.transaction(async (tx) => {
      const id: number[] = [], uuid: string[] = [], e: number[] = [], name: string[] = [], status: string[] = [], start: number[] = [], uri: string[] = [];
      for (let i = from; i < from + n; i++) {
        const u = randomUUID().replace(/-/g, "");
        id.push(base + i + 1);
        uuid.push(u);
        e.push(Number(exp));
        name.push(`run-${i}`);
        status.push(i % 7 === 0 ? "FAILED" : "FINISHED");
        start.push(1_700_000_000_000 + i * 1000);
        uri.push(`file:///bench/${exp}/${u}/artifacts`);
      }
      await tx.insertMany("runs", ["id", "run_uuid", "experiment_id", "name", "status", "start_time", "artifact_uri"], ["bigint", "text", "bigint", "text", "text", "bigint", "text"], [id, uuid, e, name, status, start, uri]);
      const rid: number[] = [], key: string[] = [], val: number[] = [], nan: number[] = [], step: number[] = [], ts: number[] = [];
      for (let i = from; i < from + n; i++) {
        for (const [k, v] of [["accuracy", 0.5 + 0.5 * Math.abs(Math.sin(i * 12.9898))], ["loss", Math.abs(Math.cos(i * 78.233)) * 2], ["f1", Math.abs(Math.sin(i * 3.7))]] as const) {
          rid.push(base + i + 1);
          key.push(k);
          val.push(v);
          nan.push(0);
          step.push(9);
          ts.push(1);
        }
      }
      await tx.insertMany("latest_metrics", ["run_id", "key", "value", "is_nan", "step", "timestamp"], ["bigint", "text", "double", "int", "bigint", "bigint"], [rid, key, val, nan, step, ts]);
      await tx.insertMany("metrics", ["run_id", "key", "value", "is_nan", "step", "timestamp"], ["bigint", "text", "double", "int", "bigint", "bigint"], [rid, key, val, nan, step, ts]);
      const pr: number[] = [], pk: string[] = [], pv: string[] = [];
      for (let i = from; i < from + n; i++) {
        pr.push(base + i + 1, base + i + 1);
        pk.push("model", "learning_rate");
        pv.push(["gbdt", "logistic", "forest"][i % 3], String((i % 10) / 100));
      }
      await tx.insertMany("params", ["run_id", "key", "value"], ["bigint", "text", "text"], [pr, pk, pv]);
      await tx.insertMany("tags", ["run_id", "key", "value"], ["bigint", "text", "text"], [id, id.map(() => "mlflow.runName"), name]);
    });
  }
  if (sql.dialect === "postgres") {
    // keep the identity sequence ahead of the ids inserted explicitly, and give the planner statistics
    await sql.run("SELECT setval(pg_get_serial_sequence('runs', 'id'), (SELECT MAX(id) FROM runs))");
    await sql.run("ANALYZE");
  }
  return exp;
}

const WORST_FILTER = [
  "metrics.accuracy >= 0",
  "metrics.loss >= 0",
  "metrics.f1 >= 0",
  "params.model != 'x'",
  "params.learning_rate != 'x'",
  ...Array.from({ length: 44 }, (_, i) => `${["metrics", "params", "tags"][i % 3]}.absent_${i} IS NULL`),
  "tags.\"mlflow.runName\" = 'none'",
].join(" AND ");
const WORST_ORDER = ["metrics.loss ASC", "metrics.f1 DESC", "params.model", "tags.x", "metrics.a", "metrics.b", "params.c", "params.d", "tags.e", "attributes.start_time"];

async function search(t: Target): Promise<void> {
  let store = await t.open(false);
  const t0 = performance.now();
  const exp = await populate(store);
  console.log(`[${t.name}] set-up: ${fmt(RUNS)} runs bulk-loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await store.close();
  store = await t.open(false);
  const queries: { filter: string; orderBy: string[]; maxResults: number }[] = [
    { filter: "metrics.accuracy > 0.75", orderBy: ["metrics.loss ASC"], maxResults: 1000 },
    { filter: "metrics.accuracy > 0.75", orderBy: ["metrics.loss ASC"], maxResults: 100 },
    { filter: "metrics.accuracy > 0.99", orderBy: ["metrics.accuracy DESC"], maxResults: 1000 },
    { filter: "metrics.f1 > 0.5 and params.model = 'gbdt'", orderBy: ["metrics.accuracy DESC"], maxResults: 1000 },
    { filter: "metrics.loss < 1 and attributes.status = 'FINISHED'", orderBy: ["metrics.f1 DESC"], maxResults: 1000 },
    // the grammar's worst case (issue 12): 50 clauses, every index-driven one true for all runs,
    // the last false for all, so every run is tested; ordered by 10 keys
    { filter: WORST_FILTER, orderBy: WORST_ORDER, maxResults: 1000 },
    { filter: WORST_FILTER.replace("'none'", "'run-7'"), orderBy: ["metrics.loss ASC"], maxResults: 1000 },
    // every run matches and the page is ordered by 10 keys: the whole experiment is joined and sorted
    { filter: WORST_FILTER.replace("= 'none'", "!= 'none'"), orderBy: WORST_ORDER, maxResults: 1000 },
  ];
  let worst = 0;
  for (const q of queries) {
    const times: number[] = [];
    let n = 0;
    for (let rep = 0; rep < 5; rep++) {
      const s = performance.now();
      n = (await store.searchRuns({ experimentIds: [exp], ...q })).items.length;
      times.push(performance.now() - s);
    }
    const med = median(times);
    worst = Math.max(worst, med);
    console.log(
      `[${t.name}] search ${JSON.stringify(q.filter.length > 100 ? `${q.filter.slice(0, 60)}… (${q.filter.split(" AND ").length} clauses)` : q.filter)} order ${q.orderBy.join(", ")} max ${q.maxResults}: ${n} runs, first ${times[0].toFixed(1)} ms, median ${med.toFixed(1)} ms (goal ≤ ${GOAL.searchMs} ms: ×${(GOAL.searchMs / med).toFixed(1)})`,
    );
  }
  console.log(`[${t.name}] slowest search median: ${worst.toFixed(1)} ms over ${fmt(RUNS)} runs (goal ≤ ${GOAL.searchMs} ms: ×${(GOAL.searchMs / worst).toFixed(1)})`);
  await store.close();
}

try {
  for (const t of targets) {
    await ingest(t);
    await search(t);
  }
} finally {
  if (PG && schemas.length > 0) {
    const pg = (await import("pg")).default;
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await c.end();
  }
  rmSync(dir, { recursive: true, force: true });
}
