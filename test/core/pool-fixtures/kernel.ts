/**
 * A chunk kernel for the worker-runtime tests: chunk k writes k² into `out[k]` after about
 * `spinMs` of busy work, records which thread ran it, and throws on chunk `failAt`.
 */
import { isMainThread, threadId } from "node:worker_threads";

export interface KernelInit {
  out: Float64Array;
  who: Int32Array;
  /** Shared word: when non-negative, the chunk that throws; −2: every chunk a worker runs throws. */
  failAt: Int32Array;
  spinMs: number;
}

export function runChunk(init: KernelInit, k: number): void {
  const until = performance.now() + init.spinMs;
  while (performance.now() < until);
  const failAt = Atomics.load(init.failAt, 0);
  if (failAt === k || (failAt === -2 && !isMainThread)) throw new Error(`chunk ${k} failed on purpose`);
  init.out[k] = k * k;
  init.who[k] = threadId;
}

export default function kernel(init: KernelInit): (k: number) => void {
  return (k) => runChunk(init, k);
}
