/**
 * Batch prediction on several threads. A process-wide pool of prediction workers starts on the
 * first large batch and stays (unref'd, so it never keeps the process alive). For each batch the
 * binned rows, the forest and the output live in shared memory; the main thread announces the job
 * to the workers by message, then claims row chunks itself from a tagged counter like everyone
 * else — so a worker still starting, or busy elsewhere, never delays the result: the main thread
 * just does more chunks. Every row's trees are summed in the same order on any thread, so results
 * equal the single-thread path bit for bit.
 */
import type { Worker } from "node:worker_threads";
import { availableThreads } from "../../core/pool.js";
import { CLOSED, CONTROL_SLOTS, C_DONE, C_NEXT, C_TASKS, SPIN, claimTasks } from "./control.js";
import { type BatchForest, addTreesRange, fillBaseline } from "./predict.js";
import { startWorker } from "./worker-boot.js";

/** Rows per claimed chunk. */
export const PREDICT_CHUNK = 8192;
/** Batches smaller than this are predicted on the calling thread. */
export const PARALLEL_PREDICT_ROWS = 65_536;

export interface PredictJob {
  tag: number;
  forest: BatchForest;
  bins: Uint8Array;
  raw: Float64Array;
  n: number;
  p: number;
}

let pool: { ctrl: Int32Array; workers: Worker[]; tag: number } | null = null;

function getPool(threads: number): { ctrl: Int32Array; workers: Worker[]; tag: number } {
  if (pool && pool.workers.length >= threads - 1) return pool;
  const ctrl = pool?.ctrl ?? new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  if (!pool) ctrl[C_NEXT] = CLOSED;
  const workers = pool?.workers ?? [];
  while (workers.length < threads - 1) {
    const w = startWorker("predict-worker", { ctrl });
    w.unref();
    w.on("error", () => undefined);
    workers.push(w);
  }
  pool = { ctrl, workers, tag: pool?.tag ?? 0 };
  return pool;
}

/** Rows' bin codes in shared memory, ready for `predictParallel`. */
export function sharedBins(n: number, p: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(8, n * p)), 0, n * p);
}

/**
 * Raw scores of binned rows on up to `threads` threads (all cores by default). `forest` and
 * `bins` must live in shared memory (`shareBatchForest`, `sharedBins`).
 */
export function predictParallel(forest: BatchForest, bins: Uint8Array, n: number, p: number, baseline: Float64Array, threads = availableThreads()): Float64Array {
  const K = forest.K;
  const raw = new Float64Array(new SharedArrayBuffer(Math.max(8, n * K * 8)), 0, n * K);
  fillBaseline(raw, n, K, baseline);
  const chunks = Math.ceil(n / PREDICT_CHUNK);
  const run = (k: number) => addTreesRange(forest, bins, p, raw, k * PREDICT_CHUNK, Math.min(n, (k + 1) * PREDICT_CHUNK));
  if (threads <= 1 || n < PARALLEL_PREDICT_ROWS || chunks >= CLOSED) {
    for (let k = 0; k < chunks; k++) run(k);
    return raw;
  }
  const pl = getPool(threads);
  const ctrl = pl.ctrl;
  pl.tag = (pl.tag + 1) & 0x7fff;
  const tag = pl.tag;
  Atomics.store(ctrl, C_TASKS, chunks);
  Atomics.store(ctrl, C_DONE, 0);
  Atomics.store(ctrl, C_NEXT, tag << 16);
  const job: PredictJob = { tag, forest, bins, raw, n, p };
  for (const w of pl.workers.slice(0, threads - 1)) w.postMessage(job);
  claimTasks(ctrl, run, tag);
  let spins = 0;
  for (;;) {
    const done = Atomics.load(ctrl, C_DONE);
    if (done >= chunks) break;
    if (++spins > SPIN) Atomics.wait(ctrl, C_DONE, done, 1);
  }
  Atomics.store(ctrl, C_NEXT, (tag << 16) | CLOSED);
  return raw;
}
