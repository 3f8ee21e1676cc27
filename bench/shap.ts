/**
 * TreeSHAP (issue 15): exact path-dependent SHAP values of the flights GBDT — 100 iterations, 31
 * leaves, 7 features (hour, day of week, month, day of month, distance, origin, destination), trained
 * on the first 1,000,000 flights in time order — for the next 10,000 rows. In the same run,
 * XGBoost's `pred_contribs` (Debian's python3-xgboost, 2 threads) for an XGBoost model of the same
 * size (100 rounds, hist, lossguide, 31 leaves) on the same rows.
 * Goal: ≤ 0.5 s on 2 threads, and faster than XGBoost.
 *
 * Reported: Keel on 1 thread (`treeShap`) and on 2 threads (`treeShapParallel`, the worker
 * runtime; the first run starts the workers, medians over runs), XGBoost, the ratios, and the CPU
 * times of each (process CPU, every thread: what the loaded machine's wall clock hides). Also the
 * planning the calling thread does before any row: all tables (`planTreeShap`, what it did before
 * the trees were built per group on the workers) against the layout alone (`layoutTreeShap`, what
 * it does now); the trees the calling thread built during a 2-thread call; and 2 threads with cold
 * plans (a fresh copy of the model per run, so the workers' caches miss and every table is built
 * during the call).
 *
 *   node --import tsx bench/shap.ts [--runs=N] [--no-xgboost]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CATEGORICAL, NUMERIC, dumpFlights, loadFlights } from "./_flights.js";
import { fittedFromArtifact } from "../src/estimator/define.js";
import { registerEstimators } from "../src/estimator/registry.js";
import { MODEL_ESTIMATORS } from "../src/models/index.js";
import { layoutTreeShap, planTreeShap, treeShap, treeShapParallel } from "../src/explain/index.js";
import { gbdtClassifier } from "../src/models/gbdt/index.js";

registerEstimators(MODEL_ESTIMATORS);
const args = process.argv.slice(2);
const runsArg = args.find((a) => a.startsWith("--runs="));
const runs = Math.max(1, Number(runsArg ? runsArg.slice(7) : 3));
const withXgb = !args.includes("--no-xgboost");
const N_TRAIN = 1_000_000;
const N_ROWS = 10_000;
const GOAL_S = 0.5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const all = await loadFlights(N_TRAIN + N_ROWS);
const train = all.slice(0, N_TRAIN);
const rows = all.slice(N_TRAIN, N_TRAIN + N_ROWS);
const model = await gbdtClassifier({ maxIter: 100, maxLeaves: 31, learningRate: 0.1, earlyStopping: false }).fit(train, { target: "delayed" });

let xgb: { fit: number; contribs: number[]; cpu: number[]; version: string; trees: number; leaves: number } | null = null;
if (withXgb) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-shap-bench-"));
  dumpFlights(all, dir);
  const py = `
import json, os, sys, time
import numpy as np, xgboost as xgb
d = sys.argv[1]
cols = [np.fromfile(os.path.join(d, c + ".f64")) for c in ${JSON.stringify(NUMERIC)}]
cols += [np.fromfile(os.path.join(d, c + ".i32"), dtype=np.int32).astype(np.float64) for c in ${JSON.stringify(CATEGORICAL)}]
X = np.column_stack(cols); y = np.fromfile(os.path.join(d, "y.f64"))
dtr = xgb.DMatrix(X[:${N_TRAIN}], label=y[:${N_TRAIN}], nthread=2)
params = {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "lossguide", "max_leaves": 31, "max_depth": 0,
          "eta": 0.1, "max_bin": 255, "min_child_weight": 1e-3, "nthread": 2}
t = time.perf_counter(); b = xgb.train(params, dtr, num_boost_round=100); fit = time.perf_counter() - t
dte = xgb.DMatrix(X[${N_TRAIN}:${N_TRAIN + N_ROWS}], nthread=2)
times = []; cpu = []
for _ in range(${runs}):
    t = time.perf_counter(); u = time.process_time(); c = b.predict(dte, pred_contribs=True); times.append(time.perf_counter() - t); cpu.append(time.process_time() - u)
dump = b.get_dump()
print(json.dumps({"version": xgb.__version__, "fit": fit, "contribs": times, "cpu": cpu, "trees": len(dump), "leaves": sum(s.count("leaf=") for s in dump)}))
`;
  const r = spawnSync("/usr/bin/python3", ["-c", py, dir], { env: { ...process.env, OMP_NUM_THREADS: "2" }, encoding: "utf8", maxBuffer: 1 << 24 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`xgboost failed:\n${r.stderr}`);
  xgb = JSON.parse(r.stdout.trim().split("\n").pop()!);
}

const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const times: number[] = [];
const cpu: number[] = [];
let leaves = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const c = cpuSeconds();
  const view = model.treeView(rows);
  const shap = treeShap(view);
  cpu.push(cpuSeconds() - c);
  times.push((performance.now() - t) / 1000);
  if (i === 0) {
    for (let n = 0; n < view.feature.length; n++) if (view.feature[n] < 0) leaves++;
    console.log(`keel model  ${view.nTrees} trees, ${leaves} leaves; ${shap.nRows.toLocaleString("en-US")} rows × ${view.featureNames.length} features`);
  }
}
const two: number[] = [];
let first = [0, 0];
const twoCpu: number[] = [];
// the first call starts the workers; each pool worker's first share of a call also compiles its
// kernels and builds its tables (a cold worker), so two more warm-up calls come before the timed ones
const WARM_UP = 3;
const warmUp: number[] = [];
for (let i = 0; i < runs + WARM_UP; i++) {
  const t = performance.now();
  const c = cpuSeconds(); // the process's CPU time: both threads
  await treeShapParallel(model, rows, { threads: 2 });
  if (i === 0) first = [(performance.now() - t) / 1000, cpuSeconds() - c];
  if (i < WARM_UP) warmUp.push((performance.now() - t) / 1000);
  else {
    two.push((performance.now() - t) / 1000);
    twoCpu.push(cpuSeconds() - c);
  }
}
// 2 threads, cold plans: a fresh copy of the model (a new identity) per run, every table built in the call
const cold: number[] = [];
const coldCpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const copy = fittedFromArtifact(model.save());
  const t = performance.now();
  const c = cpuSeconds();
  await treeShapParallel(copy, rows, { threads: 2 });
  cold.push((performance.now() - t) / 1000);
  coldCpu.push(cpuSeconds() - c);
}
// planning on the calling thread before any row: all tables (before) or the layout alone (now)
const planAll: number[] = [];
const layoutOnly: number[] = [];
const builtHere: number[] = [];
for (let i = 0; i < runs; i++) {
  const view = model.treeView(rows.slice(0, 0));
  let c = cpuSeconds();
  planTreeShap(view);
  planAll.push(cpuSeconds() - c);
  c = cpuSeconds();
  const plan = layoutTreeShap(view);
  layoutOnly.push(cpuSeconds() - c);
  await treeShapParallel(model, rows, { threads: 2, plan });
  builtHere.push(plan.masked.filter((m) => m).length + plan.tables.filter((t) => t).length);
}
const keel1 = median(times);
const keel2 = median(two);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(", ")} on ${os.cpus().length} cores; ${runs} runs, medians`);
console.log(`keel TreeSHAP 1 thread   ${keel1.toFixed(3)} s  (runs: ${times.map((t) => t.toFixed(3)).join(", ")}; CPU ${median(cpu).toFixed(3)} s)`);
console.log(`keel TreeSHAP 2 threads  ${keel2.toFixed(3)} s  (runs: ${two.map((t) => t.toFixed(3)).join(", ")}; CPU ${median(twoCpu).toFixed(3)} s); goal ≤ ${GOAL_S} s: ${keel2 <= GOAL_S ? "met" : "NOT met"}`);
console.log(`keel TreeSHAP 2 threads, first run (starts the workers)  ${first[0].toFixed(3)} s  (CPU ${first[1].toFixed(3)} s); warm-up calls: ${warmUp.map((t) => t.toFixed(3)).join(", ")} s`);
console.log(`keel TreeSHAP 2 threads, cold plans  ${median(cold).toFixed(3)} s  (runs: ${cold.map((t) => t.toFixed(3)).join(", ")}; CPU ${median(coldCpu).toFixed(3)} s)`);
console.log(`calling thread's planning before the rows: all tables ${median(planAll).toFixed(3)} s CPU (before) → layout ${median(layoutOnly).toFixed(4)} s CPU (now); trees it built during a 2-thread call: ${builtHere.join(", ")} of ${model.treeView(rows.slice(0, 0)).nTrees}`);
if (xgb) {
  const x = median(xgb.contribs);
  console.log(`xgboost ${xgb.version} pred_contribs ${x.toFixed(3)} s  (${xgb.trees} trees, ${xgb.leaves} leaves; runs: ${xgb.contribs.map((t) => t.toFixed(3)).join(", ")}; CPU ${median(xgb.cpu).toFixed(3)} s)`);
  console.log(`ratio keel 2 threads / xgboost ${(keel2 / x).toFixed(2)}×: ${keel2 <= x ? "faster" : "NOT faster"}; keel 1 thread / xgboost ${(keel1 / x).toFixed(2)}×; CPU keel 2 threads / xgboost ${(median(twoCpu) / median(xgb.cpu)).toFixed(2)}×`);
}
