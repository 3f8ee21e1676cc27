/**
 * Distributed tuning: worker processes on any number of machines run the trials of one study in
 * the tracking store, handed out by a PostgreSQL job queue (pg-boss 10, in a schema of its own,
 * on the store's database — `postgresConnection` of the backend layer).
 *
 * The model is Optuna's — workers share the study's storage and each asks the sampler for a
 * trial's parameters when it starts it (so TPE sees every finished and running trial, with its
 * constant liar) — with the queue carrying *trial numbers*:
 *
 * - The study's owner (`enqueueTrials`, `keel tune --queue`) creates the trials as waiting runs,
 *   numbered atomically by the store, and sends one job per trial: `{ trial, attempt: 0 }`.
 * - A worker fetches a job (pg-boss: `FOR UPDATE SKIP LOCKED`, one worker per job), claims that
 *   trial (running, `keel.trial.attempt`), samples or — on a retry — reuses its parameters, runs
 *   the objective while it beats (`core/heartbeat.ts` on the trial's run), then completes the job
 *   with the outcome and only if that succeeded tells the study.
 * - **Each attempt is its own job**, with an id derived from (study run, trial, attempt). pg-boss
 *   completes a job only while it is active and fails it only before it completed, each in one
 *   statement on one row, so the job is the arbiter: of a completion and a declared death, exactly
 *   one wins. A worker whose job was failed drops its result; a trial completes exactly once.
 * - **Stale-trial recovery**: a worker whose heartbeat stopped (killed, its machine lost) has its
 *   trial's run marked FAILED by any reaper (`failStaleRuns`: every idle worker, and every
 *   `keel run`). The trial still says "running": it is *lost*. Every worker's reaper fails the lost
 *   attempt's job and sends the next attempt's (same trial, its parameters and reported values
 *   kept) under its derived id, so however many reapers see it, one retry is queued. If the lost
 *   worker had completed its job but died before writing the trial, the job's output is written.
 *
 * A worker ends when no job waits and every trial of the study is finished.
 */
import { createHash } from "node:crypto";
import { postgresConnection } from "../backend/index.js";
import { isKeelError, HEARTBEAT_MISSES, heartbeatInterval, startHeartbeat, type Json } from "../core/index.js";
import { type PrunerSpec, createPruner } from "./pruners/index.js";
import { type SamplerSpec, createSampler } from "./samplers/index.js";
import type { StudyRecord, TrialRecord, TrialState, TuneStorage } from "./storage.js";
import { type Objective, Study } from "./study.js";
import type { TrackingTuneStorage } from "./tracking-storage.js";
import { TrialPruned } from "./trial.js";

/** A job of the queue: one attempt at one trial. */
interface TrialJob {
  trial: number;
  attempt: number;
}

/** What a completed job holds: the attempt's outcome, so a reaper can write it if its worker could not. */
interface Outcome {
  state: "complete" | "pruned" | "failed";
  value: number | null;
}

/** A tuning queue's heartbeat, polling and reaping intervals, and an event listener. */
export interface TuneQueueOptions {
  /** Heartbeat interval of a running trial, ms (default `KEEL_HEARTBEAT_MS`, else 10 s); it is presumed dead after 6 missed beats. */
  heartbeatMs?: number;
  /** How often an idle worker looks for a job, ms (default 1000). */
  pollMs?: number;
  /** How often a worker looks for lost trials, ms (default: the heartbeat timeout, 6 beats). */
  reapMs?: number;
  /** Told what the worker does (claims, outcomes, retries), one event at a time. */
  onEvent?(event: WorkerEvent): void;
}

/** What a worker tells `onEvent`: a claim, a trial told, an attempt dropped or retried, a trial recovered. */
export type WorkerEvent =
  | { event: "claim"; trial: number; attempt: number }
  | { event: "told"; trial: number; attempt: number; state: TrialState; value: number | null }
  | { event: "dropped"; trial: number; attempt: number; reason: string }
  | { event: "retry"; trial: number; attempt: number }
  | { event: "recovered"; trial: number; attempt: number; state: TrialState };

/** What `TuneQueue.work` did: trials told by state, and lost attempts it queued again. */
export interface WorkSummary {
  /** Trials this worker told, by final state. */
  told: Record<string, number>;
  /** Attempts of other workers this worker's reaper queued again. */
  retried: number;
}

/**
 * The schema pg-boss keeps its tables in: beside the store's own schema, or `keel_queue`.
 *
 * @example
 * queueSchema("team_a"); // "team_a_queue"
 */
export function queueSchema(storeSchema: string | undefined): string {
  return storeSchema === undefined ? "keel_queue" : `${storeSchema}_queue`;
}

/**
 * The queue of one study over its tracking storage (a PostgreSQL store). Open it, then
 * `enqueueTrials` (the owner) or `work` (a worker); `close` when done.
 * @example
 * const queue = await openTuneQueue(trackingStorage(await openStore("postgres://db/keel")), "credit-gbdt");
 * await queue.work(objective);
 * await queue.close();
 */
export async function openTuneQueue(storage: TrackingTuneStorage, study: string, options: TuneQueueOptions = {}): Promise<TuneQueue> {
  const conn = postgresConnection(storage.store.backend, "a distributed study");
  const studyRunId = await storage.studyRunId(study);
  const { default: PgBoss } = await import("pg-boss");
  const boss = new PgBoss({ connectionString: conn.connectionString, schema: queueSchema(conn.schema), max: 3, schedule: false, archiveCompletedAfterSeconds: 7 * 86_400 });
  boss.on("error", () => undefined); // maintenance errors are retried by pg-boss; a worker's own calls throw
  await boss.start();
  const name = `keel-tune-${studyRunId}`;
  if (!(await boss.getQueue(name))) {
    // no pg-boss retries: each attempt is a job of its own (see the module comment); expiry is a backstop only
    await boss.createQueue(name, { name, policy: "standard", retryLimit: 0, expireInHours: 23 }).catch(async (e: unknown) => {
      if (!(await boss.getQueue(name))) throw e; // else a concurrent opener created it
    });
  }
  return new TuneQueue(storage, study, studyRunId, boss, name, options);
}

type Boss = import("pg-boss");

/**
 * One study's trial queue over pg-boss (open it with `openTuneQueue`): the owner enqueues trials,
 * workers `work` them with heartbeats, and any worker's reaper retries a dead worker's trial as the
 * same trial.
 *
 * @example
 * const queue = await openTuneQueue(trackingStorage(await openStore("postgres://db/keel")), "credit-gbdt");
 * await queue.enqueueTrials(60);
 * console.log(await queue.counts()); // { waiting: 60, running: 0, ... }
 * await queue.close();
 */
export class TuneQueue {
  private lastReap = 0;
  /** The study as stored (direction, sampler and pruner specs), read once. */
  private record?: StudyRecord;

  constructor(
    readonly storage: TrackingTuneStorage,
    readonly study: string,
    private readonly studyRunId: string,
    private readonly boss: Boss,
    /** The pg-boss queue of this study. */
    readonly queueName: string,
    private readonly options: TuneQueueOptions,
  ) {}

  /** The job id of an attempt: the same for every process, so sending it twice queues it once. */
  private jobId(trial: number, attempt: number): string {
    const h = createHash("sha1").update(`${this.studyRunId}/${trial}/${attempt}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Sends an attempt's job (retries first); false when that attempt's job exists already. */
  private async send(job: TrialJob): Promise<boolean> {
    const id = await this.boss.send(this.queueName, job as unknown as object, { id: this.jobId(job.trial, job.attempt), priority: job.attempt > 0 ? 1 : 0 });
    return id !== null;
  }

  /** The owner's part: `n` new waiting trials of the study, and a job for each. Returns their numbers. */
  async enqueueTrials(n: number, fixedParams?: Record<string, Json>): Promise<number[]> {
    const numbers: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = await this.storage.createTrial(this.study, { state: "waiting", ...(fixedParams ? { fixedParams } : {}) });
      await this.send({ trial: t.number, attempt: 0 });
      numbers.push(t.number);
    }
    return numbers;
  }

  /**
   * The worker's part: run trials from the queue with `objective` until no job waits and every
   * trial of the study is finished; reaps lost trials of dead workers on the way.
   */
  async work(objective: Objective, opts: { signal?: AbortSignal } = {}): Promise<WorkSummary> {
    const summary: WorkSummary = { told: {}, retried: 0 };
    const pollMs = this.options.pollMs ?? 1000;
    const reapMs = Math.max(pollMs, this.options.reapMs ?? HEARTBEAT_MISSES * (this.options.heartbeatMs ?? heartbeatInterval()));
    while (!opts.signal?.aborted) {
      if (Date.now() - this.lastReap >= reapMs) summary.retried += await this.reap();
      const [job] = await this.boss.fetch<TrialJob>(this.queueName);
      if (job) {
        const state = await this.attempt(job.id, job.data, objective);
        if (state) summary.told[state] = (summary.told[state] ?? 0) + 1;
        continue;
      }
      if ((await this.storage.leases(this.study)).every((l) => !l.lost && l.state !== "waiting" && l.state !== "running")) break;
      summary.retried += await this.reap(true);
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return summary;
  }

  /** One attempt at one trial; the final state when this worker told it, else null. */
  private async attempt(jobId: string, job: TrialJob, objective: Objective): Promise<TrialState | null> {
    const emit = this.options.onEvent ?? (() => undefined);
    const intervalMs = this.options.heartbeatMs ?? heartbeatInterval();
    let record: TrialRecord;
    let lost = false;
    let heartbeat;
    try {
      record = await this.storage.claimTrial(this.study, job.trial, job.attempt, HEARTBEAT_MISSES * intervalMs);
      heartbeat = await startHeartbeat((timeout) => this.storage.heartbeat(this.study, job.trial, timeout), {
        intervalMs,
        onError: (e) => {
          if (isKeelError(e) && e.code === "CONFLICT") lost = true;
        },
      });
    } catch (e) {
      if (!(isKeelError(e) && e.code === "CONFLICT")) throw e;
      // marked dead between the claim and a first beat: the reaper queues the next attempt
      emit({ event: "dropped", trial: job.trial, attempt: job.attempt, reason: (e as Error).message });
      return null;
    }
    emit({ event: "claim", trial: job.trial, attempt: job.attempt });
    const saves = attemptStorage(this.storage, record, () => lost);
    let outcome: Outcome;
    let trial;
    const study = await this.attemptStudy(saves, job.trial);
    try {
      trial = await study.ask();
      try {
        const value = await objective(trial);
        outcome = typeof value === "number" && Number.isFinite(value) ? { state: "complete", value } : { state: "failed", value: null };
      } catch (e) {
        outcome = { state: e instanceof TrialPruned ? "pruned" : "failed", value: null };
      }
    } finally {
      await heartbeat.stop();
    }
    // the job decides: completed only while this attempt's job is active (not failed by a reaper)
    // pg-boss 10 declares void but returns { jobs, requested, affected } (manager.js, mapCommandResponse)
    const done = (await this.boss.complete(this.queueName, jobId, outcome as unknown as object)) as unknown as { affected: number };
    if (done.affected !== 1) {
      emit({ event: "dropped", trial: job.trial, attempt: job.attempt, reason: "its job was failed: the attempt was presumed dead and retried" });
      return null;
    }
    lost = false; // this attempt owns the outcome even if a reaper marked its run meanwhile
    await study.tell(trial, outcome.state === "complete" ? outcome.value! : outcome.state);
    emit({ event: "told", trial: job.trial, attempt: job.attempt, state: outcome.state, value: outcome.value });
    return outcome.state;
  }

  /** A study over the attempt's storage, with the stored sampler and pruner (seeded per trial, so workers draw apart). */
  private async attemptStudy(saves: TuneStorage, trial: number): Promise<Study> {
    this.record ??= await this.storage.createStudy({ name: this.study, direction: "minimize", sampler: null, pruner: null }, true);
    const { direction, sampler, pruner } = this.record;
    return new Study(this.study, direction, createSampler(seededFor(sampler, trial)), createPruner((pruner ?? { name: "median" }) as PrunerSpec), saves);
  }

  /**
   * Finds trials lost by dead workers and queues their next attempt (or writes the outcome a dead
   * worker completed but did not write). With `unfinished` (a worker with nothing to do), also
   * checks the jobs of waiting and running trials: one whose job is gone or failed (an owner that
   * died between a trial and its job; a job pg-boss expired, e.g. of a worker killed before its
   * first beat) gets its next attempt too. Returns the attempts queued.
   */
  async reap(unfinished = false): Promise<number> {
    this.lastReap = Date.now();
    await this.storage.store.failStaleRuns();
    let queued = 0;
    for (const l of await this.storage.leases(this.study)) {
      if (!l.lost && !(unfinished && (l.state === "waiting" || l.state === "running"))) continue;
      const id = this.jobId(l.number, l.attempt);
      if (l.lost) await this.boss.fail(this.queueName, id, { message: "its worker stopped beating" });
      const job = await this.boss.getJobById<TrialJob>(this.queueName, id, { includeArchive: true });
      if (job?.state === "completed" && l.lost) {
        const out = job.output as unknown as Outcome;
        const record = await this.storage.claimTrial(this.study, l.number, l.attempt);
        await this.storage.saveTrial(this.study, { ...record, state: out.state, value: out.state === "complete" ? out.value : null, finishedAt: Date.now() });
        this.options.onEvent?.({ event: "recovered", trial: l.number, attempt: l.attempt, state: out.state });
      } else if (job === null || job.state === "failed" || job.state === "cancelled") {
        const next = { trial: l.number, attempt: l.attempt + 1 };
        if (await this.send(next)) {
          this.options.onEvent?.({ event: "retry", ...next });
          queued++;
        }
      }
    }
    return queued;
  }

  /** Trials of the study by state (lost ones counted as "lost"). */
  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const l of await this.storage.leases(this.study)) {
      const k = l.lost ? "lost" : l.state;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }

  /** Stops pg-boss (its pool); the storage stays open. */
  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, close: true });
  }
}

/**
 * The storage one attempt's study runs over: it hands out the claimed trial, creates none, and
 * drops writes once the attempt is lost. Writes of a running trial (parameters, reported values)
 * go behind: only the latest snapshot waits while one is written, so a burst of `suggest` and
 * `report` costs one or two writes; the final write waits for them and surfaces their errors.
 */
function attemptStorage(storage: TuneStorage, claimed: TrialRecord, lost: () => boolean): TuneStorage {
  let handed: TrialRecord | null = claimed;
  let writing: Promise<void> = Promise.resolve();
  let pending: { name: string; trial: TrialRecord } | null = null;
  let failure: unknown = null;
  const drain = async (): Promise<void> => {
    while (pending) {
      const p = pending;
      pending = null;
      if (!lost()) await storage.saveTrial(p.name, p.trial).catch((e) => void (failure ??= e));
    }
  };
  return {
    createStudy: (s: StudyRecord, l: boolean) => storage.createStudy(s, l),
    trials: (name) => storage.trials(name),
    async createTrial() {
      throw new Error("a tuning worker runs the trials the queue hands it and creates none");
    },
    async claimWaitingTrial() {
      const r = handed;
      handed = null;
      return r;
    },
    async saveTrial(name, trial) {
      const running = trial.state === "running";
      const start = pending === null;
      pending = { name, trial };
      if (start) writing = writing.then(drain);
      if (running) return;
      await writing;
      if (failure !== null) throw failure;
    },
  };
}

/** The study's sampler with its seed mixed with the trial number (so concurrent workers never draw alike). */
function seededFor(spec: Json, trial: number): SamplerSpec {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) spec = { name: "tpe" };
  const seed = typeof spec.seed === "number" ? spec.seed : 0;
  return { ...(spec as object), seed: (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(trial + 1, 0x85ebca6b)) >>> 0 } as SamplerSpec;
}
