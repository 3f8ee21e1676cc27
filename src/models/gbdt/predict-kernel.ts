/**
 * The gradient-boosting prediction kernel of a `core/chunks` session: chunk k adds the forest's
 * scores for its rows into the shared output (see predict-pool.ts).
 */
import { type PredictJob, runPredictChunk } from "./predict-pool.js";

export default function gbdtPredictKernel(job: PredictJob): (k: number) => void {
  return (k) => runPredictChunk(job, k);
}
