/** A pool task for the worker-runtime tests: sums a shared array, or fails when asked. */
import { threadId } from "node:worker_threads";

export default function sum(task: { xs: Float64Array; fail?: string }): { sum: number; threadId: number } {
  if (task.fail) throw new Error(task.fail);
  let s = 0;
  for (const x of task.xs) s += x;
  return { sum: s, threadId };
}

export function double(task: { x: number }): number {
  return 2 * task.x;
}
