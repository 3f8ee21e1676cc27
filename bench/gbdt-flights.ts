/**
 * Histogram gradient boosting on flights (issue 5): features hour, day of week, month, day of
 * month, distance, origin and destination (categorical); target delay > 15 min; train on the
 * first 1,000,000 rows in time order, test on the next 500,000; 100 iterations, 31 leaves,
 * learning rate 0.1, 255 bins, at least 20 rows per leaf, no early stopping, 2 threads.
 * Runs scikit-learn's HistGradientBoostingClassifier with the same settings in the same run, and
 * XGBoost 1.7's `hist` (lossguide, 31 leaves, native categorical splits) — Debian's /usr/bin/python3
 * with python3-sklearn, python3-pandas and python3-xgboost, OMP_NUM_THREADS=2 — and prints all
 * three, with the ratios (issue 18: fit ≤ the faster peer). Keel runs compiled, as users run it
 * (src/ is compiled into dist/ first, see _dist.ts).
 *
 * Anchors (2 cores): scikit-learn 1.2 fit 7.5 s, AUC 0.650, predict 500k rows 2.1 s.
 * Goals: fit ≤ scikit-learn's in the same run, AUC ≥ 0.649, predict 500k ≤ 1.0 s, one row < 20 µs.
 *
 * On a shared machine timings swing with other load: `--runs=N` alternates the two libraries N
 * times and reports medians (and the load average); `--compare-threads` also times a 1-thread fit.
 *
 *   node --import tsx bench/gbdt-flights.ts [threads=2] [--runs=N] [--no-sklearn] [--no-xgboost] [--compare-threads]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CategoricalColumn, NumericColumn } from "../src/data/column.js";
import { CATEGORICAL, NUMERIC, dumpFlights, loadFlights } from "./_flights.js";
import { distModule } from "./_dist.js";

// Keel as users run it: compiled (see _dist.ts)
const { gbdtClassifier } = (await import(distModule("models/gbdt/index.js"))) as typeof import("../src/models/gbdt/index.js");

const args = process.argv.slice(2);
const withSklearn = !args.includes("--no-sklearn");
const withXgboost = !args.includes("--no-xgboost");
const compareThreads = args.includes("--compare-threads");
const runsArg = args.find((a) => a.startsWith("--runs="));
const runs = Math.max(1, Number(runsArg ? runsArg.slice(7) : 1));
const threads = Number(args.find((a) => !a.startsWith("--")) ?? 2);
const ANCHOR = { fit: 7.5, auc: 0.65, predict: 2.1 };
const GOAL = { auc: 0.649, predict: 1.0, rowMicros: 20 };
const N_TRAIN = 1_000_000;
const N_TEST = 500_000;

/** ROC AUC by ranks (Mann–Whitney U), ties averaged. */
function auc(score: Float64Array, y: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) {
      pos++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const neg = n - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const t0 = performance.now();
const all = await loadFlights(N_TRAIN + N_TEST);
const train = all.slice(0, N_TRAIN);
const test = all.slice(N_TRAIN, N_TRAIN + N_TEST);
const yTest = (test.column("delayed") as NumericColumn).values;
console.log(`data        ${all.nRows.toLocaleString("en-US")} rows loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s; train ${train.nRows.toLocaleString("en-US")}, test ${test.nRows.toLocaleString("en-US")}; origin ${(all.column("origin") as CategoricalColumn).categories.length} and destination ${(all.column("destination") as CategoricalColumn).categories.length} categories`);

// ---- scikit-learn, same settings, same data (raw binary files) ----
const dir = mkdtempSync(path.join(os.tmpdir(), "keel-gbdt-bench-"));
dumpFlights(all, dir);
const py = `
import json, os, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
import sklearn
d, lib = sys.argv[1], sys.argv[2]
cols = [np.fromfile(os.path.join(d, c + ".f64")) for c in ${JSON.stringify(NUMERIC)}]
cols += [np.fromfile(os.path.join(d, c + ".i32"), dtype=np.int32).astype(np.float64) for c in ${JSON.stringify(CATEGORICAL)}]
X = np.column_stack(cols)
y = np.fromfile(os.path.join(d, "y.f64")).astype(np.int64)
Xtr, ytr, Xte, yte = X[:${N_TRAIN}], y[:${N_TRAIN}], X[${N_TRAIN}:], y[${N_TRAIN}:]
if lib == "sklearn":
    version = sklearn.__version__
    m = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, learning_rate=0.1, max_bins=255,
        min_samples_leaf=20, early_stopping=False, categorical_features=[5, 6], random_state=0)
else:
    import pandas as pd, xgboost
    version = xgboost.__version__
    names = ${JSON.stringify([...NUMERIC, ...CATEGORICAL])}
    X = pd.DataFrame(X, columns=names)
    for c in ${JSON.stringify(CATEGORICAL)}: X[c] = X[c].astype(np.int32).astype("category")
    Xtr, Xte = X.iloc[:${N_TRAIN}], X.iloc[${N_TRAIN}:]
    m = xgboost.XGBClassifier(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, max_bin=255,
        n_estimators=100, learning_rate=0.1, n_jobs=${threads}, random_state=0, enable_categorical=True, max_cat_to_onehot=1)
t = time.perf_counter(); m.fit(Xtr, ytr); fit = time.perf_counter() - t
t = time.perf_counter(); p = m.predict_proba(Xte)[:, 1]; pred = time.perf_counter() - t
one = Xte[:2000]
t = time.perf_counter()
for i in range(one.shape[0]): m.predict_proba(one[i:i+1])
row = (time.perf_counter() - t) / one.shape[0]
print(json.dumps({"version": version, "fit": fit, "predict": pred, "auc": roc_auc_score(yte, p), "row": row}))
`;
type SkResult = { version: string; fit: number; predict: number; auc: number; row: number };
const runPeer = (lib: "sklearn" | "xgboost"): SkResult | null => {
  if (lib === "sklearn" ? !withSklearn : !withXgboost) return null;
  const r = spawnSync("/usr/bin/python3", ["-c", py, dir, lib], { env: { ...process.env, OMP_NUM_THREADS: String(threads) }, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status === 0) return JSON.parse(r.stdout.trim().split("\n").pop()!) as SkResult;
  console.log(`${lib}  not run: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
  return null;
};

// ---- Keel ----
const spec = gbdtClassifier({ maxIter: 100, maxLeaves: 31, learningRate: 0.1, maxBins: 255, minSamplesLeaf: 20, earlyStopping: false });
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fits: number[] = [];
const preds: number[] = [];
const skRuns: SkResult[] = [];
const xgRuns: SkResult[] = [];
let model = null as Awaited<ReturnType<typeof spec.fit>> | null;
const load0 = os.loadavg()[0];
for (let run = 0; run < runs; run++) {
  const sk = runPeer("sklearn");
  if (sk) skRuns.push(sk);
  const xg = runPeer("xgboost");
  if (xg) xgRuns.push(xg);
  const t = performance.now();
  model = await spec.fit(train, { target: "delayed", threads });
  fits.push((performance.now() - t) / 1000);
  const t2 = performance.now();
  model.predictProba(test);
  preds.push((performance.now() - t2) / 1000);
  if (runs > 1) console.log(`run ${run + 1}       keel fit ${fits[run].toFixed(2)} s, predict ${preds[run].toFixed(2)} s${sk ? `;  sklearn fit ${sk.fit.toFixed(2)} s, predict ${sk.predict.toFixed(2)} s;  fit ratio ${(fits[run] / sk.fit).toFixed(2)}` : ""}`);
}
rmSync(dir, { recursive: true, force: true });
const fitS = median(fits);
const predS = median(preds);
const summary = (xs: SkResult[]): SkResult | null => (xs.length > 0 ? { version: xs[0].version, fit: median(xs.map((x) => x.fit)), predict: median(xs.map((x) => x.predict)), auc: xs[0].auc, row: median(xs.map((x) => x.row)) } : null);
const sk = summary(skRuns);
const xg = summary(xgRuns);
const proba = model!.predictProba(test);
const p1 = new Float64Array(test.nRows);
for (let i = 0; i < test.nRows; i++) p1[i] = proba[2 * i + 1];
const keelAuc = auc(p1, yTest);
const rows = test.head(20_000).drop(["delayed"]).toRows();
for (let i = 0; i < 2000; i++) model!.predictProbaRow(rows[i]); // warm up
let t = performance.now();
let sink = 0;
for (let rep = 0; rep < 5; rep++) for (const row of rows) sink += model!.predictProbaRow(row)[1];
const rowMicros = ((performance.now() - t) * 1000) / (5 * rows.length);
if (!(sink > 0)) console.log("(sink)", sink);
let fit1: number | null = null;
if (compareThreads) {
  t = performance.now();
  await spec.fit(train, { target: "delayed", threads: 1 });
  fit1 = (performance.now() - t) / 1000;
}

// ---- report ----
const f = (x: number, d = 2) => x.toFixed(d);
const med = runs > 1 ? ` (median of ${runs})` : "";
console.log(`load        1-min load average ${load0.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after, on ${os.availableParallelism()} cores`);
console.log(`keel        fit ${f(fitS)} s   predict 500k ${f(predS)} s${med}   AUC ${f(keelAuc, 4)}   one row ${f(rowMicros, 1)} µs   (${model!.nIterations} iterations, ${threads} threads)`);
if (fit1 !== null) console.log(`threads     keel fit with 1 thread ${f(fit1)} s → ${threads} threads are ${f(fit1 / fitS)}× faster`);
if (sk) {
  console.log(`sklearn ${sk.version}  fit ${f(sk.fit)} s   predict 500k ${f(sk.predict)} s${med}   AUC ${f(sk.auc, 4)}   one row ${f(sk.row * 1e6, 0)} µs`);
  console.log(`ratio       fit keel/sklearn ${f(fitS / sk.fit)} (goal ≤ 1.00)   predict keel/sklearn ${f(predS / sk.predict)}   AUC keel−sklearn ${f(keelAuc - sk.auc, 4)}`);
}
if (xg) console.log(`xgboost ${xg.version}  fit ${f(xg.fit)} s   predict 500k ${f(xg.predict)} s${med}   AUC ${f(xg.auc, 4)}   fit keel/xgboost ${f(fitS / xg.fit)}`);
const fastest = Math.min(sk?.fit ?? Infinity, xg?.fit ?? Infinity);
if (Number.isFinite(fastest)) console.log(`fastest     peer fit ${f(fastest)} s → keel/fastest ${f(fitS / fastest)} (goal ≤ 1.00: ${fitS <= fastest ? "met" : "NOT met"})`);
console.log(`anchors     sklearn fit ${ANCHOR.fit} s → keel ${f(fitS / ANCHOR.fit)}×;  predict ${ANCHOR.predict} s → keel ${f(predS / ANCHOR.predict)}×;  AUC ${ANCHOR.auc}`);
console.log(
  `goals       fit ≤ sklearn: ${sk ? (fitS <= sk.fit ? "met" : "NOT met") : "n/a"};  AUC ≥ ${GOAL.auc}: ${keelAuc >= GOAL.auc ? "met" : "NOT met"};  predict ≤ ${GOAL.predict} s: ${predS <= GOAL.predict ? "met" : "NOT met"};  one row < ${GOAL.rowMicros} µs: ${rowMicros < GOAL.rowMicros ? "met" : "NOT met"}`,
);
