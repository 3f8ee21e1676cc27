/**
 * Slots of the shared control array that `ThreadEngine` and its workers synchronise on, and the
 * packing of the task counter: `NEXT` holds the job's 15-bit tag in its high half and the next
 * task number in its low half, so a task can only be claimed (by compare-and-swap) for the job
 * the claimer read, and a finished job is closed by setting its task number to `CLOSED`.
 */
export const C_SEQ = 0;
export const C_TASKS = 1;
export const C_NEXT = 2;
export const C_DONE = 3;
export const C_STOP = 4;
export const C_ERROR = 5;
export const CONTROL_SLOTS = 8;
/** Task number meaning "no more tasks"; jobs have fewer tasks than this. */
export const CLOSED = 0xffff;
/** Polls of the control array before a thread goes to sleep in `Atomics.wait`. */
export const SPIN = 20_000;

/**
 * Claim and run tasks of the current job until none is left; returns how many this thread ran.
 * Shared by the main thread and the workers. With `tag`, only tasks of that job are claimed (for
 * threads told about a job by message, which may arrive after the job is over).
 */
export function claimTasks(ctrl: Int32Array, run: (k: number) => void, tag = -1): number {
  let ran = 0;
  for (;;) {
    const cur = Atomics.load(ctrl, C_NEXT);
    if (tag >= 0 && cur >>> 16 !== tag) return ran;
    const k = cur & 0xffff;
    if (k >= Atomics.load(ctrl, C_TASKS)) return ran;
    if (Atomics.compareExchange(ctrl, C_NEXT, cur, cur + 1) !== cur) continue;
    run(k);
    ran++;
    Atomics.add(ctrl, C_DONE, 1);
    Atomics.notify(ctrl, C_DONE);
  }
}
