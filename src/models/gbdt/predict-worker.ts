/**
 * A prediction worker: for every job message, claims row chunks of that job (and only that job)
 * from the shared counter and adds the forest's scores into the shared output.
 */
import { parentPort, workerData } from "node:worker_threads";
import { claimTasks } from "./control.js";
import { PREDICT_CHUNK, type PredictJob } from "./predict-pool.js";
import { addTreesRange } from "./predict.js";

const { ctrl } = workerData as { ctrl: Int32Array };
parentPort?.on("message", (job: PredictJob) => {
  const { forest, bins, raw, n, p } = job;
  claimTasks(ctrl, (k) => addTreesRange(forest, bins, p, raw, k * PREDICT_CHUNK, Math.min(n, (k + 1) * PREDICT_CHUNK)), job.tag);
});
