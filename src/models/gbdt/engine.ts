/**
 * Who runs a job's tasks: the main thread alone (`LocalEngine`), or the main thread together with
 * a pool of workers over shared memory (`ThreadEngine`, in thread-engine.ts). Both run the same
 * `runTask`, so a fit gives the same model with any number of threads.
 */
import type { TrainState } from "./state.js";
import { runTask } from "./tasks.js";

export interface Engine {
  readonly state: TrainState;
  readonly threads: number;
  /** Run tasks 0..nTasks−1 of the job described in `state.job`; returns when all are done. */
  run(nTasks: number): void;
  close(): Promise<void>;
}

export class LocalEngine implements Engine {
  readonly threads = 1;
  constructor(readonly state: TrainState) {}

  run(nTasks: number): void {
    for (let k = 0; k < nTasks; k++) runTask(this.state, k);
  }

  async close(): Promise<void> {}
}
