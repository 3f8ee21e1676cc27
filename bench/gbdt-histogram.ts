/**
 * The GBDT histogram kernels alone (issue 18; src/models/gbdt/histogram.ts): CPU nanoseconds per
 * update (one row × one feature) of the WebAssembly kernels over a training state's memory, on
 * 500,000 rows × p features (default 30; every fifth feature 16 bins, the others 255, codes
 * half-normal so low bins collide often): `dense` over all rows, and `rows` over a node's row
 * list at several densities (the fraction of all rows the node holds, spread evenly, sorted as
 * the partition keeps them): the state's kernels (scattered lists gathered first, dense ones read
 * directly) against kernels that never gather. Same-run ratios (state's / direct) are
 * the figures to compare across machines; medians of `--runs=N` (default 7) after a warm-up run.
 *
 *   node --import tsx bench/gbdt-histogram.ts [p=30] [--runs=N]
 */
import os from "node:os";
import { Rng } from "../src/core/rng.js";
import { histKernels, histLayout } from "../src/models/gbdt/histogram.js";
import { allocState, kernelsOf } from "../src/models/gbdt/state.js";

const args = process.argv.slice(2);
const p = Number(args.find((a) => !a.startsWith("--")) ?? 30);
const runs = Math.max(1, Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7));
const n = 500_000;

const nBins = Int32Array.from({ length: p }, (_, f) => (f % 5 === 0 ? 16 : 255));
const { hoff, size: histSize } = histLayout(nBins);
const s = allocState({ n, p, K: 1, histSize, hoff, maxLeaves: 31, weighted: false }, true);
const rng = new Rng(1);
for (let i = 0; i < n; i++) {
  s.g[i] = rng.normal();
  s.h[i] = rng.float();
  for (let f = 0; f < p; f++) s.bins[i * s.stride + f] = Math.min(nBins[f], Math.floor((Math.abs(rng.normal()) * nBins[f]) / 3));
}
const gathering = kernelsOf(s);
const direct = histKernels(s.memory, p, s.hoff, s.stride);
const out = s.nodeHists.subarray(0, s.histSize);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
/** CPU ns per update of one call of `run`. */
function nsPerUpdate(run: () => void, updates: number): number {
  out.fill(0);
  const t = cpuMs();
  run();
  return ((cpuMs() - t) * 1e6) / updates;
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

/** A node's rows: `density` of all rows, evenly spread, in ascending order, in `s.rows[0..m)`. */
function nodeRows(density: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) if (rng.float() < density) s.rows[m++] = i;
  return m;
}

/** The rows of a node cut in histogram blocks as the HISTOGRAM job cuts them. */
function byBlocks(kernel: typeof direct.rows, m: number): () => void {
  return () => {
    for (let a = 0; a < m; a += s.blockSize) kernel(s.bins, s.g, s.h, 0, s.rows, a, Math.min(m, a + s.blockSize), out, 0);
  };
}

console.log(`histogram kernels: ${n.toLocaleString("en")} rows × ${p} features, ${runs} runs (medians, CPU ns/update); load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
const dense = [] as number[];
for (let r = 0; r <= runs; r++) {
  const v = nsPerUpdate(() => gathering.dense(s.bins, s.g, s.h, 0, 0, n, out, 0), n * p);
  if (r > 0) dense.push(v);
}
console.log(`dense        ${median(dense).toFixed(3)}`);
for (const density of [0.5, 0.25, 0.06, 0.015]) {
  const m = nodeRows(density);
  const d: number[] = [];
  const g: number[] = [];
  for (let r = 0; r <= runs; r++) {
    // alternate the two kernels
    const a = nsPerUpdate(byBlocks(direct.rows, m), m * p);
    const b = nsPerUpdate(byBlocks(gathering.rows, m), m * p);
    if (r > 0) {
      d.push(a);
      g.push(b);
    }
  }
  const ratio = median(g.map((x, i) => x / d[i]));
  console.log(`rows ${(100 * density).toFixed(1).padStart(4)}%   direct ${median(d).toFixed(3)}   state's ${median(g).toFixed(3)}   state's/direct ${ratio.toFixed(2)}`);
}
console.log(`load after ${os.loadavg()[0].toFixed(1)}`);
