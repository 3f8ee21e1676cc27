/**
 * The TreeSHAP kernel of a `core/chunks` session for views with bins (see tree-shap-pool.ts): the
 * worker makes the view from the shared model arrays and the rows' codes, and keeps each model's
 * plan (the tables of the trees it has built) across calls, keyed by the model's identity; it
 * builds a tree's tables the first time a claimed group needs them. It imports no model code, so
 * a worker loads it quickly (views without bins use `tree-shap-model-kernel.ts`).
 */
import { type TreeShapPlan, layoutTreeShap } from "./tree-shap.js";
import { type TreeShapJob, treeShapGroupRunner, viewOfShared } from "./tree-shap-pool.js";

/** Models whose plan or fitted state a worker keeps (least recently used dropped first). */
const CACHED_MODELS = 4;
const plans = new Map<string, TreeShapPlan>();

/** `cache[key]`, made (or remade when `fits` rejects it) and marked most recently used; at most `CACHED_MODELS` kept. */
export function remember<T>(cache: Map<string, T>, key: string, make: () => T, fits: (x: T) => boolean = () => true): T {
  let x = cache.get(key);
  cache.delete(key);
  if (x === undefined || !fits(x)) x = make();
  cache.set(key, x);
  while (cache.size > CACHED_MODELS) cache.delete(cache.keys().next().value!);
  return x;
}

const sameKinds = (a: Int8Array, b: Int8Array) => a.length === b.length && a.every((k, i) => k === b[i]);

export default function treeShapKernel(job: TreeShapJob): (k: number) => void {
  if (!job.shared) throw new Error("TreeSHAP worker: a job without bins goes to tree-shap-model-kernel");
  const view = viewOfShared(job.shared, job.codes!, job.nRows);
  const kinds = job.kinds!;
  const plan = remember(plans, job.modelId, () => ({ ...layoutTreeShap(view), kinds: kinds.slice() }), (p) => sameKinds(p.kinds, kinds));
  return treeShapGroupRunner(view, plan, { rows: job.rows, groupOut: job.groupOut!, spanRows: job.spanRows!, span: job.span! });
}
