/**
 * The worker-pool task (`core/pool` `runTask`) for one cross-validation fold: rebuilds the spec
 * from JSON and the frame from shared memory, fits and scores the fold. As a worker entry it
 * registers Keel's kinds (`MODEL_ESTIMATORS`, `FEATURE_ESTIMATORS`) and those of the modules the
 * caller lists (`workerImports`: each exports `estimators`, a list of definitions or spec
 * factories), since a worker starts with an empty registry. Pool workers are reused, so a worker
 * may hold kinds an earlier task's modules registered: a task may use only Keel's kinds and those
 * of its own modules, as if its worker were new — whether a fold fails must not depend on which
 * worker it lands on.
 */
import { NotFoundError, show, loadModule } from "../../core/index.js";
import { specFromJson, type EstimatorEntry, registerEstimators, type SpecJson } from "../../estimator/index.js";
import { FEATURE_ESTIMATORS } from "../../features/index.js";
import { MODEL_ESTIMATORS } from "../../models/index.js";
import { type ErrorData, type FoldJob, type FoldResult, errorData, runFold } from "./fold.js";
import { type FramePayload, frameFromPayload } from "./frame-payload.js";

export interface FoldTask {
  spec: SpecJson;
  frame: FramePayload;
  job: FoldJob;
  /** Module URLs whose `estimators` export lists the extra kinds to register. */
  imports: string[];
}

/** A fold's result, or the error it raised (as data: errors cross threads as plain objects). */
export interface FoldOutcome {
  result?: FoldResult;
  error?: ErrorData;
}

const KEEL = [...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS];
const kindOf = (e: EstimatorEntry) => ("definition" in e ? e.definition : e).kind;

/** The kinds a listed module exports in `estimators`, registered here (once per module and worker). */
const kindsBy = new Map<string, Promise<string[]>>();

function load(url: string): Promise<string[]> {
  let kinds = kindsBy.get(url);
  if (!kinds) {
    kinds = loadModule(url).then((m) => {
      const list = m.estimators;
      if (!Array.isArray(list)) throw new NotFoundError(`module ${url} (in workerImports) exports no estimators list; export const estimators = [yourEstimator, ...]`, { path: "workerImports", expected: "a module exporting estimators", received: url });
      registerEstimators(list as EstimatorEntry[]);
      return (list as EstimatorEntry[]).map(kindOf);
    });
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
    registerEstimators(KEEL);
    const allowed = new Set<string>(KEEL.map(kindOf));
    for (const url of task.imports) for (const k of await load(url)) allowed.add(k);
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
