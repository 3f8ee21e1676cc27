/**
 * Peak memory of a whole training process on the wide set of bench/gbdt-wide (issue 18): `keel
 * train` from the command line against scikit-learn 1.2's HistGradientBoostingClassifier in its own
 * Python process (Debian's /usr/bin/python3 with python3-sklearn and python3-pandas), both reading
 * the same CSV files, fitting the same model (100 iterations, 31 leaves, 255 bins, early stopping
 * off, 2 threads) and scoring the same held-out rows. Each process runs under `/usr/bin/time -f %M`
 * (its peak resident set, children included as the kernel counts them), alternating, `--runs=N`
 * times; the figures are medians.
 *
 * The CSVs (500,000 training rows × 30 features with 5% missing, and the first 50,000 of the test
 * rows) are written once next to the bench cache. Goal: Keel's peak ≤ scikit-learn's.
 *
 *   node --import tsx bench/gbdt-memory.ts [--runs=N] [--threads=2]
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type WideData, wideData } from "./_wide-data.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def);
const runs = Math.max(1, opt("runs", 1));
const threads = opt("threads", 2);
const TEST_ROWS = 50_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Write rows [from, to) of the data set as CSV (x0..x29, y; missing cells empty), once. */
function writeCsv(d: WideData, file: string, from: number, to: number): void {
  if (existsSync(file)) return;
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  const header = [...Array.from({ length: d.p }, (_, j) => `x${j}`), "y"].join(",") + "\n";
  writeSync(fd, header);
  let chunk = "";
  for (let i = from; i < to; i++) {
    for (let j = 0; j < d.p; j++) {
      const v = d.X[j][i];
      chunk += (Number.isNaN(v) ? "" : String(v)) + ",";
    }
    chunk += `${d.y[i]}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = "";
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  renameSync(tmp, file);
}

const PY = `
import sys
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
tr, te = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
m = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, learning_rate=0.1, max_bins=255,
    min_samples_leaf=20, early_stopping=False, random_state=0)
m.fit(tr.drop(columns="y"), tr["y"])
print("AUC", roc_auc_score(te["y"], m.predict_proba(te.drop(columns="y"))[:, 1]))
`;

interface Peak {
  mb: number;
  wall: number;
  cpu: number;
}

/** Run a command under /usr/bin/time and return its peak RSS (MB), wall and CPU seconds. */
function measure(cmd: string[], env: NodeJS.ProcessEnv): Peak {
  const r = spawnSync("/usr/bin/time", ["-f", "KEEL_TIME %M %e %U %S", ...cmd], { env, encoding: "utf8", maxBuffer: 1 << 26, cwd: root });
  const line = r.stderr.split("\n").find((l) => l.startsWith("KEEL_TIME"));
  if (r.status !== 0 || !line) throw new Error(`${cmd.join(" ")} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
  const [kb, wall, user, sys] = line.split(" ").slice(1).map(Number);
  return { mb: kb / 1024, wall, cpu: user + sys };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

const d = wideData("wide");
const trainCsv = path.join(d.dir, "train.csv");
const testCsv = path.join(d.dir, `test-${TEST_ROWS}.csv`);
writeCsv(d, trainCsv, 0, d.nTrain);
writeCsv(d, testCsv, d.nTrain, d.nTrain + TEST_ROWS);
const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
const keelCmd = (out: string) => [
  process.execPath,
  path.join(root, "bin/keel.js"),
  "train",
  trainCsv,
  "--target",
  "y",
  "--model",
  "gbdt",
  "--set",
  "maxIter=100,maxLeaves=31,learningRate=0.1,maxBins=255,minSamplesLeaf=20,earlyStopping=false",
  "--test",
  testCsv,
  "--threads",
  String(threads),
  "--out",
  out,
];
console.log(`wide: ${d.nTrain.toLocaleString("en-US")} training rows × ${d.p} features from CSV, ${TEST_ROWS.toLocaleString("en-US")} test rows; ${threads} threads; ${runs} run(s), alternating; load ${os.loadavg()[0].toFixed(1)}`);
const keel: Peak[] = [];
const sk: Peak[] = [];
for (let run = 0; run < runs; run++) {
  const out = mkdtempSync(path.join(os.tmpdir(), "keel-mem-"));
  try {
    const pair = run % 2 === 0 ? ["keel", "sklearn"] : ["sklearn", "keel"];
    for (const who of pair) {
      if (who === "keel") keel.push(measure(keelCmd(path.join(out, "model")), env));
      else sk.push(measure(["/usr/bin/python3", "-c", PY, trainCsv, testCsv], env));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
const show = (name: string, xs: Peak[]) =>
  console.log(`${name.padEnd(28)} peak ${median(xs.map((x) => x.mb)).toFixed(0).padStart(5)} MB   wall ${median(xs.map((x) => x.wall)).toFixed(1)} s   cpu ${median(xs.map((x) => x.cpu)).toFixed(1)} s${xs.length > 1 ? `   (runs: ${xs.map((x) => x.mb.toFixed(0)).join(", ")} MB)` : ""}`);
show("keel train (whole process)", keel);
show("scikit-learn (whole process)", sk);
const ratio = median(keel.map((x) => x.mb)) / median(sk.map((x) => x.mb));
console.log(`keel/sklearn peak memory ${ratio.toFixed(2)} → goal ≤ 1.00 ${ratio <= 1 ? "met" : "NOT met"}`);
