/**
 * Batch prediction on several threads: each large batch is one job of a `core/chunks` session on
 * the worker pool (kernel: predict-kernel.ts), whose workers start on the first large batch and
 * stay while in use (never keeping the process alive). For each batch the binned rows, the forest
 * and the output live in shared memory; the main thread claims row chunks itself from a tagged
 * counter like everyone else — so a worker still starting, or busy elsewhere, never delays the
 * result: the main thread just does more chunks. Every row's trees are summed in the same order on any thread, so results
 * equal the single-thread path bit for bit.
 */
import { ChunkSession, MAX_CHUNKS, availableThreads } from "../../core/index.js";
import { type BatchForest, addTreesRange, fillBaseline } from "./predict.js";

/** Rows per claimed chunk. */
export const PREDICT_CHUNK = 8192;
/** Batches smaller than this are predicted on the calling thread. */
export const PARALLEL_PREDICT_ROWS = 65_536;

export interface PredictJob {
  forest: BatchForest;
  bins: Uint8Array;
  raw: Float64Array;
  n: number;
  p: number;
}

/** Chunk k of a job: rows [k·PREDICT_CHUNK, (k+1)·PREDICT_CHUNK). */
export function runPredictChunk(job: PredictJob, k: number): void {
  addTreesRange(job.forest, job.bins, job.p, job.raw, k * PREDICT_CHUNK, Math.min(job.n, (k + 1) * PREDICT_CHUNK));
}

const KERNEL = new URL("./predict-kernel.js", import.meta.url);

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
  const job: PredictJob = { forest, bins, raw, n, p };
  if (threads <= 1 || n < PARALLEL_PREDICT_ROWS || chunks >= MAX_CHUNKS) {
    for (let k = 0; k < chunks; k++) runPredictChunk(job, k);
    return raw;
  }
  const session = ChunkSession.open(KERNEL, job, threads);
  try {
    session.run(chunks, (k) => runPredictChunk(job, k));
  } finally {
    void session.close();
  }
  return raw;
}
