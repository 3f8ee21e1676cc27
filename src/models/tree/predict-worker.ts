/**
 * A tree prediction worker: for every job message, claims row chunks of that job (and only that
 * job) from the shared counter and adds the trees' leaf values into the shared output.
 */
import { parentPort, workerData } from "node:worker_threads";
import { claimChunks, runChunk, type TreePredictJob } from "./predict-pool.js";

const { ctrl } = workerData as { ctrl: Int32Array };
parentPort?.on("message", (job: TreePredictJob) => {
  claimChunks(ctrl, (k) => runChunk(job, k), job.tag);
});
