/**
 * A prediction worker: for every job posted, claims row chunks of that job (and only that job)
 * from the shared counter and adds the forest's scores into the shared output.
 */
import { serveChunks } from "../../core/chunk-pool.js";
import { type PredictJob, runPredictChunk } from "./predict-pool.js";

serveChunks<PredictJob>(runPredictChunk);
