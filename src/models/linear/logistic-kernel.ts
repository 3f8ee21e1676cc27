/**
 * The logistic objective's kernel for a `core/chunks` session: in a pool worker, chunk `s` is
 * shard `s` of the loss and gradient at the shared coefficients, written into the shared
 * partials (see logistic-objective.ts).
 */
import { type LogisticKernelInit, shardRunner } from "./logistic-objective.js";

export default function logisticKernel(init: LogisticKernelInit): (s: number) => void {
  const run = shardRunner(init);
  return (s) => run(s, init.w);
}
