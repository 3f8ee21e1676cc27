/**
 * Chunk sessions: the shared-memory side of the worker runtime (`pool.ts`). A session runs jobs
 * cut into numbered chunks on the calling thread and up to `threads − 1` pool workers ("helpers")
 * borrowed for the session's lifetime. Every thread claims chunk numbers from one counter in a
 * shared `Int32Array` by compare-and-swap until none is left, and the caller waits only for the
 * chunks others have claimed — never for a helper to wake up or start — so a helper that is
 * still starting, or held back by the OS, costs nothing: the caller just runs more chunks.
 *
 * A kernel is a module whose default export takes the session's `init` (typed arrays on
 * SharedArrayBuffers, plain data) and returns `runChunk(k)`; it is loaded once per helper.
 * Jobs are announced by bumping a sequence word (no message, no allocation); helpers spin
 * briefly (`HELPER_SPIN_US`), then sleep in `Atomics.wait`, since jobs may come every few tens of
 * microseconds.
 * Chunk `k` of a job must not depend on which thread runs it, so results are the same with any
 * number of threads.
 *
 * Control words: `NEXT` holds the job's 15-bit tag in its high half and the next chunk number in
 * its low half, so a chunk can only be claimed for the job the claimer read; a finished job is
 * closed by setting its chunk number to `CLOSED`. `DONE` counts finished chunks. An error in a
 * chunk (on any thread) still counts the chunk as done, and `run` throws it once the job is over.
 */
import { loadModule, reserveWorkers, runTask } from "./pool.js";

const SEQ = 0;
const TASKS = 1;
const NEXT = 2;
const DONE = 3;
const STOP = 4;
const ERROR = 5;
const JOINED = 6;
const SLOTS = 8;
/** Chunk number meaning "no more chunks"; a job has fewer chunks than this. */
export const MAX_CHUNKS = 0xffff;
/**
 * Microseconds a helper polls for the next job before it sleeps in `Atomics.wait` (jobs of a
 * growing tree follow each other within tens of µs; a longer gap is a serial stretch of the
 * caller's). Waking a sleeping thread is dear on virtual CPUs: 46–160 µs here (a halted vCPU
 * waits for the host), against 1.3–15 µs for one still polling — so a job after a 300 µs gap ran
 * slower on 2 threads than on 1 with a 100 µs spin (bench/chunk-dispatch.ts: 44 against 29 µs)
 * and 1.7× faster with this one (57 against 97 µs). A GBDT fit's helper went to sleep 700–1,100
 * times per 100 trees with 100 µs, ~100 with 1 ms; the fit on 2 threads, alternating, 10 pairs:
 * median 1.05× faster. The cost: after the last job of a stretch a helper keeps a core busy
 * for 1 ms, which only another process could have used.
 */
const HELPER_SPIN_US = 1000;
/**
 * Microseconds the calling thread polls for other threads' last chunks before it sleeps (each
 * finished chunk wakes it): it has nothing else to do, and sleeping costs a wake (see above).
 */
const CALLER_SPIN_US = 1000;
/** Polls between two reads of the clock while spinning. */
const POLLS_PER_CHECK = 64;
/** Bytes kept for the first error's message. */
const ERROR_BYTES = 4096;
/**
 * A job whose claimed chunks make no progress for this long is abandoned (a helper died) — or for
 * `STALL_CHUNKS` times this thread's own mean chunk time in the job, when that is longer (a chunk
 * may be a whole GBDT class tree: minutes on large data, and slower still on a loaded helper).
 */
const STALL_MS = 60_000;
const STALL_CHUNKS = 20;

/** `Atomics.waitAsync` (Node ≥ 16; typed in TypeScript's ES2024 library only). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/**
 * Wait, without blocking this thread's event loop, until `ctrl[i] ≥ target` (another thread
 * raising the word and calling `Atomics.notify` on it); resolves false instead if `gone` settles
 * first (the threads that would raise it have stopped).
 * @example
 * ```ts
 * const ok = await reachesAtLeast(ctrl, DONE, chunks, Promise.allSettled(tasks).then(() => undefined));
 * ```
 */
export async function reachesAtLeast(ctrl: Int32Array, i: number, target: number, gone: Promise<unknown>): Promise<boolean> {
  let over = false;
  void gone.then(
    () => (over = true),
    () => (over = true),
  );
  for (;;) {
    const v = Atomics.load(ctrl, i);
    if (v >= target) return true;
    if (over) return false;
    const w = waitAsync(ctrl, i, v);
    if (w.async) await Promise.race([w.value, gone.then(() => undefined, () => undefined)]);
  }
}

/** What a helper task receives. */
interface HelperTask {
  kernel: string;
  init: unknown;
  ctrl: Int32Array;
  errorText: Uint8Array;
}

/** A kernel module's default export. */
export type Kernel<Init> = (init: Init) => (k: number) => void;

/** Run claimed chunks of the job tagged `tag` until none is left; returns how many this thread ran. */
function claim(ctrl: Int32Array, runChunk: (k: number) => void, tag: number, onError: (e: unknown) => void): number {
  let ran = 0;
  for (;;) {
    const cur = Atomics.load(ctrl, NEXT);
    if (cur >>> 16 !== tag) return ran;
    const k = cur & 0xffff;
    if (k >= Atomics.load(ctrl, TASKS)) return ran;
    if (Atomics.compareExchange(ctrl, NEXT, cur, cur + 1) !== cur) continue;
    try {
      runChunk(k);
    } catch (e) {
      onError(e);
    }
    ran++;
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

function recordError(ctrl: Int32Array, errorText: Uint8Array, e: unknown): void {
  if (Atomics.compareExchange(ctrl, ERROR, 0, 1) !== 0) return;
  const text = new TextEncoder().encode(String((e as Error)?.stack ?? e)).subarray(0, ERROR_BYTES - 4);
  errorText.set(text, 4);
  new DataView(errorText.buffer, errorText.byteOffset, 4).setUint32(0, text.length);
  Atomics.store(ctrl, ERROR, 2);
}

/**
 * One session: open it with the kernel module and its `init`, `run` jobs, `close` it.
 *
 * @example
 * const session = ChunkSession.open(new URL("./kernel.js", import.meta.url), { rows, out }, threads);
 * await session.started(); // optional: wait for the helpers before a long synchronous loop
 * try { session.run(chunks, (k) => kernel(k)); } finally { session.close(); }
 */
export class ChunkSession {
  /** Pool workers taking part (besides the calling thread). */
  readonly helpers: number;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  private readonly errorText = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
  private readonly tasks: Promise<void>[] = [];
  private tag = 0;
  private closed = false;
  private broken = false;

  private constructor(kernel: URL, init: unknown, threads: number) {
    this.ctrl[NEXT] = MAX_CHUNKS;
    this.helpers = threads > 1 ? reserveWorkers(Math.floor(threads) - 1) : 0;
    const task: HelperTask = { kernel: kernel.href, init, ctrl: this.ctrl, errorText: this.errorText };
    for (let i = 0; i < this.helpers; i++) {
      const t = runTask<HelperTask, void>(new URL("./chunks.js", import.meta.url), task);
      t.catch(() => undefined);
      this.tasks.push(t);
    }
  }

  /**
   * Borrow up to `threads − 1` free pool workers to run `kernel` (a module URL, e.g.
   * `new URL("./kernel.js", import.meta.url)`) on `init`. With `threads ≤ 1`, or no free worker,
   * every job runs on the calling thread.
   */
  static open(kernel: URL, init: unknown, threads: number): ChunkSession {
    return new ChunkSession(kernel, init, threads);
  }

  /**
   * Resolves when every helper has loaded the kernel and waits for jobs; rejects if one fails to
   * start (the session still works, on fewer threads). Await it before a long synchronous run of
   * jobs, since helpers only start while the event loop turns.
   */
  async started(): Promise<void> {
    const failed = Promise.race(this.tasks.map((t) => t.then(() => new Promise<never>(() => undefined))));
    await Promise.race([reachesAtLeast(this.ctrl, JOINED, this.helpers, new Promise<never>(() => undefined)), failed]);
  }

  /**
   * Run chunks `0 .. chunks − 1` of one job — `runChunk(k)` on this thread, the kernel's
   * `runChunk` on the helpers — and return when all are done, with the number this thread ran.
   * Whatever the job needs besides `k` must be in shared memory (or the kernel's `init`) before
   * the call. Throws the first error any thread raised in a chunk.
   */
  run(chunks: number, runChunk: (k: number) => void): number {
    if (!Number.isInteger(chunks) || chunks < 0 || chunks >= MAX_CHUNKS) throw new RangeError(`a job has 0 to ${MAX_CHUNKS - 1} chunks, got ${chunks}`);
    if (this.closed) throw new Error("chunk session is closed");
    if (this.helpers === 0 || this.broken || chunks <= 1) {
      for (let k = 0; k < chunks; k++) runChunk(k);
      return chunks;
    }
    const ctrl = this.ctrl;
    this.tag = (this.tag + 1) & 0x7fff;
    const tag = this.tag;
    Atomics.store(ctrl, TASKS, chunks);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, NEXT, tag << 16);
    Atomics.add(ctrl, SEQ, 1);
    Atomics.notify(ctrl, SEQ);
    let mine: { error: unknown } | null = null;
    const started = Date.now();
    const here = claim(ctrl, runChunk, tag, (e) => {
      mine ??= { error: e };
    });
    const stallMs = Math.max(STALL_MS, here > 0 ? (STALL_CHUNKS * (Date.now() - started)) / here : 0);
    // every chunk is claimed; wait for those other threads are still running
    let spins = 0;
    let spinning = true;
    const spinUntil = performance.now() + CALLER_SPIN_US / 1000;
    let last = -1;
    let since = 0;
    for (;;) {
      const done = Atomics.load(ctrl, DONE);
      if (done >= chunks) break;
      if (spinning && ++spins % POLLS_PER_CHECK === 0 && performance.now() > spinUntil) spinning = false;
      if (!spinning) {
        if (done !== last) {
          last = done;
          since = Date.now();
        } else if (Date.now() - since > stallMs) {
          this.broken = true;
          Atomics.store(ctrl, NEXT, (tag << 16) | MAX_CHUNKS);
          throw new Error(`a worker thread stopped responding (${chunks - done} of ${chunks} chunks unfinished for ${Math.round(stallMs / 1000)} s)`);
        }
        Atomics.wait(ctrl, DONE, done, 1);
      }
    }
    // close the job: a thread that read it too late cannot claim anything more
    Atomics.store(ctrl, NEXT, (tag << 16) | MAX_CHUNKS);
    while (Atomics.load(ctrl, ERROR) === 1); // a helper is writing its error's message
    if (mine !== null) {
      Atomics.store(ctrl, ERROR, 0);
      throw (mine as { error: unknown }).error;
    }
    if (Atomics.load(ctrl, ERROR) !== 0) {
      const len = new DataView(this.errorText.buffer, 0, 4).getUint32(0);
      const text = new TextDecoder().decode(this.errorText.slice(4, 4 + len));
      Atomics.store(ctrl, ERROR, 0);
      throw new Error(`a worker thread failed: ${text}`);
    }
    return here;
  }

  /** Release the helpers (they return to the pool); later jobs run on the calling thread. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      Atomics.store(this.ctrl, STOP, 1);
      Atomics.add(this.ctrl, SEQ, 1);
      Atomics.notify(this.ctrl, SEQ);
    }
    return Promise.allSettled(this.tasks).then(() => undefined);
  }
}

/**
 * A helper, as a pool task: load the kernel, then run chunks of every job announced until the
 * session stops. A helper that starts after the session closed returns at once.
 */
export default async function helper(task: HelperTask): Promise<void> {
  const { ctrl, errorText } = task;
  if (Atomics.load(ctrl, STOP) !== 0) return;
  const mod = await loadModule(task.kernel);
  const kernel = mod.default as Kernel<unknown>;
  if (typeof kernel !== "function") throw new Error(`kernel module ${task.kernel} has no default export`);
  serve(ctrl, errorText, kernel(task.init));
}

/**
 * The helper's loop: wait for a job (spinning briefly, then sleeping), claim its chunks, repeat
 * until told to stop.
 */
function serve(ctrl: Int32Array, errorText: Uint8Array, runChunk: (k: number) => void): void {
  const onError = (e: unknown) => recordError(ctrl, errorText, e);
  let seen = Atomics.load(ctrl, SEQ);
  // a job announced before this helper joined is still open to it
  if (seen > 0) seen--;
  Atomics.add(ctrl, JOINED, 1);
  Atomics.notify(ctrl, JOINED);
  for (;;) {
    let spins = 0;
    let spinning = true;
    const spinUntil = performance.now() + HELPER_SPIN_US / 1000;
    while (Atomics.load(ctrl, SEQ) === seen) {
      if (spinning && ++spins % POLLS_PER_CHECK === 0 && performance.now() > spinUntil) spinning = false;
      if (!spinning) Atomics.wait(ctrl, SEQ, seen, 50);
    }
    seen = Atomics.load(ctrl, SEQ);
    if (Atomics.load(ctrl, STOP) !== 0) return;
    claim(ctrl, runChunk, Atomics.load(ctrl, NEXT) >>> 16, onError);
  }
}
