/**
 * The worker-pool task (`core/pool` `runTask`) for one cross-validation fold: rebuilds the spec
 * from JSON and the frame from shared memory, fits and scores the fold. Estimator kinds are
 * registered by loading Keel's catalogue (models/ and features/) and any modules the caller
 * lists, since a worker starts with an empty registry. Pool workers are reused, so a worker may
 * hold kinds an earlier task's modules registered: a task may use only the catalogue's kinds and
 * those of its own modules, as if its worker were new — whether a fold fails must not depend on
 * which worker it lands on.
 */
import { NotFoundError, show } from "../../core/errors.js";
import { loadModule } from "../../core/pool.js";
import { estimatorDefinitions, specFromJson } from "../../estimator/define.js";
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

/** A fold's result, or the error it raised (as data: errors cross threads as plain objects). */
export interface FoldOutcome {
  result?: FoldResult;
  error?: ErrorData;
}

const CATALOGUE = ["../../models/index.js", "../../features/index.js"];

/** The kinds each loaded module registered (by its first load in this worker). */
const kindsBy = new Map<string, string[]>();

async function load(url: string, optional: boolean): Promise<string[]> {
  let kinds = kindsBy.get(url);
  if (!kinds) {
    const before = new Set(estimatorDefinitions().map((d) => d.kind));
    await loadModule(url, optional);
    kinds = estimatorDefinitions()
      .map((d) => d.kind)
      .filter((k) => !before.has(k));
    kindsBy.set(url, kinds);
  }
  return kinds;
}

/** Every `kind` in a spec's JSON, nested specs (pipeline steps) included. */
function kindsIn(json: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(json)) for (const v of json) kindsIn(v, out);
  else if (json && typeof json === "object") {
    const o = json as Record<string, unknown>;
    if (typeof o.kind === "string" && o.params && typeof o.params === "object") out.add(o.kind);
    for (const v of Object.values(o)) kindsIn(v, out);
  }
  return out;
}

export default async function foldTask(task: FoldTask): Promise<FoldOutcome> {
  try {
    const allowed = new Set<string>();
    for (const rel of CATALOGUE) for (const k of await load(new URL(rel, import.meta.url).href, true)) allowed.add(k);
    for (const url of task.imports) for (const k of await load(url, false)) allowed.add(k);
    for (const kind of kindsIn(task.spec, new Set())) {
      if (!allowed.has(kind)) {
        throw new NotFoundError(`unknown estimator kind ${show(kind)}; known kinds: ${[...allowed].sort().join(", ")}`, { path: "kind", expected: "a registered estimator kind", received: kind });
      }
    }
    const spec = specFromJson(task.spec);
    return { result: await runFold(spec, frameFromPayload(task.frame), task.job) };
  } catch (e) {
    return { error: errorData(e) };
  }
}
