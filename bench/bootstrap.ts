/**
 * Bootstrap intervals of a test set's metrics, as `keel run` computes them: 1,000 resamples of
 * 2,000 rows, every default binary metric on each (percentile), and BCa for accuracy alone (its
 * jackknife costs one evaluation per row). Anchor: SciPy 1.10's `stats.bootstrap` of the mean of
 * the same number of 0/1 outcomes, percentile and BCa, timed in the same run when
 * /usr/bin/python3 has it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Rng } from "../src/core/rng.js";
import { bootstrapInterval, bootstrapIntervals } from "../src/evaluate/bootstrap.js";
import { scorePredictions } from "../src/evaluate/score.js";
import { defaultMetrics } from "../src/metrics/index.js";

const N = 2000;
const ROUNDS = 1000;
const rng = new Rng(1);
const yTrue = new Int32Array(N);
const scores = new Float64Array(N);
const labels = new Int32Array(N);
for (let i = 0; i < N; i++) {
  yTrue[i] = rng.float() < 0.3 ? 1 : 0;
  scores[i] = 1 / (1 + Math.exp(-(yTrue[i] * 2 + rng.normal() - 1)));
  labels[i] = scores[i] > 0.5 ? 1 : 0;
}
const p = { yTrue, scores, labels };
const metrics = defaultMetrics("binary");

function time(label: string, f: () => unknown): number {
  f();
  const ms: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} ${ms[1].toFixed(0).padStart(7)} ms (median of 3)`);
  return ms[1];
}

time(`all ${metrics.length} binary metrics, percentile, ${ROUNDS} × ${N} rows`, () => bootstrapIntervals(N, (rows) => scorePredictions(p, metrics, rows).metrics, { rounds: ROUNDS, rng: new Rng(2) }));
const right = Float64Array.from(labels, (l, i) => (l === yTrue[i] ? 1 : 0));
const acc = (rows: Int32Array) => {
  let s = 0;
  for (let t = 0; t < rows.length; t++) s += right[rows[t]];
  return s / rows.length;
};
const keelPct = time(`accuracy, percentile, ${ROUNDS} × ${N} rows`, () => bootstrapInterval(N, acc, { rounds: ROUNDS, rng: new Rng(3) }));
const keelBca = time(`accuracy, BCa (jackknife of ${N}), ${ROUNDS} × ${N} rows`, () => bootstrapInterval(N, acc, { rounds: ROUNDS, rng: new Rng(3), method: "bca" }));

if (existsSync("/usr/bin/python3")) {
  const py = `
import time, numpy as np
from scipy import stats
rs = np.random.RandomState(1)
x = (rs.rand(${N}) < 0.85).astype(float)
for method in ["percentile", "BCa"]:
    ts = []
    for _ in range(3):
        t0 = time.perf_counter(); stats.bootstrap((x,), np.mean, n_resamples=${ROUNDS}, method=method, random_state=rs); ts.append(time.perf_counter() - t0)
    print(sorted(ts)[1] * 1000)`;
  const r = spawnSync("/usr/bin/python3", ["-c", py], { encoding: "utf8" });
  const [pct, bca] = r.stdout.trim().split("\n").map(Number);
  if (Number.isFinite(pct) && Number.isFinite(bca)) {
    console.log(`${"scipy stats.bootstrap mean, percentile".padEnd(52)} ${pct.toFixed(0).padStart(7)} ms   keel/scipy ${(keelPct / pct).toFixed(2)}`);
    console.log(`${"scipy stats.bootstrap mean, BCa".padEnd(52)} ${bca.toFixed(0).padStart(7)} ms   keel/scipy ${(keelBca / bca).toFixed(2)}`);
  } else console.log(`scipy anchor unavailable: ${r.stderr.trim().split("\n").pop()}`);
}
