/**
 * The TreeSHAP kernel of a `core/chunks` session (see tree-shap-pool.ts). With bins, the worker
 * makes the view from the shared model arrays and the rows' codes, and keeps each model's plan
 * (the tables of the trees it has built) across calls, keyed by the model's identity; it builds
 * a tree's tables the first time a claimed group needs them. Without bins, it rebuilds the model
 * from its saved state (kept across calls; this worker entry registers every kind of models/ and
 * features/) and the rows from their columns, then runs claimed chunks of row blocks.
 */
import { Frame } from "../data/frame.js";
import { fittedFromArtifact } from "../estimator/define.js";
import { registerEstimators } from "../estimator/registry.js";
import type { Fitted } from "../estimator/types.js";
import { FEATURE_ESTIMATORS } from "../features/index.js";
import { MODEL_ESTIMATORS } from "../models/index.js";
import { hasTreeView } from "../estimator/tree-view.js";
import { type TreeShapPlan, layoutTreeShap } from "./tree-shap.js";
import { type TreeShapJob, treeShapChunkRunner, treeShapGroupRunner, viewOfShared } from "./tree-shap-pool.js";

/** Models whose plan or fitted state a worker keeps (least recently used dropped first). */
const CACHED_MODELS = 4;
const plans = new Map<string, TreeShapPlan>();
const models = new Map<string, Fitted>();
let registered = false;

function remember<T>(cache: Map<string, T>, key: string, make: () => T, fits: (x: T) => boolean = () => true): T {
  let x = cache.get(key);
  cache.delete(key);
  if (x === undefined || !fits(x)) x = make();
  cache.set(key, x);
  while (cache.size > CACHED_MODELS) cache.delete(cache.keys().next().value!);
  return x;
}

const sameKinds = (a: Int8Array, b: Int8Array) => a.length === b.length && a.every((k, i) => k === b[i]);

export default function treeShapKernel(job: TreeShapJob): (k: number) => void {
  if (job.shared) {
    const view = viewOfShared(job.shared, job.codes!, job.nRows);
    const kinds = job.kinds!;
    const plan = remember(plans, job.modelId, () => ({ ...layoutTreeShap(view), kinds: kinds.slice() }), (p) => sameKinds(p.kinds, kinds));
    return treeShapGroupRunner(view, plan, { rows: job.rows, groupOut: job.groupOut!, spanRows: job.spanRows!, span: job.span! });
  }
  if (!registered) registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS]);
  registered = true;
  const model = remember(models, job.modelId, () => fittedFromArtifact(job.artifact!));
  if (!hasTreeView(model)) throw new Error(`TreeSHAP worker: a ${model.spec.kind} has no trees`);
  const view = model.treeView(Frame.fromColumns(new Map(job.columns!), job.nRows));
  return treeShapChunkRunner(view, job.plan!, { rows: job.rows, values: job.values, chunkRows: job.chunkRows! });
}
