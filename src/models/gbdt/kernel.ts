/**
 * The gradient-boosting kernel of a `SharedEngine` session (`core/chunks`): in a pool worker,
 * rebuilds the training state over the shared buffers once per fit; each chunk is one task of
 * the job the main thread described in `state.job`.
 */
import { type StateTransfer, stateFromTransfer } from "./state.js";
import { runTask } from "./tasks.js";

export default function gbdtKernel(init: { transfer: StateTransfer }): (k: number) => void {
  const state = stateFromTransfer(init.transfer);
  return (k) => runTask(state, k);
}
