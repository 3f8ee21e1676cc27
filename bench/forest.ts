/**
 * Random forest (issue 5): 100 trees, scikit-learn's defaults (max features "sqrt", fully grown
 * trees, bootstrap), on a synthetic binary task — 100,000 training rows × 20 continuous features
 * (8 informative, 4 linear mixes of them, 8 noise), 20,000 test rows — timed against
 * scikit-learn's RandomForestClassifier(n_jobs=2) on the same rows in the same run (Debian's
 * /usr/bin/python3). Prints fit and predict times, test accuracy and AUC, and the ratios.
 * There is no time goal for forests in the issue; the figure is reported.
 *
 *   node --import tsx bench/forest.ts [threads=2] [--rows=100000] [--trees=100] [--no-sklearn]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Rng } from "../src/core/rng.js";
import { Frame } from "../src/data/frame.js";
import { forestClassifier } from "../src/models/forest/index.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def);
const withSklearn = !args.includes("--no-sklearn");
const threads = Number(args.find((a) => !a.startsWith("--")) ?? 2);
const N_TRAIN = opt("rows", 100_000);
const N_TEST = Math.round(N_TRAIN / 5);
const P = 20;
const TREES = opt("trees", 100);

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

await main();
