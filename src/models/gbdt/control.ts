/**
 * Slots of the shared control array that `ThreadEngine` and its workers synchronise on: the task
 * counter of `core/chunk-pool` (tasks, next, done — see there for the tag packing) plus the
 * engine's own signals in the free slots: a sequence number that announces each job, a stop
 * flag and an error flag.
 */
export { CLOSED, CONTROL_SLOTS, C_DONE, C_NEXT, C_TASKS, SPIN, claimTasks } from "../../core/chunk-pool.js";

export const C_SEQ = 0;
export const C_STOP = 4;
export const C_ERROR = 5;
