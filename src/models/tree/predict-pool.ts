/**
 * Tree-ensemble batch prediction on several threads, after `models/gbdt/predict-pool.ts`. A
 * process-wide pool of prediction workers starts on the first large batch (or `warmPredictPool`)
 * and stays, unref'd so it never keeps the process alive. The packed trees, the rows and the
 * output live in shared memory; the main thread announces a job to the workers by message, then
 * claims row chunks from a tagged counter like everyone else — so a worker still starting, or
 * busy elsewhere, never delays the result: the main thread just does more chunks. Each row is
 * handled entirely by one thread, trees in order, so results equal the single-thread path bit
 * for bit.
 *
 * Control words: `NEXT` holds the job's 15-bit tag in its high half and the next chunk in its
 * low half, so a chunk can only be claimed (by compare-and-swap) for the job the claimer read;
 * a finished job is closed by setting its chunk number to `CLOSED`.
 */
import type { Worker } from "node:worker_threads";
import { availableThreads } from "../../core/pool.js";
import { accumulatePacked, type PackedTrees } from "./packed.js";
import { startWorker } from "./worker-boot.js";

const C_TASKS = 0;
const C_NEXT = 1;
const C_DONE = 2;
const CONTROL_SLOTS = 4;
/** Chunk number meaning "no more chunks"; jobs have fewer chunks than this. */
const CLOSED = 0xffff;
/** Polls of the done counter before the main thread sleeps in `Atomics.wait`. */
const SPIN = 20_000;
/** Fewest rows in a claimed chunk. */
const MIN_CHUNK = 256;
/** Batches with fewer rows × trees than this are predicted on the calling thread. */
export const PARALLEL_PREDICT_WORK = 200_000;

/** What a worker is sent for each batch (typed arrays on SharedArrayBuffers). */
export interface TreePredictJob {
  tag: number;
  trees: PackedTrees;
  X: Float64Array;
  n: number;
  p: number;
  out: Float64Array;
  chunk: number;
}

interface Pool {
  ctrl: Int32Array;
  workers: Worker[];
  tag: number;
}

let pool: Pool | null = null;

function getPool(threads: number): Pool {
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

/**
 * Start the prediction workers now (they load in the background), so that the first large
 * batch does not wait for them — e.g. right after fitting a large forest on several threads.
 */
export function warmPredictPool(threads = availableThreads()): void {
  if (threads > 1) getPool(threads);
}

/**
 * Claim and run chunks of the job tagged `tag` until none is left (main thread and workers);
 * returns how many this thread ran.
 */
export function claimChunks(ctrl: Int32Array, run: (k: number) => void, tag: number): number {
  let ran = 0;
  for (;;) {
    const cur = Atomics.load(ctrl, C_NEXT);
    if (cur >>> 16 !== tag) return ran;
    const k = cur & 0xffff;
    if (k >= Atomics.load(ctrl, C_TASKS)) return ran;
    if (Atomics.compareExchange(ctrl, C_NEXT, cur, cur + 1) !== cur) continue;
    run(k);
    ran++;
    Atomics.add(ctrl, C_DONE, 1);
    Atomics.notify(ctrl, C_DONE);
  }
}

/** Run one job's chunk `k`: rows [k·chunk, (k+1)·chunk). */
export function runChunk(job: TreePredictJob, k: number): void {
  const from = k * job.chunk;
  accumulatePacked(job.trees, job.X, job.p, job.out, from, Math.min(job.n, from + job.chunk));
}

/** A Float64Array of `length` on a SharedArrayBuffer. */
export function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(8, length * 8)), 0, length);
}

/**
 * Add every tree's leaf values (as `accumulatePacked`) for the n rows of `X` (row-major, p
 * features) into `out` (n × k), on up to `threads` threads. `trees`, `X` and `out` must live on
 * SharedArrayBuffers (`packTrees(…, true)`, `sharedF64`). Returns the chunks of rows, and how
 * many of them the calling thread ran (the rest ran on workers).
 */
export function accumulateParallel(trees: PackedTrees, X: Float64Array, n: number, p: number, out: Float64Array, threads = availableThreads()): { chunks: number; here: number } {
  const chunk = Math.max(MIN_CHUNK, Math.ceil(n / (3 * threads)));
  const chunks = Math.ceil(n / chunk);
  const job: TreePredictJob = { tag: 0, trees, X, n, p, out, chunk };
  if (threads <= 1 || chunks < 2 || chunks >= CLOSED) {
    accumulatePacked(trees, X, p, out, 0, n);
    return { chunks: 1, here: 1 };
  }
  const pl = getPool(threads);
  const ctrl = pl.ctrl;
  pl.tag = (pl.tag + 1) & 0x7fff;
  job.tag = pl.tag;
  Atomics.store(ctrl, C_TASKS, chunks);
  Atomics.store(ctrl, C_DONE, 0);
  Atomics.store(ctrl, C_NEXT, job.tag << 16);
  for (const w of pl.workers.slice(0, threads - 1)) w.postMessage(job);
  const here = claimChunks(ctrl, (k) => runChunk(job, k), job.tag);
  let spins = 0;
  for (;;) {
    const done = Atomics.load(ctrl, C_DONE);
    if (done >= chunks) break;
    if (++spins > SPIN) Atomics.wait(ctrl, C_DONE, done, 1);
  }
  Atomics.store(ctrl, C_NEXT, (job.tag << 16) | CLOSED);
  return { chunks, here };
}
