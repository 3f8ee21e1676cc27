/**
 * The gradient-boosting kernel of a `SharedEngine` session (`core/chunks`): in a pool worker,
 * rebuilds the training state over the shared buffers once per fit; each chunk is one task of
 * the job the main thread described in `state.job` (a class-tree job's tasks go to class-trees.ts).
 */
import { growClassTreeTask } from "./class-trees.js";
import { type StateTransfer, stateFromTransfer } from "./state.js";
import { JOB_GROW_TREES, runTask } from "./tasks.js";

export default function gbdtKernel(init: { transfer: StateTransfer }): (k: number) => void {
  const state = stateFromTransfer(init.transfer);
  return (k) => (state.job[0] === JOB_GROW_TREES ? growClassTreeTask(state, k) : runTask(state, k));
}
