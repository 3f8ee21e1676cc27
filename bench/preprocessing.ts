/**
 * Preprocessing throughput: Keel's features/ against scikit-learn 1.2 on the same kind of data
 * (1,000,000 rows: 8 numeric columns with 5% missing, 2 categorical columns of 50 Zipf-distributed
 * levels with 2% missing, 1 datetime column), timed in the same run when /usr/bin/python3 has
 * scikit-learn. Each side generates its own data from the same distributions. Figures: fit and
 * transform seconds per transformer, and the Keel / scikit-learn ratio (< 1: Keel is faster).
 *
 *   node --import tsx bench/preprocessing.ts [rows]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Rng } from "../src/core/rng.js";
import type { Column } from "../src/data/column.js";
import { Frame } from "../src/data/frame.js";
import type { Spec, Transformer } from "../src/estimator/types.js";
import { defaultPreprocessing, oneHot, simpleImputer, standardScaler } from "../src/features/index.js";

const N = Number(process.argv[2] ?? 1_000_000);
const LEVELS = 50;

function makeFrame(n: number): Frame {
  const rng = new Rng(1);
  const cols = new Map<string, Column>();
  for (let j = 0; j < 8; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.float() < 0.05 ? NaN : rng.normal() * (j + 1) + j;
    cols.set(`x${j}`, { kind: "numeric", values: v });
  }
  const weights = Array.from({ length: LEVELS }, (_, k) => 1 / (k + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf = weights.map((_, k) => weights.slice(0, k + 1).reduce((a, b) => a + b, 0) / total);
  const categories = Array.from({ length: LEVELS }, (_, k) => `L${String(k).padStart(2, "0")}`);
  for (const name of ["c0", "c1"]) {
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (rng.float() < 0.02) codes[i] = -1;
      else {
        const u = rng.float();
        let k = 0;
        while (k < LEVELS - 1 && cdf[k] < u) k++;
        codes[i] = k;
      }
    }
    cols.set(name, { kind: "categorical", codes, categories });
  }
  const when = new Float64Array(n);
  const t0 = Date.UTC(2000, 0, 1);
  for (let i = 0; i < n; i++) when[i] = t0 + Math.floor(rng.float() * 25 * 365.25 * 86_400_000);
  cols.set("when", { kind: "datetime", values: when });
  return Frame.fromColumns(cols, n);
}

async function time(spec: Spec, data: Frame): Promise<{ fit: number; transform: number }> {
  const t0 = performance.now();
  const f = (await spec.fit(data)) as Transformer;
  const t1 = performance.now();
  f.transform(data);
  const t2 = performance.now();
  return { fit: (t1 - t0) / 1000, transform: (t2 - t1) / 1000 };
}

const PY = String.raw`
import json, sys, time
import numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
n = int(sys.argv[1]); L = 50
rng = np.random.default_rng(1)
df = pd.DataFrame({f"x{j}": np.where(rng.random(n) < 0.05, np.nan, rng.normal(size=n) * (j + 1) + j) for j in range(8)})
p = 1 / np.arange(1, L + 1) ** 1.1; p /= p.sum()
levels = np.array([f"L{k:02d}" for k in range(L)], dtype=object)
for c in ["c0", "c1"]:
    v = levels[rng.choice(L, size=n, p=p)]
    v[rng.random(n) < 0.02] = None
    df[c] = v
df["when"] = pd.to_datetime(pd.Timestamp("2000-01-01").value // 10**6 + (rng.random(n) * 25 * 365.25 * 86400000).astype(np.int64), unit="ms")
num = [f"x{j}" for j in range(8)]
def parts(x):
    t = pd.DataFrame(x).iloc[:, 0]
    d = t.dt.dayofweek
    return np.column_stack([t.dt.year, t.dt.month, t.dt.day, d, t.dt.dayofyear, t.dt.hour, t.dt.minute, (d >= 5)]).astype(float)
def run(est, X):
    t0 = time.perf_counter(); est.fit(X); t1 = time.perf_counter(); est.transform(X); t2 = time.perf_counter()
    return {"fit": t1 - t0, "transform": t2 - t1}
out = {
  "standard-scaler": run(StandardScaler(), df[num]),
  "simple-imputer median": run(SimpleImputer(strategy="median"), df[num]),
  "one-hot": run(OneHotEncoder(handle_unknown="ignore", sparse_output=False), df[["c0", "c1"]]),
  "default preprocessing": run(ColumnTransformer([
      ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
      ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")), ("oh", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5, max_categories=30, sparse_output=False))]), ["c0", "c1"]),
      ("date", Pipeline([("parts", FunctionTransformer(parts)), ("imp", SimpleImputer(strategy="median"))]), ["when"]),
  ], sparse_threshold=0), df),
}
print(json.dumps(out))
`;

async function main(): Promise<void> {
  console.log(`rows: ${N.toLocaleString("en")}`);
  const data = makeFrame(N);
  const numeric = data.namesOfKind("numeric");
  const keel: Record<string, { fit: number; transform: number }> = {
    "standard-scaler": await time(standardScaler(), data.select(numeric)),
    "simple-imputer median": await time(simpleImputer({ strategy: "median" }), data.select(numeric)),
    "one-hot": await time(oneHot({ handleUnknown: "ignore" }), data.select(["c0", "c1"])),
    "default preprocessing": await time(defaultPreprocessing(), data),
  };
  let sk: Record<string, { fit: number; transform: number }> | null = null;
  if (existsSync("/usr/bin/python3")) {
    const r = spawnSync("/usr/bin/python3", ["-c", PY, String(N)], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status === 0) sk = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    else console.log(`scikit-learn run failed: ${r.stderr.split("\n").slice(-3).join(" ")}`);
  }
  const f = (s: number) => s.toFixed(3).padStart(8);
  console.log(`${"transformer".padEnd(24)} ${"keel fit".padStart(8)} ${"sk fit".padStart(8)} ${"ratio".padStart(6)}  ${"keel tr".padStart(8)} ${"sk tr".padStart(8)} ${"ratio".padStart(6)}`);
  for (const [name, k] of Object.entries(keel)) {
    const s = sk?.[name];
    const ratio = (a: number, b?: number) => (b ? (a / b).toFixed(2) : "n/a").padStart(6);
    console.log(`${name.padEnd(24)} ${f(k.fit)} ${s ? f(s.fit) : "     n/a"} ${ratio(k.fit, s?.fit)}  ${f(k.transform)} ${s ? f(s.transform) : "     n/a"} ${ratio(k.transform, s?.transform)}`);
  }
}

await main();
