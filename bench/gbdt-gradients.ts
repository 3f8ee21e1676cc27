/**
 * The GBDT gradient passes alone (issue 18; src/models/gbdt/gradient-kernels.ts): CPU nanoseconds
 * per (row, class) of the JavaScript loops of losses.ts (`gradientBlock`, Math.exp) against the
 * WebAssembly kernels over a training state's memory (`stateGradientBlock`, f64x2 exp), in the same
 * run, alternating, on one thread: softmax (200,000 rows × 5 classes, as the multiclass bench),
 * binary log loss and Poisson (500,000 rows), unweighted and weighted; and exp alone (Math.exp in a
 * loop against the vector kernel). Both sides are checked to give the same bits. Medians of
 * `--runs=N` (default 7) after a warm-up; the JS/wasm ratios are the figures to compare.
 *
 *   node --import tsx bench/gbdt-gradients.ts [--runs=N]
 */
import os from "node:os";
import { Rng } from "../src/core/rng.js";
import { gradientKernels, stateGradientBlock } from "../src/models/gbdt/gradient-kernels.js";
import { LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, gradientBlock } from "../src/models/gbdt/losses.js";
import { type TrainState, allocState } from "../src/models/gbdt/state.js";

const args = process.argv.slice(2);
const runs = Math.max(1, Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

function state(loss: number, n: number, K: number, weighted: boolean): TrainState {
  const s = allocState({ n, p: 1, K, histSize: 3, hoff: new Int32Array(1), maxLeaves: 4, weighted }, false);
  const rng = new Rng(3);
  // scores as after some boosting: spread around the class logits
  for (let i = 0; i < n * K; i++) s.raw[i] = rng.normal() * 2;
  for (let i = 0; i < n; i++) s.y[i] = loss === LOSS_SOFTMAX ? Math.floor(rng.float() * K) : loss === LOSS_LOGISTIC ? (rng.float() < 0.5 ? 1 : 0) : Math.floor(rng.float() * 5);
  if (weighted) for (let i = 0; i < n; i++) s.w[i] = 0.5 + rng.float();
  return s;
}

/** One pass over all rows in the state's blocks, as the GRADIENTS job runs it. */
function pass(s: TrainState, loss: number, wasm: boolean, g: Float32Array, h: Float32Array): number {
  let tot = 0;
  for (let k = 0, a = 0; a < s.n; k++, a += s.blockSize) {
    const b = Math.min(s.n, a + s.blockSize);
    tot += wasm ? stateGradientBlock(s, loss, 0, a, b, k) : gradientBlock(loss, 0, s.K, s.y, s.w, s.raw, g, h, s.n, a, b);
  }
  return tot;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

console.log(`gbdt gradient passes, CPU ns per (row, class), one thread, medians of ${runs}; ${os.cpus()[0]?.model ?? "cpu"}; load ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
const cases: [string, number, number, number][] = [
  ["softmax 200k × 5", LOSS_SOFTMAX, 200_000, 5],
  ["logistic 500k", LOSS_LOGISTIC, 500_000, 1],
  ["poisson 500k", LOSS_POISSON, 500_000, 1],
];
for (const [name, loss, n, K] of cases)
  for (const weighted of [false, true]) {
    const s = state(loss, n, K, weighted);
    const g = new Float32Array(n * K);
    const h = new Float32Array(n * K);
    const js: number[] = [];
    const wa: number[] = [];
    let lossJs = 0;
    let lossWasm = 0;
    for (let r = 0; r <= runs; r++) {
      let t = cpuMs();
      lossJs = pass(s, loss, false, g, h);
      const dj = cpuMs() - t;
      t = cpuMs();
      lossWasm = pass(s, loss, true, g, h);
      const dw = cpuMs() - t;
      if (r > 0) {
        js.push((dj * 1e6) / (n * K));
        wa.push((dw * 1e6) / (n * K));
      }
    }
    const same = lossJs === lossWasm && sameBits(g, s.g) && sameBits(h, s.h);
    const j = median(js);
    const w = median(wa);
    console.log(`${`${name}${weighted ? " weighted" : ""}`.padEnd(27)} JS ${j.toFixed(2).padStart(6)}   wasm ${w.toFixed(2).padStart(6)}   JS/wasm ${(j / w).toFixed(2).padStart(5)}   ${same ? "same bits" : "DIFFERENT BITS"}`);
  }

{
  const n = 1 << 20;
  const memory = new WebAssembly.Memory({ initial: 257, maximum: 257 });
  const kern = gradientKernels(memory, 1);
  const x = new Float64Array(memory.buffer, 0, n);
  const e = new Float64Array(memory.buffer, 8 * n, n);
  const ref = new Float64Array(n);
  const rng = new Rng(5);
  for (let i = 0; i < n; i++) x[i] = -rng.float() * 20;
  const js: number[] = [];
  const wa: number[] = [];
  for (let r = 0; r <= runs; r++) {
    let t = cpuMs();
    for (let i = 0; i < n; i++) ref[i] = Math.exp(x[i]);
    const dj = cpuMs() - t;
    t = cpuMs();
    kern.exp(x, e, 0, n);
    const dw = cpuMs() - t;
    if (r > 0) {
      js.push((dj * 1e6) / n);
      wa.push((dw * 1e6) / n);
    }
  }
  let same = true;
  for (let i = 0; i < n; i++) if (!Object.is(ref[i], e[i])) same = false;
  const j = median(js);
  const w = median(wa);
  console.log(`${"exp alone (1M in [-20, 0])".padEnd(27)} JS ${j.toFixed(2).padStart(6)}   wasm ${w.toFixed(2).padStart(6)}   JS/wasm ${(j / w).toFixed(2).padStart(5)}   ${same ? "same bits" : "DIFFERENT BITS"}`);
}
