/**
 * ROC AUC, average precision and log loss on 1,000,000 rows (issue 4: ROC AUC should take tens
 * of milliseconds). Anchor: scikit-learn 1.2's roc_auc_score on the same kind of data, timed in
 * the same run when /usr/bin/python3 has it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Rng } from "../src/core/rng.js";
import { averagePrecision, logLoss, rocAuc } from "../src/metrics/index.js";

const N = 1_000_000;
const rng = new Rng(1);
const y = new Int32Array(N);
const p = new Float64Array(N);
for (let i = 0; i < N; i++) {
  y[i] = rng.float() < 0.3 ? 1 : 0;
  p[i] = 1 / (1 + Math.exp(-(y[i] * 1.2 + rng.normal() - 0.8)));
}

function time(label: string, f: () => number, reps = 7): number {
  f(); // warm up
  const ms: number[] = [];
  let v = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    v = f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const med = ms[Math.floor(reps / 2)];
  console.log(`${label.padEnd(28)} ${med.toFixed(1).padStart(7)} ms (median of ${reps})  value ${v.toFixed(6)}`);
  return med;
}

const keel = time("keel rocAuc, 1M rows", () => rocAuc(y, p));
time("keel averagePrecision, 1M", () => averagePrecision(y, p));
time("keel logLoss, 1M", () => logLoss(y, p));

if (existsSync("/usr/bin/python3")) {
  const py = `
import time, numpy as np
from sklearn.metrics import roc_auc_score
rs = np.random.RandomState(1)
y = (rs.rand(${N}) < 0.3).astype(int)
p = 1 / (1 + np.exp(-(y * 1.2 + rs.normal(size=${N}) - 0.8)))
roc_auc_score(y, p)
ts = []
for _ in range(5):
    t0 = time.perf_counter(); roc_auc_score(y, p); ts.append(time.perf_counter() - t0)
print(sorted(ts)[2] * 1000)
`;
  const r = spawnSync("/usr/bin/python3", ["-c", py], { encoding: "utf8" });
  const skl = Number(r.stdout.trim());
  if (r.status === 0 && Number.isFinite(skl)) {
    console.log(`${"sklearn roc_auc_score, 1M".padEnd(28)} ${skl.toFixed(1).padStart(7)} ms (median of 5)`);
    console.log(`ratio keel / sklearn: ${(keel / skl).toFixed(2)}`);
  } else console.log("scikit-learn timing unavailable:", r.stderr.trim().split("\n").pop());
}
