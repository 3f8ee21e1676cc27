/**
 * Worker-thread entry for cross-validation folds: rebuilds the spec from JSON and the frame from
 * shared memory, fits and scores one fold. Estimator kinds are registered by importing Keel's
 * catalogue (models/ and features/) and any modules the caller lists, since a worker starts with
 * an empty registry.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { specFromJson } from "../../estimator/define.js";
import type { SpecJson } from "../../estimator/types.js";
import { type ErrorData, type FoldJob, type FoldResult, errorData, runFold } from "./fold.js";
import { type FramePayload, frameFromPayload } from "./frame-payload.js";

export interface FoldTask {
  spec: SpecJson;
  frame: FramePayload;
  job: FoldJob;
  /** Module URLs to import first (estimator catalogues). */
  imports: string[];
}

const CATALOGUE = ["../../models/index.js", "../../features/index.js"];
const loaded = new Set<string>();

/**
 * The file a module URL stands for: itself when it exists, else its TypeScript source beside it
 * (`x.js` → `x.ts`, when running from source under tsx), else null.
 */
function existing(url: string): string | null {
  const file = url.startsWith("file:") ? fileURLToPath(url) : url;
  if (existsSync(file)) return file;
  if (file.endsWith(".js") && existsSync(file.slice(0, -3) + ".ts")) return file.slice(0, -3) + ".ts";
  return null;
}

/**
 * Import a module once. TypeScript sources are loaded with `require`, which tsx hooks in worker
 * threads (its ESM hooks do not reach workers on Node 20); compiled JavaScript with `import()`.
 */
async function importOnce(url: string, optional: boolean): Promise<void> {
  if (loaded.has(url)) return;
  const file = existing(url);
  if (file === null) {
    if (optional) {
      loaded.add(url);
      return;
    }
    throw new Error(`module ${url} does not exist`);
  }
  if (file.endsWith(".ts")) {
    const req = typeof require === "function" ? require : createRequire(import.meta.url);
    req(file);
  } else await import(pathToFileURL(file).href);
  loaded.add(url);
}

export default async function foldTask(task: FoldTask): Promise<{ result?: FoldResult; error?: ErrorData }> {
  try {
    for (const rel of CATALOGUE) await importOnce(new URL(rel, import.meta.url).href, true);
    for (const url of task.imports) await importOnce(url, false);
    const spec = specFromJson(task.spec);
    return { result: await runFold(spec, frameFromPayload(task.frame), task.job) };
  } catch (e) {
    return { error: errorData(e) };
  }
}
