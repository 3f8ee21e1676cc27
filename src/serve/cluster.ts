/**
 * `keel serve --workers N`: N processes behind one port (node:cluster; the primary hands
 * connections round-robin to the workers, each holding its own copy of the models). The primary
 * loads no model: it starts the workers, replaces one that dies, answers the workers' requests
 * for the cluster's metrics — prom-client's `AggregatorRegistry` gathers every worker's registry
 * and sums them, so `/metrics` on any worker shows the whole server — and on SIGTERM tells every
 * worker to drain, then exits 0 once they have.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { ServeMetrics } from "./metrics.js";

const METRICS_REQ = "keel-serve:metrics-req";
const METRICS_RES = "keel-serve:metrics-res";
const READY = "keel-serve:ready";

/**
 * Whether this process is a worker of a `--workers` cluster.
 * @example
 * ```ts
 * if (!isServeWorker()) await runServeCluster({ workers: 4 });
 * ```
 */
export function isServeWorker(): boolean {
  return cluster.isWorker;
}

/** Options of `runServeCluster`. */
export interface ServeClusterOptions {
  workers: number;
  /** Told when every worker listens: the URL the first one reported, and the workers' pids. */
  onReady?: (url: string, pids: number[]) => void;
  onExit?: (pid: number, code: number | null, signal: string | null, replaced: boolean) => void;
}

/**
 * Run the primary of a serving cluster: fork `workers` copies of this command (each runs it as a
 * worker), keep them running, and on SIGTERM/SIGINT drain them all. Resolves when the cluster has
 * stopped.
 * @example
 * ```ts
 * await runServeCluster({ workers: 4, onReady: (url, pids) => console.log(`serving on ${url} with ${pids.length} workers`) });
 * ```
 */
export async function runServeCluster(options: ServeClusterOptions): Promise<void> {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const ready = new Map<number, string>();
  let announced = false;
  let startFailures = 0;

  const onMessage = (worker: Worker, message: unknown) => {
    const m = message as { type?: string; id?: number; url?: string };
    if (m?.type === READY && typeof m.url === "string") {
      ready.set(worker.id, m.url);
      if (!announced && ready.size === options.workers) {
        announced = true;
        options.onReady?.(m.url, Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!));
      }
    } else if (m?.type === METRICS_REQ) {
      aggregator.clusterMetrics().then(
        (body) => worker.send({ type: METRICS_RES, id: m.id, body, contentType: aggregator.contentType }),
        (e: Error) => worker.send({ type: METRICS_RES, id: m.id, error: e.message }),
      );
    }
  };
  cluster.on("message", onMessage);

  const done = new Promise<void>((resolve, reject) => {
    cluster.on("exit", (worker, code, signal) => {
      const wasReady = ready.delete(worker.id);
      const replace = !stopping && (wasReady || announced);
      if (!wasReady && !announced) startFailures++;
      options.onExit?.(worker.process.pid!, code, signal, replace);
      if (!stopping && startFailures > 0 && !announced) {
        // a worker could not start (a bad model reference, a taken port): stop the rest and fail
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      }
      if (replace) cluster.fork();
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        cluster.off("message", onMessage);
        if (startFailures > 0 && !announced) reject(new Error(`a serving worker exited with ${code ?? signal} before it listened`));
        else resolve();
      }
    });
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  for (let i = 0; i < options.workers; i++) cluster.fork();
  try {
    await done;
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  }
}

/**
 * In a worker: let the primary read this worker's metrics registry, tell it the worker listens,
 * and return what `/metrics` should answer with (the whole cluster's metrics, asked of the primary).
 * @example
 * ```ts
 * const clusterMetrics = joinServeCluster(metrics, "http://127.0.0.1:8080");
 * ```
 */
export function joinServeCluster(metrics: ServeMetrics, url: string): () => Promise<{ body: string; contentType: string }> {
  new AggregatorRegistry(); // adds the worker's listener for the primary's requests
  AggregatorRegistry.setRegistries([metrics.registry]);
  let next = 0;
  const waiting = new Map<number, { resolve: (v: { body: string; contentType: string }) => void; reject: (e: Error) => void }>();
  process.on("message", (message: unknown) => {
    const m = message as { type?: string; id?: number; body?: string; contentType?: string; error?: string };
    if (m?.type !== METRICS_RES || m.id === undefined) return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(`cluster metrics: ${m.error}`));
    else w.resolve({ body: m.body ?? "", contentType: m.contentType ?? "text/plain" });
  });
  process.send?.({ type: READY, url });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      process.send?.({ type: METRICS_REQ, id });
      setTimeout(() => {
        if (waiting.delete(id)) reject(new Error("cluster metrics: the primary did not answer within 5 s"));
      }, 5000).unref();
    });
}
