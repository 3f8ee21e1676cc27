/**
 * The penalised logistic objective for L-BFGS: f(w) = Σᵢ sᵢ·ℓ(yᵢ, xᵢ·w + b) + ½·λ·‖w‖² (intercepts
 * not penalised), as scikit-learn's `lbfgs` solver minimises it (λ = 1/C).
 *
 * Rows are cut into fixed shards of `SHARD_ROWS`; each shard's loss and gradient are computed on
 * their own and summed in shard order, so the result is bit-identical whatever the thread count.
 * With `threads ≥ 2` on a large problem, shards are shared with worker threads: the features are
 * used in place when they already live in SharedArrayBuffers, else copied once into one; each
 * evaluation is one Atomics handshake (no messages, no allocation), and every thread claims
 * shards from a shared counter, so a thread the OS holds back simply takes fewer.
 */
import { Worker } from "node:worker_threads";
import { binaryLossGradient, BLOCK, multinomialLossGradient } from "./logistic-loss.js";

/** Rows per shard; fixed so that results never depend on the number of threads. */
export const SHARD_ROWS = 32768;

/** Work (rows × features × classes) below which threads are not worth starting. */
const PARALLEL_MIN_WORK = 4_000_000;

export interface LogisticProblem {
  /** Feature columns, column-major. */
  cols: Float64Array[];
  /** Binary: 0/1. Multinomial: class index. */
  y: Float64Array;
  /** Sample weights, or null for all ones. */
  sw: Float64Array | null;
  /** 1 for the binary loss, the number of classes for the multinomial loss. */
  K: number;
  fitIntercept: boolean;
  /** L2 strength λ = 1/C (0 for no penalty). */
  l2: number;
}

export class LogisticObjective {
  readonly dim: number;
  private readonly n: number;
  private readonly p: number;
  private readonly nShards: number;
  private parts: Float64Array;
  private readonly z: Float64Array;
  private readonly workers: Worker[] = [];
  /** Shared control words: [0] generation, [1] next unclaimed shard, [2 + t] worker t's last finished generation. */
  private ctl: Int32Array | null = null;
  /** Per shard, the generation it was last computed for. */
  private shardGen: Int32Array | null = null;
  private wShared: Float64Array | null = null;
  private gen = 0;

  constructor(private readonly problem: LogisticProblem, threads = 1) {
    const p = problem.cols.length;
    this.p = p;
    this.n = problem.y.length;
    this.dim = problem.K * (p + 1);
    this.nShards = Math.max(1, Math.ceil(this.n / SHARD_ROWS));
    this.z = new Float64Array(BLOCK * problem.K);
    const T = Math.min(Math.max(1, Math.floor(threads)), this.nShards);
    const parallel = T > 1 && this.n * Math.max(1, p) * problem.K >= PARALLEL_MIN_WORK;
    this.parts = parallel ? new Float64Array(new SharedArrayBuffer(8 * this.nShards * (this.dim + 1))) : new Float64Array(this.nShards * (this.dim + 1));
    if (parallel) {
      try {
        this.startWorkers(T);
      } catch {
        // no worker threads here: compute every shard on this thread
        this.close();
      }
    }
  }

  /** f(w), with the gradient written into `grad`. */
  readonly evaluate = (w: Float64Array, grad: Float64Array): number => {
    const { K, fitIntercept, l2 } = this.problem;
    const p = this.p;
    const d = p + 1;
    if (this.ctl) {
      // workers and this thread claim shards from a shared counter until none are left, so a
      // thread the OS holds back simply takes fewer; partials stay per shard
      const ctl = this.ctl;
      const shardGen = this.shardGen!;
      this.wShared!.set(w);
      Atomics.store(ctl, 1, 0);
      this.gen++;
      Atomics.store(ctl, 0, this.gen);
      Atomics.notify(ctl, 0);
      for (;;) {
        const s = Atomics.add(ctl, 1, 1);
        if (s >= this.nShards) break;
        this.computeShard(w, s);
        Atomics.store(shardGen, s, this.gen);
      }
      this.waitWorkers(w);
    } else {
      for (let s = 0; s < this.nShards; s++) this.computeShard(w, s);
    }
    let f = 0;
    grad.fill(0);
    const stride = this.dim + 1;
    for (let s = 0; s < this.nShards; s++) {
      const o = s * stride;
      f += this.parts[o];
      for (let k = 0; k < this.dim; k++) grad[k] += this.parts[o + 1 + k];
    }
    if (l2 > 0) {
      let pen = 0;
      for (let c = 0; c < K; c++) {
        for (let j = 0; j < p; j++) {
          const v = w[c * d + j];
          pen += v * v;
          grad[c * d + j] += l2 * v;
        }
      }
      f += 0.5 * l2 * pen;
    }
    if (!fitIntercept) for (let c = 0; c < K; c++) grad[c * d + p] = 0;
    return f;
  };

  /** Stop the worker threads (idempotent); later evaluations run on the calling thread. */
  close(): void {
    if (this.ctl) {
      Atomics.store(this.ctl, 0, -1);
      Atomics.notify(this.ctl, 0);
    }
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.ctl = null;
  }

  private computeShard(w: Float64Array, s: number): void {
    const { cols, y, sw, K, fitIntercept } = this.problem;
    const stride = this.dim + 1;
    const start = s * SHARD_ROWS;
    const end = Math.min(this.n, start + SHARD_ROWS);
    const o = s * stride;
    const g = this.parts.subarray(o + 1, o + stride);
    g.fill(0);
    this.parts[o] = K === 1 ? binaryLossGradient(cols, y, sw, w, fitIntercept, start, end, this.z, g) : multinomialLossGradient(cols, y, sw, w, K, fitIntercept, start, end, this.z, g);
  }

  private startWorkers(T: number): void {
    const { cols, y, sw, K, fitIntercept } = this.problem;
    const n = this.n;
    const p = this.p;
    // columns already in shared memory (e.g. a frame shared with CV workers) are used in place;
    // others are copied once into one SharedArrayBuffer
    const colRefs: { buf: SharedArrayBuffer; offset: number }[] = [];
    let xs: SharedArrayBuffer | null = null;
    for (let j = 0; j < p; j++) {
      const c = cols[j];
      if (c.buffer instanceof SharedArrayBuffer) colRefs.push({ buf: c.buffer, offset: c.byteOffset });
      else {
        xs ??= new SharedArrayBuffer(8 * n * p);
        new Float64Array(xs, 8 * j * n, n).set(c);
        colRefs.push({ buf: xs, offset: 8 * j * n });
      }
    }
    const ys = new SharedArrayBuffer(8 * n);
    new Float64Array(ys).set(y);
    let sws: SharedArrayBuffer | null = null;
    if (sw) {
      sws = new SharedArrayBuffer(8 * n);
      new Float64Array(sws).set(sw);
    }
    const wsab = new SharedArrayBuffer(8 * this.dim);
    this.wShared = new Float64Array(wsab);
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * (2 + T)));
    this.shardGen = new Int32Array(new SharedArrayBuffer(4 * this.nShards));
    for (let t = 1; t < T; t++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { colRefs, ys, sws, wsab, parts: this.parts.buffer, ctl: this.ctl.buffer, shardGen: this.shardGen.buffer, n, p, K, fitIntercept, slot: 2 + t, nShards: this.nShards, shardRows: SHARD_ROWS, dim: this.dim, block: BLOCK },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * Wait for every worker to finish the current generation. If one failed (or gives no sign for
   * 60 s), the workers are stopped and every shard not computed for this generation is computed
   * here, into fresh memory, so a fit never hangs and the result is the same.
   */
  private waitWorkers(w: Float64Array): void {
    const ctl = this.ctl!;
    let failed = false;
    for (let t = 1; t <= this.workers.length && !failed; t++) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const v = Atomics.load(ctl, 2 + t);
        if (v === this.gen) break;
        if (v < 0 || Date.now() > deadline) {
          failed = true;
          break;
        }
        Atomics.wait(ctl, 2 + t, v, 1000);
      }
    }
    if (failed) {
      const shardGen = this.shardGen!;
      const done = Array.from({ length: this.nShards }, (_, s) => Atomics.load(shardGen, s) === this.gen);
      this.close();
      this.parts = Float64Array.from(this.parts);
      for (let s = 0; s < this.nShards; s++) if (!done[s]) this.computeShard(w, s);
    }
  }
}

/** The worker: waits for a new generation, computes its shards into the shared partials. */
const WORKER_SOURCE = `
"use strict";
var __name = (f) => f;
const { workerData } = require("node:worker_threads");
const binaryLossGradient = ${binaryLossGradient.toString()};
const multinomialLossGradient = ${multinomialLossGradient.toString()};
const { colRefs, ys, sws, wsab, parts, ctl, shardGen, n, p, K, fitIntercept, slot, nShards, shardRows, dim, block } = workerData;
const cols = colRefs.map((c) => new Float64Array(c.buf, c.offset, n));
const y = new Float64Array(ys);
const sw = sws ? new Float64Array(sws) : null;
const w = new Float64Array(wsab);
const out = new Float64Array(parts);
const c = new Int32Array(ctl);
const done = new Int32Array(shardGen);
const z = new Float64Array(block * K);
const stride = dim + 1;
let gen = 0;
for (;;) {
  Atomics.wait(c, 0, gen);
  const g = Atomics.load(c, 0);
  if (g < 0) break;
  if (g === gen) continue;
  gen = g;
  try {
    for (;;) {
      const s = Atomics.add(c, 1, 1);
      if (s >= nShards) break;
      const start = s * shardRows;
      const end = Math.min(n, start + shardRows);
      const o = s * stride;
      const gr = out.subarray(o + 1, o + stride);
      gr.fill(0);
      out[o] = K === 1 ? binaryLossGradient(cols, y, sw, w, fitIntercept, start, end, z, gr) : multinomialLossGradient(cols, y, sw, w, K, fitIntercept, start, end, z, gr);
      Atomics.store(done, s, gen);
    }
    Atomics.store(c, slot, gen);
  } catch (e) {
    Atomics.store(c, slot, -1);
  }
  Atomics.notify(c, slot);
}
`;
