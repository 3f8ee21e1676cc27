/**
 * Keel's one worker runtime: a single process-wide pool of worker threads (piscina) that every
 * parallel kernel runs on. Two ways to use it:
 *
 * - **Tasks** (`runTask`): a message in, a result out — cross-validation folds, forest trees.
 *   Any module exporting a default function is a task module.
 * - **Chunk sessions** (`ChunkSession` in `chunks.ts`): the calling thread and some pool workers
 *   share one job's numbered chunks over shared memory, synchronised with `Atomics` — gradient
 *   boosting's histogram jobs, logistic loss shards, batch prediction. A session borrows its
 *   workers from this pool for its lifetime.
 *
 * Workers start on demand, are reused across calls, never keep the process alive while idle, and
 * stop after `IDLE_TIMEOUT_MS` without work. Running from TypeScript sources (tsx, vitest),
 * workers register tsx and load a module's `.ts` source when its compiled `.js` is absent.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Piscina } from "piscina";

/**
 * Cores this process may use: `KEEL_THREADS` if set, else the machine's available parallelism.
 * @example
 * ```ts
 * const threads = availableThreads(); // KEEL_THREADS, else the cores
 * ```
 */
export function availableThreads(): number {
  const env = Number(process.env.KEEL_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  return cores();
}

function cores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Idle workers stop after this long (a later call starts them again). */
export const IDLE_TIMEOUT_MS = 30_000;

let piscina: Piscina | null = null;
let maxWorkers = 0;
/** Tasks submitted and not yet settled, session helpers included. */
let inFlight = 0;

/** Running from TypeScript sources (this file is `.ts`): workers need tsx. */
const fromSource = import.meta.url.endsWith(".ts");

/**
 * The pool, started on first use. At most max(4, 2 × cores, `KEEL_THREADS`) workers: callers
 * bound their own concurrency (`mapConcurrent`, a session's thread count); the cap only stops a
 * runaway.
 */
function pool(): Piscina {
  if (piscina) return piscina;
  maxWorkers = Math.max(4, 2 * cores(), availableThreads());
  // loaded on first use: a command that never runs parallel work never pays for piscina
  const { Piscina: PiscinaPool } = createRequire(import.meta.url)("piscina") as typeof import("piscina");
  piscina = new PiscinaPool({
    minThreads: 0,
    maxThreads: maxWorkers,
    idleTimeout: IDLE_TIMEOUT_MS,
    execArgv: fromSource ? ["--import", "tsx"] : [],
  });
  return piscina;
}

/**
 * The file a module URL or path stands for: itself when it exists (compiled JavaScript), else its
 * TypeScript source beside it (`x.js` → `x.ts`, running from source), else itself.
 * @example
 * ```ts
 * const file = modulePath(new URL("./fold-worker.js", import.meta.url));
 * ```
 */
export function modulePath(module: URL | string): string {
  const file = module instanceof URL ? fileURLToPath(module) : module.startsWith("file:") ? fileURLToPath(module) : module;
  if (!file.endsWith(".js") || existsSync(file)) return file;
  const ts = file.slice(0, -3) + ".ts";
  return existsSync(ts) ? ts : file;
}

const loaded = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Load a module once, in a worker (or anywhere): compiled JavaScript with `import()`; TypeScript
 * sources with `require`, which tsx hooks in workers and which is also how the pool loads task
 * modules from source — so both share one instance of every module (one estimator registry).
 * @throws when the module does not exist, unless `optional`.
 * @example
 * ```ts
 * const mod = await loadModule(new URL("./my-task.js", import.meta.url));
 * ```
 */
export function loadModule(module: URL | string, optional = false): Promise<Record<string, unknown>> {
  const file = modulePath(module);
  let p = loaded.get(file);
  if (!p) {
    if (!existsSync(file)) {
      return optional ? Promise.resolve({}) : Promise.reject(new Error(`module ${String(module)} does not exist`));
    }
    if (file.endsWith(".ts")) {
      const req = typeof require === "function" ? require : createRequire(import.meta.url);
      p = Promise.resolve().then(() => req(file) as Record<string, unknown>);
    } else p = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
    loaded.set(file, p);
  }
  return p;
}

/** Options of `runTask`. */
export interface TaskOptions {
  /** Buffers to move to the worker instead of copying. */
  transferList?: ArrayBuffer[];
  /** Aborting rejects the task (and stops its worker if it is running). */
  signal?: AbortSignal;
  /** The module's export to call (default: its default export). */
  name?: string;
}

/**
 * Run `module`'s default export (or `options.name`) on `task` in a pool worker; the promise gives
 * its result. Typed arrays on SharedArrayBuffers reach the worker as views of the same memory.
 * Tasks beyond the free workers wait in the pool's queue: bound concurrency with `mapConcurrent`.
 *
 * @example
 * const trees = await mapConcurrent(jobs, threads, (job) => runTask<TreeTask, TreeArrays[]>(new URL("./tree-worker.js", import.meta.url), job));
 */
export function runTask<In, Out>(module: URL | string, task: In, options: TaskOptions = {}): Promise<Out> {
  const p = pool();
  inFlight++;
  const run = p.run(task, {
    filename: modulePath(module),
    name: options.name ?? "default",
    transferList: options.transferList as never,
    signal: options.signal as never,
  }) as Promise<Out>;
  const release = () => {
    inFlight--;
  };
  run.then(release, release);
  return run;
}

/**
 * Take up to `wanted` workers for a chunk session: as many as the pool has that no task or other
 * session holds, so that every helper task starts at once (none waits in the queue). The caller
 * submits that many tasks with `runTask`, which hold them until they settle.
 * @example
 * ```ts
 * const helpers = reserveWorkers(availableThreads() - 1);
 * ```
 */
export function reserveWorkers(wanted: number): number {
  pool();
  return Math.max(0, Math.min(wanted, maxWorkers - inFlight));
}

/**
 * A task that does nothing (`warmWorkers` runs it to start workers).
 * @example
 * ```ts
 * await runTask(new URL("./pool.js", import.meta.url), undefined, { name: "noop" });
 * ```
 */
export function noop(): void {}

/**
 * Start up to `n` workers now, in the background (none if the pool already has them idle), so
 * that a later synchronous job finds them ready — e.g. before a batch prediction, or while the
 * calling thread prepares a fit's data.
 * @example
 * ```ts
 * warmWorkers(availableThreads() - 1); // before a synchronous batch prediction
 * ```
 */
export function warmWorkers(n: number): void {
  pool();
  const k = Math.min(n, maxWorkers - inFlight);
  for (let i = 0; i < k; i++) runTask(new URL(import.meta.url), null, { name: "noop" }).catch(() => undefined);
}

/**
 * Run `fn` over `items` with at most `limit` promises pending at once; results keep input order.
 * After a rejection no further item starts, and the first rejection is thrown.
 * @example
 * ```ts
 * const sizes = await mapConcurrent(["a.csv", "b.csv"], 2, async (file) => (await readTable(file)).nRows);
 * ```
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (!failed) {
      const i = next++;
      if (i >= items.length) return;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  });
  await Promise.all(runners);
  return out;
}
