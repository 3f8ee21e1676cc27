/**
 * Who runs a job's tasks: the main thread alone (`LocalEngine`), or the main thread together with
 * workers of the worker pool over shared memory (`SharedEngine`, a `core/chunks` session whose
 * kernel is kernel.ts). Both run the same `runTask`, so a fit gives the same model with any
 * number of threads.
 */
import { ChunkSession } from "../../core/index.js";
import { type TrainState, stateTransfer } from "./state.js";
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

/**
 * The training state (on SharedArrayBuffers) shared with up to `threads − 1` pool workers for one
 * fit. The main thread publishes a job (its parameters in `state.job`) and every thread claims
 * its tasks; jobs come every few hundred microseconds while a tree grows, which the session's
 * spinning helpers follow without messages. Await `started()` before the first `run`.
 */
export class SharedEngine implements Engine {
  readonly threads: number;
  private readonly session: ChunkSession;
  private readonly runOne = (k: number) => runTask(this.state, k);

  constructor(readonly state: TrainState, threads: number) {
    this.session = ChunkSession.open(new URL("./kernel.js", import.meta.url), { transfer: stateTransfer(state) }, threads);
    this.threads = 1 + this.session.helpers;
  }

  /** Resolves when every worker has rebuilt the state and waits for jobs. */
  started(): Promise<void> {
    return this.session.started();
  }

  /** `here`: how this thread runs a task, when not by `runTask` (the workers' kernel.ts dispatches the same job to the same function). */
  run(nTasks: number, here: (k: number) => void = this.runOne): void {
    this.session.run(nTasks, here);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
