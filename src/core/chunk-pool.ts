/**
 * Work sharing over shared memory for raw worker threads. A job is cut into numbered chunks;
 * the calling thread and the workers all claim chunks from one counter in a shared `Int32Array`
 * until none is left, so a worker that is still starting, or busy elsewhere, never delays a
 * result: the caller just runs more chunks itself.
 *
 * Control words: `C_NEXT` holds the job's 15-bit tag in its high half and the next chunk number
 * in its low half, so a chunk can only be claimed (by compare-and-swap) for the job the claimer
 * read — a message announcing a job may reach a worker after that job is over — and a finished
 * job is closed by setting its chunk number to `CLOSED`. `C_DONE` counts finished chunks.
 */
import { parentPort, type Worker, workerData } from "node:worker_threads";
import { startWorker } from "./worker-boot.js";

export const C_TASKS = 1;
export const C_NEXT = 2;
export const C_DONE = 3;
/** Slots a control array needs; 0 and 4..7 are free for an engine's own signals. */
export const CONTROL_SLOTS = 8;
/** Chunk number meaning "no more chunks"; jobs have fewer chunks than this. */
export const CLOSED = 0xffff;
/** Polls of the control array before a thread goes to sleep in `Atomics.wait`. */
export const SPIN = 20_000;

/**
 * Claim and run chunks of the current job until none is left; returns how many this thread ran.
 * With `tag`, only chunks of that job are claimed.
 */
export function claimTasks(ctrl: Int32Array, run: (k: number) => void, tag = -1): number {
  let ran = 0;
  for (;;) {
    const cur = Atomics.load(ctrl, C_NEXT);
    if (tag >= 0 && cur >>> 16 !== tag) return ran;
    const k = cur & 0xffff;
    if (k >= Atomics.load(ctrl, C_TASKS)) return ran;
    if (Atomics.compareExchange(ctrl, C_NEXT, cur, cur + 1) !== cur) continue;
    run(k);
    ran++;
    Atomics.add(ctrl, C_DONE, 1);
    Atomics.notify(ctrl, C_DONE);
  }
}

/** A job as posted to the workers: its data (typed arrays on SharedArrayBuffers) and its tag. */
export type Tagged<Job> = Job & { tag: number };

/**
 * Workers running one module (which calls `serveChunks`), started on first use and kept for the
 * process, unref'd so they never keep it alive. Meant to be one instance per worker module.
 */
export class ChunkPool<Job extends object> {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly workers: Worker[] = [];
  private tag = 0;

  /** @param module the worker module (e.g. `new URL("./predict-worker.js", import.meta.url)`). */
  constructor(private readonly module: URL) {
    this.ctrl[C_NEXT] = CLOSED;
  }

  /** Start workers in the background so that `threads` threads can share the next job. */
  warm(threads: number): void {
    while (this.workers.length < threads - 1) {
      const w = startWorker(this.module, { ctrl: this.ctrl });
      w.unref();
      w.on("error", () => undefined);
      this.workers.push(w);
    }
  }

  /**
   * Run chunks `0 .. chunks − 1` of `job` — `runChunk(k)` here, `serveChunks`'s callback in the
   * workers — on this thread and up to `threads − 1` workers; returns when all are done, with
   * the number this thread ran.
   */
  run(job: Job, chunks: number, runChunk: (k: number) => void, threads: number): number {
    if (chunks >= CLOSED) throw new RangeError(`a job has at most ${CLOSED - 1} chunks, got ${chunks}`);
    this.warm(threads);
    const ctrl = this.ctrl;
    this.tag = (this.tag + 1) & 0x7fff;
    const tag = this.tag;
    Atomics.store(ctrl, C_TASKS, chunks);
    Atomics.store(ctrl, C_DONE, 0);
    Atomics.store(ctrl, C_NEXT, tag << 16);
    const message: Tagged<Job> = { ...job, tag };
    for (const w of this.workers.slice(0, threads - 1)) w.postMessage(message);
    const here = claimTasks(ctrl, runChunk, tag);
    let spins = 0;
    for (;;) {
      const done = Atomics.load(ctrl, C_DONE);
      if (done >= chunks) break;
      if (++spins > SPIN) Atomics.wait(ctrl, C_DONE, done, 1);
    }
    Atomics.store(ctrl, C_NEXT, (tag << 16) | CLOSED);
    return here;
  }
}

/** In a `ChunkPool` worker module: run `runChunk(job, k)` for the chunks it claims of every job posted. */
export function serveChunks<Job extends object>(runChunk: (job: Tagged<Job>, k: number) => void): void {
  const { ctrl } = workerData as { ctrl: Int32Array };
  parentPort?.on("message", (job: Tagged<Job>) => {
    claimTasks(ctrl, (k) => runChunk(job, k), job.tag);
  });
}
