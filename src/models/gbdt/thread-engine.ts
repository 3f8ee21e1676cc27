/**
 * A persistent pool of `worker_threads` for one fit, sharing the training buffers
 * (`SharedArrayBuffer`) and synchronised with `Atomics` on a small control array: the main thread
 * publishes a job (its parameters in `state.job`, then a tagged task counter and a new sequence
 * number), every thread — the main one included — claims task numbers from the counter by
 * compare-and-swap until none are left, and the main thread waits only for the claimed tasks to
 * finish, never for an idle worker to wake up (which matters on a busy machine). Workers spin
 * briefly before sleeping in `Atomics.wait`, since jobs come every few hundred microseconds
 * while a tree grows.
 */
import type { Worker } from "node:worker_threads";
import { C_DONE, C_ERROR, C_NEXT, C_SEQ, C_STOP, C_TASKS, CLOSED, CONTROL_SLOTS, SPIN, claimTasks } from "./control.js";
import type { Engine } from "./engine.js";
import { startWorker } from "../../core/worker-boot.js";
import { type TrainState, stateTransfer } from "./state.js";
import { runTask } from "./tasks.js";

export class ThreadEngine implements Engine {
  readonly threads: number;
  private readonly ctrl: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>;
  private errorText: string | null = null;
  private tag = 0;
  private readonly runOne = (k: number) => runTask(this.state, k);

  /** Start `threads − 1` workers (the main thread is the last one). Await `started()` before `run`. */
  constructor(readonly state: TrainState, threads: number) {
    this.threads = threads;
    this.ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    this.ctrl[C_NEXT] = CLOSED;
    const transfer = stateTransfer(state);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < threads - 1; i++) {
      const w = startWorker(new URL("./worker.js", import.meta.url), { transfer, ctrl: this.ctrl });
      w.unref();
      pending.push(
        new Promise<void>((resolve, reject) => {
          w.once("message", () => resolve());
          w.once("error", (e) => {
            this.errorText = String((e as Error)?.message ?? e);
            reject(e);
          });
        }),
      );
      this.workers.push(w);
    }
    this.ready = Promise.all(pending).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  started(): Promise<void> {
    return this.ready;
  }

  run(nTasks: number): void {
    const ctrl = this.ctrl;
    const s = this.state;
    if (nTasks <= 1 || this.workers.length === 0) {
      for (let k = 0; k < nTasks; k++) runTask(s, k);
      return;
    }
    if (nTasks >= CLOSED) throw new Error(`gbdt: a job of ${nTasks} tasks is more than the engine can count`);
    // publish: the count first, then the open counter with a new tag, then wake the workers
    this.tag = (this.tag + 1) & 0x7fff;
    Atomics.store(ctrl, C_TASKS, nTasks);
    Atomics.store(ctrl, C_DONE, 0);
    Atomics.store(ctrl, C_NEXT, this.tag << 16);
    Atomics.add(ctrl, C_SEQ, 1);
    Atomics.notify(ctrl, C_SEQ);
    claimTasks(ctrl, this.runOne);
    // every task claimed; wait for the ones other threads are still running
    let spins = 0;
    for (;;) {
      const done = Atomics.load(ctrl, C_DONE);
      if (done >= nTasks) break;
      if (++spins > SPIN) Atomics.wait(ctrl, C_DONE, done, 1);
    }
    // close the job: a thread that read it too late cannot claim anything more
    Atomics.store(ctrl, C_NEXT, (this.tag << 16) | CLOSED);
    if (Atomics.load(ctrl, C_ERROR) !== 0) throw new Error(`gbdt worker failed: ${this.errorText ?? "see worker error"}`);
  }

  async close(): Promise<void> {
    Atomics.store(this.ctrl, C_STOP, 1);
    Atomics.add(this.ctrl, C_SEQ, 1);
    Atomics.notify(this.ctrl, C_SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

