/**
 * The binning phase of a GBDT fit (issue 18): everything before the first boosting iteration —
 * fitting bin edges, writing the codes (column- and row-major) and starting the fit's worker
 * threads — on the wide set (500,000 × 30, 5% missing) or the multiclass set (200,000 × 20).
 * Each measurement is a fresh process (a cold worker pool, what a `keel train` sees), fitting one
 * iteration; 1 and 2 threads alternate, `--runs` times each; medians of the phase's wall and
 * CPU seconds, the 2-thread/1-thread ratio and the load average are printed.
 *
 *   node --import tsx bench/gbdt-binning.ts [--set=wide|multiclass] [--runs=5] [--root=dist|src]
 *
 * By default Keel compiled (src/ compiled into dist/ first, see _dist.ts), as users run it;
 * `--root=src` measures it from TypeScript sources, where a worker's cold start costs ~0.3 s more.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { distModule } from "./_dist.js";
import { type WideKind, wideData } from "./_wide-data.js";

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const set = (opt("set") ?? "wide") as WideKind;
const root = opt("root") ?? "dist";
const here = path.dirname(fileURLToPath(import.meta.url));

interface Sample {
  binning: number;
  binningCpu: number;
  fit: number;
}

async function child(threads: number): Promise<void> {
  const base = pathToFileURL(path.join(here, "..", root)).href;
  const { Frame } = (await import(`${base}/data/frame.js`)) as typeof import("../src/data/frame.js");
  const { gbdtClassifier } = (await import(`${base}/models/gbdt/index.js`)) as typeof import("../src/models/gbdt/index.js");
  const phases = (await import(`${base}/models/gbdt/phases.js`)) as typeof import("../src/models/gbdt/phases.js");
  const d = wideData(set);
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < d.p; j++) cols[`x${j}`] = d.X[j].subarray(0, d.nTrain);
  const train = Frame.fromColumns({ ...cols, y: d.y.subarray(0, d.nTrain) });
  phases.setPhaseProfiling(true);
  const spec = gbdtClassifier({ maxIter: 1, maxLeaves: 31, learningRate: 0.1, maxBins: 255, minSamplesLeaf: 20, earlyStopping: false });
  const t = performance.now();
  await spec.fit(train, { target: "y", threads });
  const fit = (performance.now() - t) / 1000;
  const prof = phases.lastPhaseProfile()!;
  const out: Sample = { binning: prof.seconds.binning, binningCpu: prof.cpu.binning, fit };
  console.log(JSON.stringify(out));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args.includes("--child")) {
  await child(Number(opt("threads") ?? 1));
} else {
  const runs = Math.max(1, Number(opt("runs") ?? 5));
  wideData(set); // generate the cache once, outside the timed children
  if (root === "dist") distModule("index.js"); // compile once, before the children import dist/
  const res: Record<number, Sample[]> = { 1: [], 2: [] };
  const load0 = os.loadavg()[0];
  for (let r = 0; r < runs; r++) {
    for (const threads of r % 2 === 0 ? [1, 2] : [2, 1]) {
      const c = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", `--threads=${threads}`, `--set=${set}`, `--root=${root}`], { encoding: "utf8" });
      if (c.status !== 0) throw new Error(c.stderr);
      const s = JSON.parse(c.stdout.trim().split("\n").pop()!) as Sample;
      res[threads].push(s);
      console.log(`run ${r + 1} ${threads} thread${threads > 1 ? "s" : " "}: binning ${s.binning.toFixed(3)} s (cpu ${s.binningCpu.toFixed(3)} s), fit of one iteration ${s.fit.toFixed(3)} s`);
    }
  }
  const m = (t: number, k: keyof Sample) => median(res[t].map((s) => s[k]));
  console.log(`${set}, ${root}, load ${load0.toFixed(1)} before / ${os.loadavg()[0].toFixed(1)} after on ${os.availableParallelism()} cores, medians of ${runs}:`);
  for (const t of [1, 2]) console.log(`  ${t} thread${t > 1 ? "s" : " "}: binning ${m(t, "binning").toFixed(3)} s (cpu ${m(t, "binningCpu").toFixed(3)} s), one-iteration fit ${m(t, "fit").toFixed(3)} s`);
  console.log(`  2 threads / 1 thread: binning ${(m(2, "binning") / m(1, "binning")).toFixed(2)}×, fit ${(m(2, "fit") / m(1, "fit")).toFixed(2)}×`);
}
