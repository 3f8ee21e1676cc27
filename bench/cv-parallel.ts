/**
 * crossValidate: 5 folds of logistic regression (L2, lbfgs) on 1,000,000 × 10 dense rows, in
 * process (threads: 1), on worker threads (threads: 2) and in automatic mode (threads unset: the
 * first fold in process, the rest on workers if it was slow). Measured on the compiled JavaScript
 * in dist/ (built first), as the `keel` command runs: from TypeScript sources every worker would
 * also pay tsx's start-up, seconds that users never see. Anchor: scikit-learn 1.2's
 * cross_validate(LogisticRegression(), cv=5) with n_jobs 1 and 2 on data of the same shape,
 * timed in the same run when /usr/bin/python3 has it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const build = spawnSync("npm", ["run", "build"], { cwd: new URL("..", import.meta.url), encoding: "utf8" });
if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
const dist = (module: string) => new URL(`../dist/${module}`, import.meta.url).href;
const { Rng } = (await import(dist("core/rng.js"))) as typeof import("../src/core/rng.js");
const { categoricalFromValues, numeric } = (await import(dist("data/column.js"))) as typeof import("../src/data/column.js");
const { Frame } = (await import(dist("data/frame.js"))) as typeof import("../src/data/frame.js");
const { crossValidate } = (await import(dist("evaluate/cv/index.js"))) as typeof import("../src/evaluate/cv/index.js");
const { logistic } = (await import(dist("models/index.js"))) as typeof import("../src/models/index.js");

const N = 1_000_000;
const P = 10;
const rng = new Rng(1);
const cols: Record<string, unknown> = {};
const xs: Float64Array[] = [];
for (let j = 0; j < P; j++) {
  const x = new Float64Array(N);
  for (let i = 0; i < N; i++) x[i] = rng.normal();
  xs.push(x);
  cols[`x${j}`] = numeric(x);
}
const labels: string[] = [];
for (let i = 0; i < N; i++) {
  let z = -0.5;
  for (let j = 0; j < P; j++) z += (j % 3 === 0 ? 0.8 : -0.3) * xs[j][i];
  labels.push(rng.float() < 1 / (1 + Math.exp(-z)) ? "yes" : "no");
}
cols.y = categoricalFromValues(labels);
const frame = Frame.fromColumns(cols as never);

const times: Record<string, number> = {};
for (const threads of [1, 2, undefined]) {
  const t0 = performance.now();
  const r = await crossValidate(logistic(), frame, { target: "y", cv: 5, metrics: ["roc_auc", "log_loss"], threads });
  const key = String(threads ?? "auto");
  times[key] = (performance.now() - t0) / 1000;
  console.log(`keel crossValidate, threads ${key}: ${times[key].toFixed(2)} s  (roc_auc ${r.mean.roc_auc.toFixed(4)} ± ${r.std.roc_auc.toFixed(4)}, mean fit ${r.fitSeconds.mean.toFixed(2)} s)`);
}
console.log(`speed-up with 2 threads: ${(times["1"] / times["2"]).toFixed(2)}×, automatic: ${(times["1"] / times.auto).toFixed(2)}×`);

if (existsSync("/usr/bin/python3")) {
  const py = `
import time, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
rs = np.random.RandomState(1)
X = rs.normal(size=(${N}, ${P}))
w = np.array([0.8 if j % 3 == 0 else -0.3 for j in range(${P})])
y = (rs.rand(${N}) < 1 / (1 + np.exp(-(X @ w - 0.5)))).astype(int)
for jobs in (1, 2):
    t0 = time.perf_counter()
    r = cross_validate(LogisticRegression(), X, y, cv=5, scoring=["roc_auc", "neg_log_loss"], n_jobs=jobs)
    print(jobs, time.perf_counter() - t0, r["test_roc_auc"].mean())
`;
  const out = spawnSync("/usr/bin/python3", ["-c", py], { encoding: "utf8" });
  if (out.status === 0) {
    for (const line of out.stdout.trim().split("\n")) {
      const [jobs, secs, a] = line.split(" ").map(Number);
      console.log(`sklearn cross_validate, n_jobs ${jobs}: ${secs.toFixed(2)} s  (roc_auc ${a.toFixed(4)})  ratio keel/sklearn ${(times[String(jobs)] / secs).toFixed(2)}`);
    }
  } else console.log("scikit-learn timing unavailable:", out.stderr.trim().split("\n").pop());
}
