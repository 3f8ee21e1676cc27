/**
 * The TreeSHAP kernel of a `core/chunks` session for views without bins (trees, forests; see
 * tree-shap-pool.ts): the worker rebuilds the model from its saved state (kept across calls,
 * keyed by the model's identity; this worker entry registers every kind of models/ and features/)
 * and the rows from their columns, so it routes rows as the calling thread does, then runs
 * claimed chunks of row blocks with the calling thread's plan.
 */
import { Frame } from "../data/index.js";
import { fittedFromArtifact, registerEstimators, type Fitted, hasTreeView } from "../estimator/index.js";
import { FEATURE_ESTIMATORS } from "../features/index.js";
import { MODEL_ESTIMATORS } from "../models/index.js";
import { type TreeShapJob, treeShapChunkRunner } from "./tree-shap-pool.js";
import { remember } from "./tree-shap-kernel.js";

const models = new Map<string, Fitted>();
let registered = false;

export default function treeShapModelKernel(job: TreeShapJob): (k: number) => void {
  if (!registered) registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS]);
  registered = true;
  const model = remember(models, job.modelId, () => fittedFromArtifact(job.artifact!));
  if (!hasTreeView(model)) throw new Error(`TreeSHAP worker: a ${model.spec.kind} has no trees`);
  const view = model.treeView(Frame.fromColumns(new Map(job.columns!), job.nRows));
  return treeShapChunkRunner(view, job.plan!, { rows: job.rows, values: job.values, chunkRows: job.chunkRows! });
}
