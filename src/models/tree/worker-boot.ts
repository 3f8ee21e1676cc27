/**
 * Starting this module's worker threads (a copy of `models/gbdt/worker-boot.ts` resolving names
 * beside this file): the compiled `<name>.js` when it exists; else (running from TypeScript
 * sources under tsx or vitest) a small bootstrap that registers tsx inside the worker and imports
 * `<name>.ts` — Node 20 does not apply `--import` hooks to a worker's entry module.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** Start worker `name` (a module beside this file) with `workerData`. */
export function startWorker(name: string, workerData: unknown): Worker {
  const js = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL(`./${name}.ts`, import.meta.url).href;
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
