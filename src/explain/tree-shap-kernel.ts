/**
 * The TreeSHAP kernel of a `core/chunks` session (see tree-shap-pool.ts): the worker rebuilds the
 * model from its saved state (every model kind of Keel's catalogue is registered here) and the
 * rows from their columns, then runs claimed chunks of row blocks into the shared output.
 */
import "../models/index.js";
import { Frame } from "../data/frame.js";
import { fittedFromArtifact } from "../estimator/define.js";
import { hasTreeView } from "../estimator/tree-view.js";
import { type TreeShapJob, treeShapChunkRunner } from "./tree-shap-pool.js";

export default function treeShapKernel(job: TreeShapJob): (k: number) => void {
  const model = fittedFromArtifact(job.artifact);
  if (!hasTreeView(model)) throw new Error(`TreeSHAP worker: a ${model.spec.kind} has no trees`);
  const view = model.treeView(Frame.fromColumns(new Map(job.columns), job.nRows));
  return treeShapChunkRunner(view, job);
}
