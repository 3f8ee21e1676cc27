/**
 * A tree prediction worker: for every job posted, claims row chunks of that job (and only that
 * job) from the shared counter and adds the trees' leaf values into the shared output.
 */
import { serveChunks } from "../../core/chunk-pool.js";
import { runChunk, type TreePredictJob } from "./predict-pool.js";

serveChunks<TreePredictJob>(runChunk);
