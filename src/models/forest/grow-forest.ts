/**
 * Building a forest's trees: on the calling thread when one thread is asked for, else as tasks
 * on the worker pool (`core/pool`), at most `threads` at a time, whose workers read the training
 * data from SharedArrayBuffers (one task per tree, so trees of uneven size balance across
 * workers). Results come back in tree order.
 */
import { CancelledError, mapConcurrent, runTask } from "../../core/index.js";
import type { TreeArrays } from "../tree/index.js";
import { buildTree, type ForestJob } from "./tree-job.js";
import type { TreeTask } from "./tree-worker.js";

const TREE_WORKER = new URL("./tree-worker.js", import.meta.url);

export async function growForest(job: ForestJob, states: [number, number, number, number][], threads: number, signal?: AbortSignal): Promise<TreeArrays[]> {
  if (threads <= 1 || states.length === 1) {
    const trees: TreeArrays[] = [];
    for (const s of states) {
      if (signal?.aborted) throw new CancelledError("forest fit cancelled");
      trees.push(buildTree(job, s));
    }
    return trees;
  }
  const parts = await mapConcurrent(states, threads, async (s) => {
    if (signal?.aborted) throw new CancelledError("forest fit cancelled");
    return runTask<TreeTask, TreeArrays[]>(TREE_WORKER, { job, states: [s] }, { signal }).catch((e: unknown) => {
      if (signal?.aborted) throw new CancelledError("forest fit cancelled", { cause: e });
      throw e;
    });
  });
  return parts.flat();
}
