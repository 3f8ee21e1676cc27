/**
 * The tree-prediction kernel of a `core/chunks` session: chunk k adds the trees' leaf values for
 * its rows into the shared output (see predict-pool.ts).
 */
import { runChunk, type TreePredictJob } from "./predict-pool.js";

export default function treePredictKernel(job: TreePredictJob): (k: number) => void {
  return (k) => runChunk(job, k);
}
