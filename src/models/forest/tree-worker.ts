/**
 * A worker-pool task for forests (`core/pool` `runTask`): builds the trees whose generator
 * states it is given, reading the training data from shared memory.
 */
import type { TreeArrays } from "../tree/index.js";
import { buildTree, type ForestJob } from "./tree-job.js";

export interface TreeTask {
  job: ForestJob;
  states: [number, number, number, number][];
}

export default function buildTrees(task: TreeTask): TreeArrays[] {
  return task.states.map((s) => buildTree(task.job, s));
}
