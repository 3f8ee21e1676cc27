/**
 * Starting a raw worker thread (for shared-memory engines that talk through `Atomics`, where a
 * task pool like `WorkerPool` does not fit): the compiled `.js` module when it exists; else
 * (running from TypeScript sources under tsx or vitest) a small bootstrap that registers tsx
 * inside the worker and imports the `.ts` source beside it — Node 20 does not apply `--import`
 * hooks to a worker's entry module.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** Start the worker module `js` (e.g. `new URL("./worker.js", import.meta.url)`) with `workerData`. */
export function startWorker(js: URL, workerData: unknown): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL(js.href.replace(/\.js$/, ".ts")).href;
  let api = "tsx/esm/api";
  try {
    const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
    const esm = cjs.replace(/\.cjs$/, ".mjs");
    api = pathToFileURL(existsSync(esm) ? esm : cjs).href;
  } catch {
    // fall back to resolving from the working directory
  }
  const code = `import(${JSON.stringify(api)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(code, { eval: true, workerData });
}
