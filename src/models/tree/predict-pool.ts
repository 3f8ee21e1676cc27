/**
 * Tree-ensemble batch prediction on several threads: each large batch is one job of a
 * `core/chunks` session on the worker pool (kernel: predict-kernel.ts), whose workers start on
 * the first large batch (or `warmPredictPool`) and stay while in use. The packed trees, the rows
 * and the output live in shared memory, and every thread claims chunks of rows.
 * Each row is handled entirely by one thread, trees in order, so results equal the
 * single-thread path bit for bit.
 */
import { ChunkSession, MAX_CHUNKS, availableThreads, warmWorkers } from "../../core/index.js";
import { accumulatePacked, type PackedTrees } from "./packed.js";

/** Fewest rows in a claimed chunk. */
const MIN_CHUNK = 256;
/** Batches with fewer rows × trees than this are predicted on the calling thread. */
export const PARALLEL_PREDICT_WORK = 200_000;

/** What a worker is sent for each batch (typed arrays on SharedArrayBuffers). */
export interface TreePredictJob {
  trees: PackedTrees;
  X: Float64Array;
  n: number;
  p: number;
  out: Float64Array;
  chunk: number;
}

const KERNEL = new URL("./predict-kernel.js", import.meta.url);

/**
 * Start the prediction workers now (they load in the background), so that the first large
 * batch does not wait for them — e.g. right after fitting a large forest on several threads.
 */
export function warmPredictPool(threads = availableThreads()): void {
  if (threads > 1) warmWorkers(threads - 1);
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
  const job: TreePredictJob = { trees, X, n, p, out, chunk };
  if (threads <= 1 || chunks < 2 || chunks >= MAX_CHUNKS) {
    accumulatePacked(trees, X, p, out, 0, n);
    return { chunks: 1, here: 1 };
  }
  const session = ChunkSession.open(KERNEL, job, threads);
  try {
    return { chunks, here: session.run(chunks, (k) => runChunk(job, k)) };
  } finally {
    void session.close();
  }
}
