import { randomUUID } from "node:crypto";
import { InvalidInputError, NotFoundError, type Json } from "../core/index.js";
import type { Distribution, ParamValue } from "./distributions.js";
import { type PrunerSpec, createPruner } from "./pruners/index.js";
import type { Pruner } from "./pruners/pruner.js";
import { type SamplerSpec, createSampler } from "./samplers/index.js";
import type { Sampler, StudyView } from "./samplers/sampler.js";
import { type Direction, type TrialRecord, type TrialState, type TuneStorage, copyTrial, memoryStorage } from "./storage.js";
import { Trial, TrialPruned, externalParams } from "./trial.js";

/** A finished or running trial as the study reports it: parameters in external form. */
export interface FrozenTrial {
  readonly number: number;
  readonly state: TrialState;
  readonly value: number | null;
  readonly params: Record<string, ParamValue>;
  readonly distributions: Record<string, Distribution>;
  /** Reported intermediate values by step. */
  readonly intermediateValues: Record<number, number>;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly durationMs: number | null;
}

/** Options of `createStudy`: the name, direction, sampler, pruner and storage (in memory by default). */
export interface CreateStudyOptions {
  /** The study's name in its storage (a generated one when omitted). */
  name?: string;
  direction?: Direction;
  /** The sampler as data (default: `{ name: "tpe" }`, Keel's TPE configuration). */
  sampler?: SamplerSpec;
  /** The pruner as data (default: `{ name: "median" }`, as Optuna). */
  pruner?: PrunerSpec;
  /** Where the trials live (default: this process's memory). */
  store?: TuneStorage;
  /** Continue a study of that name when it exists in the store, rather than failing. */
  loadIfExists?: boolean;
}

/** Options of `Study.optimize`: how many trials, a time limit, how many run at once, and whether a failing trial stops the study. */
export interface OptimizeOptions {
  /** Trials to run in this call (across all concurrent slots). Unbounded when only `timeoutMs` is given. */
  nTrials?: number;
  /** Start no trial after this many milliseconds (running ones finish). */
  timeoutMs?: number;
  /** Trials evaluated at once in this process (1). The objective runs on the main thread; the fits inside it may use the worker runtime. */
  concurrency?: number;
  /** Record a throwing objective as a failed trial and go on, instead of rethrowing (false). */
  catchErrors?: boolean;
}

/** What a study optimises: a trial in, a number out (throw `TrialPruned` to prune). */
export type Objective = (trial: Trial) => number | Promise<number>;

/**
 * Creates (or, with `loadIfExists`, resumes) a study: a search for the parameters that minimise
 * or maximise an objective, shaped like Optuna's.
 * @example
 * const study = await createStudy({ direction: "minimize", sampler: { name: "tpe", seed: 1 } });
 * await study.optimize((t) => (t.suggestFloat("x", -10, 10) - 2) ** 2, { nTrials: 50 });
 * study.bestParams; // { x: 2.0… }
 */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  const direction = options.direction ?? "minimize";
  if (direction !== "minimize" && direction !== "maximize") {
    throw new InvalidInputError(`direction ${JSON.stringify(direction)} is invalid; expected "minimize" or "maximize"`, { path: "direction", received: direction, expected: '"minimize" or "maximize"' });
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name.length === 0)) {
    throw new InvalidInputError(`name ${JSON.stringify(options.name)} is invalid; expected a non-empty string`, { path: "name", received: options.name, expected: "a non-empty string" });
  }
  const samplerSpec: SamplerSpec = options.sampler ?? { name: "tpe" };
  const prunerSpec: PrunerSpec = options.pruner ?? { name: "median" };
  const sampler = createSampler(samplerSpec);
  const pruner = createPruner(prunerSpec);
  const store = options.store ?? memoryStorage();
  const name = options.name ?? `study-${randomUUID()}`;
  const record = await store.createStudy({ name, direction, sampler: sampler.spec, pruner: pruner.spec }, options.loadIfExists ?? false);
  if (record.direction !== direction) {
    throw new InvalidInputError(`study "${name}" exists with direction ${record.direction}, not ${direction}`, { path: "direction", received: direction, expected: record.direction });
  }
  const study = new Study(name, direction, sampler, pruner, store);
  await study.refresh();
  return study;
}

/**
 * A study: ask/tell trials, or let `optimize` run the loop. Create one with `createStudy`.
 * @example
 * ```ts
 * const study = await createStudy({ direction: "maximize", sampler: { name: "tpe", seed: 1 } });
 * const trial = await study.ask();
 * const x = trial.suggestFloat("x", -10, 10);
 * await study.tell(trial, -((x - 2) ** 2));
 * ```
 */
export class Study {
  private cache: TrialRecord[] = [];
  /** Trials this process is running, by number: their live records. */
  private readonly live = new Map<number, TrialRecord>();
  private readonly writes = new Map<number, Promise<void>>();

  constructor(
    readonly name: string,
    readonly direction: Direction,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    private readonly store: TuneStorage,
  ) {}

  /** Re-reads the trials from the storage (other processes' trials included). */
  async refresh(): Promise<void> {
    this.cache = await this.store.trials(this.name);
  }

  private view(): StudyView {
    const trials = this.cache.map((t) => this.live.get(t.number) ?? t);
    return { name: this.name, direction: this.direction, trials };
  }

  /** Starts a trial: an enqueued one first, else a new one (joint parameters are drawn now). */
  async ask(): Promise<Trial> {
    const record = (await this.store.claimWaitingTrial(this.name)) ?? (await this.store.createTrial(this.name, { state: "running" }));
    this.live.set(record.number, record);
    await this.refresh();
    const view = this.view();
    const space = this.sampler.inferRelativeSearchSpace(view, record);
    const relative = this.sampler.sampleRelative(view, record, space);
    const host = { view: () => this.view(), sampler: this.sampler, pruner: this.pruner, save: (r: TrialRecord) => this.queueSave(r) };
    return new Trial(host, record, space, relative);
  }

  private queueSave(r: TrialRecord): void {
    const snapshot = copyTrial(r);
    const prev = this.writes.get(r.number) ?? Promise.resolve();
    const next = prev.then(() => this.store.saveTrial(this.name, snapshot));
    next.catch(() => undefined); // surfaced at tell
    this.writes.set(r.number, next);
  }

  /**
   * Finishes a trial with its value, or as "pruned" or "failed". A value that is not a finite
   * number fails the trial (as Optuna does with NaN).
   */
  async tell(trial: Trial | number, result: number | "pruned" | "failed"): Promise<FrozenTrial> {
    const number = typeof trial === "number" ? trial : trial.number;
    const record = this.live.get(number);
    if (!record) throw new NotFoundError(`trial ${number} is not running in this study`, { path: "trial", received: number, expected: "a trial from ask() not yet told" });
    if (result === "pruned") {
      record.state = "pruned";
    } else if (result === "failed" || typeof result !== "number" || !Number.isFinite(result)) {
      record.state = "failed";
    } else {
      record.state = "complete";
      record.value = result;
    }
    record.finishedAt = Date.now();
    this.queueSave(record);
    const pending = this.writes.get(number);
    this.writes.delete(number);
    this.live.delete(number);
    const i = this.cache.findIndex((t) => t.number === number);
    if (i >= 0) this.cache[i] = copyTrial(record);
    await pending;
    return frozen(record);
  }

  /** Queues a trial with these parameters (external values); `ask` hands it out before new ones. */
  async enqueueTrial(params: Record<string, ParamValue>): Promise<void> {
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      throw new InvalidInputError("enqueueTrial: params must be an object of parameter values", { path: "params", received: params, expected: "an object" });
    }
    await this.store.createTrial(this.name, { state: "waiting", fixedParams: params as Record<string, Json> });
    await this.refresh();
  }

  /**
   * Runs the objective on new trials until `nTrials` have run or `timeoutMs` has passed, with up
   * to `concurrency` at once. An objective that throws `TrialPruned` ends its trial as pruned;
   * one that throws anything else fails its trial and the error is rethrown (unless `catchErrors`).
   */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    const { nTrials, timeoutMs, concurrency = 1, catchErrors = false } = options;
    if (nTrials !== undefined && !(Number.isInteger(nTrials) && nTrials >= 0)) throw new InvalidInputError(`optimize: nTrials ${JSON.stringify(nTrials)} is invalid; expected an integer ≥ 0`, { path: "nTrials", received: nTrials, expected: "an integer ≥ 0" });
    if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new InvalidInputError(`optimize: timeoutMs ${JSON.stringify(timeoutMs)} is invalid; expected a number > 0`, { path: "timeoutMs", received: timeoutMs, expected: "a number > 0" });
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new InvalidInputError(`optimize: concurrency ${JSON.stringify(concurrency)} is invalid; expected an integer ≥ 1`, { path: "concurrency", received: concurrency, expected: "an integer ≥ 1" });
    if (nTrials === undefined && timeoutMs === undefined) throw new InvalidInputError("optimize: give nTrials or timeoutMs (or both), or it would never stop", { path: "nTrials", expected: "nTrials or timeoutMs" });
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    let started = 0;
    let stop: unknown = null;
    const slot = async () => {
      while (stop === null && (nTrials === undefined || started < nTrials) && Date.now() < deadline) {
        started++;
        const trial = await this.ask();
        let result: number | "pruned" | "failed";
        try {
          result = await objective(trial);
        } catch (e) {
          if (e instanceof TrialPruned) result = "pruned";
          else {
            result = "failed";
            if (!catchErrors) stop ??= e;
          }
        }
        await this.tell(trial, result);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, slot));
    if (stop !== null) throw stop;
  }

  /** All trials, in number order. */
  get trials(): FrozenTrial[] {
    return this.view().trials.map(frozen);
  }

  /** The best complete trial (the first of equals). Throws when none has completed. */
  get bestTrial(): FrozenTrial {
    let best: TrialRecord | null = null;
    for (const t of this.cache) {
      if (t.state !== "complete" || t.value === null) continue;
      if (best === null || (this.direction === "minimize" ? t.value < best.value! : t.value > best.value!)) best = t;
    }
    if (best === null) throw new NotFoundError(`study "${this.name}" has no complete trial yet`, { path: "bestTrial", expected: "at least one complete trial" });
    return frozen(best);
  }

  get bestValue(): number {
    return this.bestTrial.value!;
  }

  get bestParams(): Record<string, ParamValue> {
    return this.bestTrial.params;
  }
}

function frozen(t: TrialRecord): FrozenTrial {
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    params: externalParams(t),
    distributions: { ...t.distributions },
    intermediateValues: { ...t.intermediate },
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    durationMs: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
  };
}
