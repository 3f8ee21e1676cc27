/**
 * The TreeSHAP kernel of a `core/chunks` session (see tree-shap-pool.ts): the worker rebuilds the
 * model from its saved state (this worker entry registers every kind of models/ and features/)
 * and the rows from their columns, then runs claimed chunks of row blocks into the shared output.
 */
import { Frame } from "../data/index.js";
import { fittedFromArtifact, registerEstimators, hasTreeView } from "../estimator/index.js";
import { FEATURE_ESTIMATORS } from "../features/index.js";
import { MODEL_ESTIMATORS } from "../models/index.js";
import { type TreeShapJob, treeShapChunkRunner } from "./tree-shap-pool.js";

export default function treeShapKernel(job: TreeShapJob): (k: number) => void {
  registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS]);
  const model = fittedFromArtifact(job.artifact);
  if (!hasTreeView(model)) throw new Error(`TreeSHAP worker: a ${model.spec.kind} has no trees`);
  const view = model.treeView(Frame.fromColumns(new Map(job.columns), job.nRows));
  return treeShapChunkRunner(view, job);
}
