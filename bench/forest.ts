/**
 * Random forest (issue 5): 100 trees, scikit-learn's defaults (max features "sqrt", fully grown
 * trees, bootstrap), on a synthetic binary task — 100,000 training rows × 20 continuous features
 * (8 informative, 4 linear mixes of them, 8 noise), 20,000 test rows — timed against
 * scikit-learn's RandomForestClassifier(n_jobs=2) on the same rows in the same run (Debian's
 * /usr/bin/python3). Prints fit and predict times, test accuracy and AUC, and the ratios.
 * There is no time goal for forests in the issue; the figure is reported.
 *
 * Regression (issue 18): 43,000 training rows like a tabular price set — 6 numeric features rounded
 * to two decimals (many ties) and 3 categorical columns one-hot encoded (5 + 7 + 8 = 20 binary
 * columns), a continuous target — and 10,000 test rows: one fully grown regression tree and a
 * 100-tree forest (squared error), against scikit-learn's DecisionTreeRegressor and
 * RandomForestRegressor(n_jobs=2) in the same run, with wall-clock and CPU time (all threads).
 * Goal: fit ≤ 1.0× scikit-learn's, R² equal.
 *
 * Wide one-hot regression (issue 18): 2,988 training rows × 2,221 columns — 21 numeric and 8
 * categorical columns of 1,000, 600, 300, 150, 80, 40, 20 and 10 levels (Zipf-like frequencies)
 * one-hot encoded — and 750 test rows: a 100-tree forest (squared error) against scikit-learn's
 * RandomForestRegressor in the same run, wall-clock and CPU time.
 *
 *   node --import tsx bench/forest.ts [threads=2] [--rows=100000] [--trees=100] [--no-sklearn]
 *        [--task=classification|regression|wide|both|all]  (both: classification and regression)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Rng } from "../src/core/rng.js";
import { Frame } from "../src/data/frame.js";
import { forestClassifier, forestRegressor } from "../src/models/forest/index.js";
import { treeRegressor } from "../src/models/tree/index.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def);
const withSklearn = !args.includes("--no-sklearn");
const threads = Number(args.find((a) => !a.startsWith("--")) ?? 2);
const N_TRAIN = opt("rows", 100_000);
const N_TEST = Math.round(N_TRAIN / 5);
const P = 20;
const TREES = opt("trees", 100);
const TASK = args.find((a) => a.startsWith("--task="))?.split("=")[1] ?? "both";

/** Column-major features and 0/1 labels; rows [0, N_TRAIN) train, the rest test. */
function makeData(n: number): { X: Float64Array[]; y: Uint8Array } {
  const rng = new Rng(42);
  const X = Array.from({ length: P }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) X[j][i] = rng.normal();
    for (let j = 8; j < 12; j++) X[j][i] = 0.5 * X[j - 8][i] - 0.7 * X[j - 4][i] + 0.1 * rng.normal();
    for (let j = 12; j < P; j++) X[j][i] = rng.normal();
    const z = X[0][i] * X[1][i] + Math.sin(2 * X[2][i]) + 0.8 * X[3][i] - 0.6 * Math.abs(X[4][i]) + 0.5 * X[5][i] * (X[6][i] > 0 ? 1 : -1) + 0.3 * X[7][i];
    y[i] = z + 0.5 * rng.normal() > 0.2 ? 1 : 0;
  }
  return { X, y };
}

function auc(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) {
      rankSum += r;
      pos++;
    }
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * (n - pos));
}

const SKLEARN = `
import json, sys, time, numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
d, n_train, p, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(d + "/X.f64", dtype=np.float64).reshape(p, -1).T.copy()
y = np.fromfile(d + "/y.u8", dtype=np.uint8)
t = time.perf_counter(); m = RandomForestClassifier(n_estimators=trees, n_jobs=2, random_state=0).fit(X[:n_train], y[:n_train]); fit = time.perf_counter() - t
t = time.perf_counter(); pr = m.predict_proba(X[n_train:])[:, 1]; pred = time.perf_counter() - t
nodes = sum(e.tree_.node_count for e in m.estimators_)
print(json.dumps({"fit": fit, "predict": pred, "auc": roc_auc_score(y[n_train:], pr), "accuracy": float(((pr > 0.5) == (y[n_train:] == 1)).mean()), "nodes": int(nodes)}))
`;

async function main(): Promise<void> {
  const n = N_TRAIN + N_TEST;
  const { X, y } = makeData(n);
  const cols: Record<string, Float64Array | string[]> = {};
  for (let j = 0; j < P; j++) cols[`f${j}`] = X[j];
  const all = Frame.fromColumns({ ...cols, label: Array.from(y, (v) => (v ? "1" : "0")) });
  const train = all.slice(0, N_TRAIN);
  const test = all.slice(N_TRAIN).drop(["label"]);
  const yTest = y.subarray(N_TRAIN);

  console.log(`random forest: ${TREES} trees, ${N_TRAIN.toLocaleString("en")} train × ${P} features, ${N_TEST.toLocaleString("en")} test rows, ${threads} threads`);
  let t = performance.now();
  const model = await forestClassifier({ nEstimators: TREES, seed: 0 }).fit(train, { target: "label", threads });
  const fit = (performance.now() - t) / 1000;
  t = performance.now();
  const proba = model.predictProba(test);
  const predict = (performance.now() - t) / 1000;
  const p1 = Float64Array.from({ length: N_TEST }, (_, i) => proba[2 * i + 1]);
  let right = 0;
  for (let i = 0; i < N_TEST; i++) if ((p1[i] > 0.5 ? 1 : 0) === yTest[i]) right++;
  const keel = { fit, predict, auc: auc(p1, yTest), accuracy: right / N_TEST, nodes: model.trees.nodeCount };
  console.log(`Keel         fit ${keel.fit.toFixed(2)} s  predict ${keel.predict.toFixed(2)} s  AUC ${keel.auc.toFixed(4)}  accuracy ${keel.accuracy.toFixed(4)}  nodes ${keel.nodes.toLocaleString("en")}`);

  if (!withSklearn) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bench-forest-"));
  try {
    const flat = new Float64Array(P * n);
    for (let j = 0; j < P; j++) flat.set(X[j], j * n);
    writeFileSync(path.join(dir, "X.f64"), new Uint8Array(flat.buffer));
    writeFileSync(path.join(dir, "y.u8"), y);
    const r = spawnSync("/usr/bin/python3", ["-c", SKLEARN, dir, String(N_TRAIN), String(P), String(TREES)], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "2" } });
    if (r.status !== 0) {
      console.log(`scikit-learn did not run: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
      return;
    }
    const sk = JSON.parse(r.stdout.trim().split("\n").pop()!) as typeof keel;
    console.log(`scikit-learn fit ${sk.fit.toFixed(2)} s  predict ${sk.predict.toFixed(2)} s  AUC ${sk.auc.toFixed(4)}  accuracy ${sk.accuracy.toFixed(4)}  nodes ${sk.nodes.toLocaleString("en")}`);
    console.log(`ratio Keel / scikit-learn: fit ${(keel.fit / sk.fit).toFixed(2)}  predict ${(keel.predict / sk.predict).toFixed(2)}  (AUC ${(keel.auc - sk.auc >= 0 ? "+" : "")}${(keel.auc - sk.auc).toFixed(4)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const REG_TRAIN = 43_000;
const REG_TEST = 10_000;
const REG_LEVELS = [5, 7, 8];

/** The regression rows: column-major features (6 numeric, then the one-hot columns) and targets. */
function makeRegression(n: number): { names: string[]; X: Float64Array[]; y: Float64Array } {
  const rng = new Rng(43);
  const num = Array.from({ length: 6 }, () => new Float64Array(n));
  const cats = REG_LEVELS.map(() => new Int32Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const col of num) col[i] = Math.round(rng.normal() * 100) / 100;
    REG_LEVELS.forEach((L, c) => (cats[c][i] = rng.int(L)));
    const x = (j: number) => num[j][i];
    y[i] = 2 * x(0) + Math.sin(2 * x(1)) + 0.5 * x(2) * x(3) + 0.3 * Math.abs(x(4)) + 0.3 * cats[0][i] - 0.2 * cats[1][i] + 0.1 * cats[2][i] + 0.3 * rng.normal();
  }
  const names = num.map((_, j) => `x${j}`);
  const X = [...num];
  REG_LEVELS.forEach((L, c) => {
    for (let l = 0; l < L; l++) {
      names.push(`c${c}_${l}`);
      X.push(Float64Array.from(cats[c], (v) => (v === l ? 1 : 0)));
    }
  });
  return { names, X, y };
}

const WIDE_TRAIN = 2_988;
const WIDE_TEST = 750;
const WIDE_NUMERIC = 21;
const WIDE_LEVELS = [1000, 600, 300, 150, 80, 40, 20, 10];

/** The wide rows: 21 numeric columns, then the one-hot columns of 8 categoricals (2,200 in all), and targets. */
function makeWide(n: number): { names: string[]; X: Float64Array[]; y: Float64Array } {
  const rng = new Rng(44);
  const num = Array.from({ length: WIDE_NUMERIC }, () => new Float64Array(n));
  const cats = WIDE_LEVELS.map(() => new Int32Array(n));
  // per categorical: a Zipf-like level distribution (weight 1/(l+1)) and a random effect per level
  const effects = WIDE_LEVELS.map((L) => Float64Array.from({ length: L }, () => rng.normal()));
  const cdfs = WIDE_LEVELS.map((L) => {
    const c = new Float64Array(L);
    let acc = 0;
    for (let l = 0; l < L; l++) c[l] = acc += 1 / (l + 1);
    return c.map((v) => v / acc);
  });
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const col of num) col[i] = rng.normal();
    let t = 1.5 * num[0][i] + Math.sin(2 * num[1][i]) + 0.5 * num[2][i] * num[3][i];
    WIDE_LEVELS.forEach((L, c) => {
      const u = rng.float();
      let l = 0;
      while (l < L - 1 && cdfs[c][l] < u) l++;
      cats[c][i] = l;
      t += (0.6 / (c + 1)) * effects[c][l];
    });
    y[i] = t + 0.3 * rng.normal();
  }
  const names = num.map((_, j) => `x${j}`);
  const X: Float64Array[] = [...num];
  WIDE_LEVELS.forEach((L, c) => {
    for (let l = 0; l < L; l++) {
      names.push(`c${c}_${l}`);
      X.push(Float64Array.from(cats[c], (v) => (v === l ? 1 : 0)));
    }
  });
  return { names, X, y };
}

const SKLEARN_WIDE = `
import json, sys, time, numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
d, n_train, p, trees, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(d + "/X.f64", dtype=np.float64).reshape(p, -1).T.copy()
y = np.fromfile(d + "/y.f64", dtype=np.float64)
m = RandomForestRegressor(n_estimators=trees, n_jobs=threads, random_state=0)
c = time.process_time(); t = time.perf_counter(); m.fit(X[:n_train], y[:n_train]); fit = time.perf_counter() - t; cpu = time.process_time() - c
t = time.perf_counter(); pr = m.predict(X[n_train:]); pred = time.perf_counter() - t
print(json.dumps({"fit": fit, "cpu": cpu, "predict": pred, "r2": r2_score(y[n_train:], pr)}))
`;

/** R² of predictions against targets. */
function rSquared(yTest: Float64Array, pred: Float64Array): number {
  let mean = 0;
  for (const v of yTest) mean += v / yTest.length;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < yTest.length; i++) {
    ssr += (yTest[i] - pred[i]) ** 2;
    sst += (yTest[i] - mean) ** 2;
  }
  return 1 - ssr / sst;
}

/**
 * Run a scikit-learn script on the columns `X` and target `y`, written as float64 files to a temp
 * folder (argv: folder, train rows, columns, trees, threads); its last stdout line parsed as JSON,
 * or null (with the reason printed) when it did not run.
 */
function runSklearn<T>(script: string, tag: string, X: Float64Array[], y: Float64Array, train: number): T | null {
  const n = y.length;
  const dir = mkdtempSync(path.join(os.tmpdir(), `keel-bench-forest-${tag}-`));
  try {
    const flat = new Float64Array(X.length * n);
    X.forEach((col, j) => flat.set(col, j * n));
    writeFileSync(path.join(dir, "X.f64"), new Uint8Array(flat.buffer));
    writeFileSync(path.join(dir, "y.f64"), new Uint8Array(y.buffer));
    const r = spawnSync("/usr/bin/python3", ["-c", script, dir, String(train), String(X.length), String(TREES), String(threads)], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
    if (r.status !== 0) {
      console.log(`scikit-learn did not run: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
      return null;
    }
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function wide(): Promise<void> {
  const n = WIDE_TRAIN + WIDE_TEST;
  const { names, X, y } = makeWide(n);
  const cols: Record<string, Float64Array> = {};
  names.forEach((nm, j) => (cols[nm] = X[j]));
  const all = Frame.fromColumns({ ...cols, y });
  const train = all.slice(0, WIDE_TRAIN);
  const test = all.slice(WIDE_TRAIN).drop(["y"]);
  console.log(`\nwide one-hot regression: ${WIDE_TRAIN.toLocaleString("en")} train × ${names.length.toLocaleString("en")} columns (${WIDE_NUMERIC} numeric, ${names.length - WIDE_NUMERIC} one-hot), ${WIDE_TEST} test rows, ${TREES} trees, ${threads} threads; load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`);
  const c = process.cpuUsage();
  let t = performance.now();
  const model = await forestRegressor({ nEstimators: TREES, seed: 0 }).fit(train, { target: "y", threads });
  const fit = (performance.now() - t) / 1000;
  const cu = process.cpuUsage(c);
  t = performance.now();
  const pred = model.predict(test) as Float64Array;
  const keel = { fit, cpu: (cu.user + cu.system) / 1e6, predict: (performance.now() - t) / 1000, r2: rSquared(y.subarray(WIDE_TRAIN), pred) };
  console.log(`Keel forest         fit ${keel.fit.toFixed(2)} s (cpu ${keel.cpu.toFixed(2)} s)  predict ${keel.predict.toFixed(2)} s  R² ${keel.r2.toFixed(4)}`);
  if (!withSklearn) return;
  const sk = runSklearn<typeof keel>(SKLEARN_WIDE, "wide", X, y, WIDE_TRAIN);
  if (!sk) return;
  console.log(`scikit-learn forest fit ${sk.fit.toFixed(2)} s (cpu ${sk.cpu.toFixed(2)} s)  predict ${sk.predict.toFixed(2)} s  R² ${sk.r2.toFixed(4)}   Keel/scikit-learn fit ${(keel.fit / sk.fit).toFixed(2)}, cpu ${(keel.cpu / sk.cpu).toFixed(2)} (goal ≤ 1.00)`);
}

const SKLEARN_REG = `
import json, sys, time, numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.tree import DecisionTreeRegressor
from sklearn.metrics import r2_score
d, n_train, p, trees, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(d + "/X.f64", dtype=np.float64).reshape(p, -1).T.copy()
y = np.fromfile(d + "/y.f64", dtype=np.float64)
Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
out = {}
for name, m in [("tree", DecisionTreeRegressor(random_state=0)), ("forest", RandomForestRegressor(n_estimators=trees, n_jobs=threads, random_state=0))]:
    c = time.process_time(); t = time.perf_counter(); m.fit(Xtr, ytr); fit = time.perf_counter() - t; cpu = time.process_time() - c
    t = time.perf_counter(); pr = m.predict(Xte); pred = time.perf_counter() - t
    out[name] = {"fit": fit, "cpu": cpu, "predict": pred, "r2": r2_score(yte, pr)}
print(json.dumps(out))
`;

async function regression(): Promise<void> {
  const n = REG_TRAIN + REG_TEST;
  const { names, X, y } = makeRegression(n);
  const cols: Record<string, Float64Array> = {};
  names.forEach((nm, j) => (cols[nm] = X[j]));
  const all = Frame.fromColumns({ ...cols, y });
  const train = all.slice(0, REG_TRAIN);
  const test = all.slice(REG_TRAIN).drop(["y"]);
  const yTest = y.subarray(REG_TRAIN);
  const r2 = (pred: Float64Array) => {
    let mean = 0;
    for (const v of yTest) mean += v / yTest.length;
    let ssr = 0;
    let sst = 0;
    for (let i = 0; i < yTest.length; i++) {
      ssr += (yTest[i] - pred[i]) ** 2;
      sst += (yTest[i] - mean) ** 2;
    }
    return 1 - ssr / sst;
  };
  console.log(`\nregression: ${REG_TRAIN.toLocaleString("en")} train × ${names.length} features (6 numeric with ties, 20 one-hot), ${REG_TEST.toLocaleString("en")} test rows, ${threads} threads; load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`);
  const keel: Record<string, { fit: number; cpu: number; predict: number; r2: number }> = {};
  for (const [name, spec, opts] of [
    ["tree", treeRegressor({ seed: 0 }), {}],
    ["forest", forestRegressor({ nEstimators: TREES, seed: 0 }), { threads }],
  ] as const) {
    const c = process.cpuUsage();
    let t = performance.now();
    const model = await spec.fit(train, { target: "y", ...opts });
    const fit = (performance.now() - t) / 1000;
    const cu = process.cpuUsage(c);
    t = performance.now();
    const pred = model.predict(test) as Float64Array;
    const predict = (performance.now() - t) / 1000;
    keel[name] = { fit, cpu: (cu.user + cu.system) / 1e6, predict, r2: r2(pred) };
    console.log(`Keel ${name.padEnd(7)}      fit ${fit.toFixed(2)} s (cpu ${keel[name].cpu.toFixed(2)} s)  predict ${predict.toFixed(2)} s  R² ${keel[name].r2.toFixed(4)}`);
  }
  if (!withSklearn) return;
  const sk = runSklearn<typeof keel>(SKLEARN_REG, "reg", X, y, REG_TRAIN);
  if (!sk) return;
  for (const name of ["tree", "forest"]) {
    const s = sk[name];
    const k = keel[name];
    console.log(`scikit-learn ${name.padEnd(7)} fit ${s.fit.toFixed(2)} s (cpu ${s.cpu.toFixed(2)} s)  predict ${s.predict.toFixed(2)} s  R² ${s.r2.toFixed(4)}   Keel/scikit-learn fit ${(k.fit / s.fit).toFixed(2)}, cpu ${(k.cpu / s.cpu).toFixed(2)} (goal ≤ 1.00)`);
  }
}

if (TASK === "classification" || TASK === "both" || TASK === "all") await main();
if (TASK === "regression" || TASK === "both" || TASK === "all") await regression();
if (TASK === "wide" || TASK === "all") await wide();
