/**
 * Building a forest's trees: on the calling thread when one thread is asked for, else on a
 * `WorkerPool` whose workers read the training data from SharedArrayBuffers (one task per tree,
 * so trees of uneven size balance across workers). Results come back in tree order.
 */
import { CancelledError } from "../../core/errors.js";
import { WorkerPool } from "../../core/pool.js";
import type { TreeArrays } from "../tree/index.js";
import { buildTree, type ForestJob } from "./tree-job.js";
import type { TreeTask } from "./tree-worker.js";

export async function growForest(job: ForestJob, states: [number, number, number, number][], threads: number, signal?: AbortSignal): Promise<TreeArrays[]> {
  if (threads <= 1 || states.length === 1) {
    const trees: TreeArrays[] = [];
    for (const s of states) {
      if (signal?.aborted) throw new CancelledError("forest fit cancelled");
      trees.push(buildTree(job, s));
    }
    return trees;
  }
  const pool = new WorkerPool<TreeTask, TreeArrays[]>(new URL("./tree-worker.js", import.meta.url), { threads: Math.min(threads, states.length) });
  try {
    const parts = await Promise.all(
      states.map((s) =>
        pool.run({ job, states: [s] }, { signal }).catch((e: unknown) => {
          if (signal?.aborted) throw new CancelledError("forest fit cancelled", { cause: e });
          throw e;
        }),
      ),
    );
    return parts.flat();
  } finally {
    await pool.close();
  }
}
