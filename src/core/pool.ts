/**
 * A worker-thread pool for CPU-heavy work (cross-validation folds, forest trees, histogram
 * building), on piscina. Worker modules are ES modules exporting a default task function.
 * When the module is TypeScript source (tests, `tsx`), workers load it through tsx.
 */
import os from "node:os";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";

/** Cores this process may use: `KEEL_THREADS` if set, else the machine's available parallelism. */
export function availableThreads(): number {
  const env = Number(process.env.KEEL_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

export interface PoolOptions {
  /** Worker threads to start at most (default: `availableThreads()`). */
  threads?: number;
  /** Stop idle workers after this many milliseconds (default 2 s). */
  idleTimeoutMs?: number;
}

/** A pool of workers running one module. `run` sends a task, the promise gives its result. */
export class WorkerPool<In = unknown, Out = unknown> {
  private readonly piscina: Piscina;
  readonly threads: number;

  /** @param module URL or path of the worker module (e.g. `new URL("./fold-worker.js", import.meta.url)`). */
  constructor(module: URL | string, options: PoolOptions = {}) {
    const filename = module instanceof URL ? fileURLToPath(module) : module;
    const resolved = resolveSource(filename);
    this.threads = Math.max(1, options.threads ?? availableThreads());
    this.piscina = new Piscina({
      filename: resolved,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: options.idleTimeoutMs ?? 2000,
      execArgv: resolved.endsWith(".ts") ? ["--import", "tsx"] : [],
    });
  }

  run(task: In, options: { transferList?: ArrayBuffer[]; signal?: AbortSignal } = {}): Promise<Out> {
    return this.piscina.run(task, {
      transferList: options.transferList as never,
      signal: options.signal as never,
    }) as Promise<Out>;
  }

  /** Stop all workers. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

/**
 * A compiled `.js` worker path resolves to itself when it exists (production), and to its `.ts`
 * source beside it otherwise (running under tsx or vitest).
 */
function resolveSource(filename: string): string {
  if (!filename.endsWith(".js") || existsSync(filename)) return filename;
  const ts = filename.slice(0, -3) + ".ts";
  return existsSync(ts) ? ts : filename;
}

/** Run `fn` over `items` with at most `limit` promises pending at once; results keep input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}
