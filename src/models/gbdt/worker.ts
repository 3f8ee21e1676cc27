/**
 * A gradient-boosting worker thread: rebuilds the training state over the shared buffers, then
 * waits for jobs published by `ThreadEngine` and claims tasks from the shared counter until none
 * are left. Stops when told to.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type StateTransfer, stateFromTransfer } from "./state.js";
import { runTask } from "./tasks.js";
import { C_DONE, C_ERROR, C_SEQ, C_STOP, SPIN, claimTasks } from "./control.js";

const { transfer, ctrl } = workerData as { transfer: StateTransfer; ctrl: Int32Array };
const state = stateFromTransfer(transfer);
let seen = Atomics.load(ctrl, C_SEQ);
parentPort?.postMessage("ready");
const runOne = (k: number) => runTask(state, k);
for (;;) {
  let spins = 0;
  while (Atomics.load(ctrl, C_SEQ) === seen) {
    if (++spins > SPIN) Atomics.wait(ctrl, C_SEQ, seen, 50);
  }
  seen = Atomics.load(ctrl, C_SEQ);
  if (Atomics.load(ctrl, C_STOP) !== 0) break;
  try {
    claimTasks(ctrl, runOne);
  } catch (e) {
    Atomics.store(ctrl, C_ERROR, 1);
    Atomics.add(ctrl, C_DONE, 1);
    Atomics.notify(ctrl, C_DONE);
    parentPort?.postMessage({ error: String((e as Error)?.stack ?? e) });
  }
}
