/**
 * Where a study's trials live. The study talks to a `TuneStorage` only; `memoryStorage()` keeps
 * them in this process, and a tracking-store implementation (each trial a child run of the
 * study's run) fills the same interface.
 */
import { AlreadyExistsError, NotFoundError, type Json } from "../core/index.js";
import type { Distribution } from "./distributions.js";

/** Whether a study minimises or maximises its objective. */
export type Direction = "minimize" | "maximize";
/** A trial's life: waiting (enqueued), running, then complete, pruned or failed. */
export type TrialState = "waiting" | "running" | "complete" | "pruned" | "failed";

/** One trial as stored: parameters in their internal (numeric) form with their distributions. */
export interface TrialRecord {
  /** 0, 1, 2, … in creation order within the study. */
  readonly number: number;
  state: TrialState;
  /** The objective's value (complete trials); null otherwise. */
  value: number | null;
  /** Internal values (a number, or a choice's index), by parameter name, in suggestion order. */
  params: Record<string, number>;
  distributions: Record<string, Distribution>;
  /** Values reported with `trial.report(value, step)`, by step. */
  intermediate: Record<number, number>;
  /** Parameters fixed ahead (`enqueueTrial`), in external form; used when the objective asks for them. */
  fixedParams: Record<string, Json>;
  /** Sampler and pruner bookkeeping (e.g. successive halving's completed rungs). */
  systemAttrs: Record<string, Json>;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A stored study: its name, direction, and its sampler's and pruner's specs. */
export interface StudyRecord {
  readonly name: string;
  readonly direction: Direction;
  /** The sampler and pruner specs the study was created with (data, for logging and resuming). */
  readonly sampler: Json;
  readonly pruner: Json;
}

/** The storage a study runs over. Every call is async so a remote store can implement it. */
export interface TuneStorage {
  /** Creates a study, or returns the existing one of that name when `loadIfExists`. */
  createStudy(study: StudyRecord, loadIfExists: boolean): Promise<StudyRecord>;
  /** All trials of a study in number order: snapshots, which the caller must not change. */
  trials(studyName: string): Promise<TrialRecord[]>;
  /** A new trial with the next number, in the given state with the given fixed parameters. */
  createTrial(studyName: string, init: { state: "waiting" | "running"; fixedParams?: Record<string, Json> }): Promise<TrialRecord>;
  /** Atomically moves the oldest waiting trial to running and returns it; null when none waits. */
  claimWaitingTrial(studyName: string): Promise<TrialRecord | null>;
  /** Writes a trial's parameters, intermediate values, attributes, state and value. */
  saveTrial(studyName: string, trial: TrialRecord): Promise<void>;
}

/** A copy of a trial record (records cross the storage boundary by value). */
export function copyTrial(t: TrialRecord): TrialRecord {
  return {
    ...t,
    params: { ...t.params },
    distributions: { ...t.distributions },
    intermediate: { ...t.intermediate },
    fixedParams: { ...t.fixedParams },
    systemAttrs: { ...t.systemAttrs },
  };
}

/**
 * Studies and trials in this process's memory; gone when it exits.
 * @example
 * ```ts
 * const study = await createStudy({ store: memoryStorage(), direction: "minimize" });
 * ```
 */
export function memoryStorage(): TuneStorage {
  const studies = new Map<string, { study: StudyRecord; trials: TrialRecord[] }>();
  const get = (name: string) => {
    const s = studies.get(name);
    if (!s) throw new NotFoundError(`no study named "${name}" in this storage`, { path: "study", received: name, expected: "an existing study" });
    return s;
  };
  return {
    async createStudy(study, loadIfExists) {
      const existing = studies.get(study.name);
      if (existing) {
        if (!loadIfExists) throw new AlreadyExistsError(`a study named "${study.name}" already exists`, { path: "name", received: study.name, expected: "a new study name, or loadIfExists: true" });
        return existing.study;
      }
      studies.set(study.name, { study, trials: [] });
      return study;
    },
    async trials(name) {
      return get(name).trials.slice(); // stored records are replaced, never changed, so they can be shared
    },
    async createTrial(name, init) {
      const s = get(name);
      const t: TrialRecord = {
        number: s.trials.length,
        state: init.state,
        value: null,
        params: {},
        distributions: {},
        intermediate: {},
        fixedParams: { ...(init.fixedParams ?? {}) },
        systemAttrs: {},
        startedAt: init.state === "running" ? Date.now() : null,
        finishedAt: null,
      };
      s.trials.push(t);
      return copyTrial(t);
    },
    async claimWaitingTrial(name) {
      const s = get(name);
      const i = s.trials.findIndex((x) => x.state === "waiting");
      if (i < 0) return null;
      s.trials[i] = { ...copyTrial(s.trials[i]), state: "running", startedAt: Date.now() };
      return copyTrial(s.trials[i]);
    },
    async saveTrial(name, trial) {
      const s = get(name);
      if (!s.trials[trial.number]) throw new NotFoundError(`study "${name}" has no trial ${trial.number}`, { path: "trial", received: trial.number });
      s.trials[trial.number] = copyTrial(trial);
    },
  };
}
