/**
 * Studies in the tracking store: the study is a run (tag `keel.study` = its name, the direction,
 * sampler and pruner as tags) and each trial a child run of it — its parameters as params
 * (external values), the objective as metric `value`, reported values as metric `intermediate`
 * by step, the state as the run's status (waiting SCHEDULED, running RUNNING, complete FINISHED,
 * failed FAILED, pruned KILLED, with tag `keel.trial.state`), and what a sampler needs to resume
 * (internal values, distributions, fixed parameters, bookkeeping) as tag `keel.trial`. So a study
 * can be browsed like any runs, resumed in another process, and lives in SQLite, PostgreSQL or
 * behind a `keel server` alike.
 *
 * Trial numbers are atomic across processes: the store numbers each trial run among the study's
 * children (`CreateRunInput.numberTag`) in the inserting transaction. Claiming the oldest
 * enqueued trial is not: several processes sharing one study's trials go through the job queue
 * of distributed tuning (`tune/worker.ts`), which hands each trial to one worker at a time.
 */
import { AlreadyExistsError, InvalidInputError, NotFoundError } from "../core/errors.js";
import type { Json } from "../core/observe.js";
import type { Run, RunStatus } from "../track/index.js";
import { LIMITS, TAG, type TrackingStore } from "../track/index.js";
import { type Distribution, toExternal } from "./distributions.js";
import { type StudyRecord, type TrialRecord, type TrialState, type TuneStorage, copyTrial } from "./storage.js";

const STUDY_TAG = "keel.study";
const TRIAL_TAG = "keel.trial";
const STATE_TAG = "keel.trial.state";
const NUMBER_TAG = "keel.trial.number";

const ATTEMPT_TAG = "keel.trial.attempt";

/** A trial as the job queue of distributed tuning sees it (read afresh, never cached). */
export interface TrialLease {
  number: number;
  /** The state the trial's last writer gave it. */
  state: TrialState;
  /** Which attempt at the trial runs or ran last (0 first). */
  attempt: number;
  /** Its attempt's process died: the run was marked FAILED after its heartbeat stopped while the trial ran. */
  lost: boolean;
}

/** `trackingStorage` with what the workers of a distributed study need besides a study's calls. */
export interface TrackingTuneStorage extends TuneStorage {
  readonly store: TrackingStore;
  /** The run holding the study (NOT_FOUND when there is no such study). */
  studyRunId(studyName: string): Promise<string>;
  /** Every trial's state, attempt and whether its attempt was lost. */
  leases(studyName: string): Promise<TrialLease[]>;
  /**
   * Starts attempt `attempt` at trial `number`: running again, its parameters and reported values
   * kept; with `beatMs`, its first heartbeat (presumed dead `beatMs` from now) right after.
   */
  claimTrial(studyName: string, number: number, attempt: number, beatMs?: number): Promise<TrialRecord>;
  /** A sign of life from the attempt running the trial (CONFLICT once it was marked dead). */
  heartbeat(studyName: string, number: number, timeoutMs: number): Promise<void>;
}

const STATUS: Record<TrialState, RunStatus> = { waiting: "SCHEDULED", running: "RUNNING", complete: "FINISHED", failed: "FAILED", pruned: "KILLED" };

interface Known {
  runId: string;
  /** Steps of `intermediate` logged, parameter keys logged, the run's status as last written or read. */
  logged: Set<number>;
  params: Set<string>;
  status: RunStatus;
  finished: TrialRecord | null;
}

interface TrialTag {
  params: Record<string, number>;
  distributions: Record<string, Distribution>;
  fixedParams: Record<string, Json>;
  systemAttrs: Record<string, Json>;
}

/**
 * A `TuneStorage` over a tracking store, in one experiment (default "0"); new study runs are
 * children of `parentRunId` when given (`keel run` puts a candidate's study under its tune step).
 * @example
 * const store = await openStore("sqlite:keel.db");
 * const study = await createStudy({ name: "gbdt-credit", store: trackingStorage(store), loadIfExists: true });
 */
export function trackingStorage(store: TrackingStore, options: { experimentId?: string; parentRunId?: string } = {}): TrackingTuneStorage {
  const experimentId = options.experimentId ?? "0";
  const studyRuns = new Map<string, string>();
  /** Per study: trial number → run id, what its run holds (intermediate steps, params, status), its final record. */
  const known = new Map<string, Map<number, Known>>();

  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const findStudyRun = async (name: string): Promise<Run | null> => {
    const page = await store.searchRuns({ experimentIds: [experimentId], filter: `tags.\`${STUDY_TAG}\` = ${quote(name)}`, maxResults: 1 });
    return page.items[0] ?? null;
  };
  const studyRunId = async (name: string): Promise<string> => {
    let id = studyRuns.get(name);
    if (id) return id;
    const run = await findStudyRun(name);
    if (!run) throw new NotFoundError(`no study named "${name}" in experiment ${experimentId}`, { path: "study", received: name, expected: "an existing study" });
    id = run.info.runId;
    studyRuns.set(name, id);
    return id;
  };
  const trialsOf = (name: string) => {
    let m = known.get(name);
    if (!m) known.set(name, (m = new Map()));
    return m;
  };
  const childRuns = async (name: string): Promise<Run[]> => {
    const parent = await studyRunId(name);
    const out: Run[] = [];
    let pageToken: string | undefined;
    do {
      const page = await store.searchRuns({ experimentIds: [experimentId], filter: `tags.\`${TAG.parentRunId}\` = ${quote(parent)}`, maxResults: 50_000, pageToken });
      out.push(...page.items.filter((r) => r.data.tags.some((t) => t.key === NUMBER_TAG)));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  };
  const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;
  const isLost = (run: Run) => run.info.status === "FAILED" && tag(run, STATE_TAG) === "running";
  const trialRun = async (name: string, number: number): Promise<Run> => {
    const runId = trialsOf(name).get(number)?.runId;
    if (runId) return store.getRun(runId);
    const parent = await studyRunId(name);
    const page = await store.searchRuns({ experimentIds: [experimentId], filter: `tags.\`${TAG.parentRunId}\` = ${quote(parent)} AND tags.\`${NUMBER_TAG}\` = '${number}'`, maxResults: 1 });
    if (!page.items[0]) throw new NotFoundError(`study "${name}" has no trial ${number}`, { path: "trial", received: number, expected: "a trial of the study" });
    return page.items[0];
  };

  const toRecord = async (name: string, run: Run): Promise<TrialRecord> => {
    const number = Number(tag(run, NUMBER_TAG));
    const entry = trialsOf(name).get(number);
    if (entry?.finished) return entry.finished;
    const t = JSON.parse(tag(run, TRIAL_TAG) ?? "{}") as Partial<TrialTag>;
    const lost = isLost(run);
    // a lost attempt reads as failed, but is not final: the queue retries the trial
    const state = lost ? "failed" : ((tag(run, STATE_TAG) ?? "running") as TrialState);
    const value = run.data.metrics.find((m) => m.key === "value");
    const intermediate: Record<number, number> = {};
    if (run.data.metrics.some((m) => m.key === "intermediate")) {
      let pageToken: string | undefined;
      do {
        const page = await store.getMetricHistory(run.info.runId, "intermediate", { pageToken });
        for (const m of page.items) if (!(m.step in intermediate)) intermediate[m.step] = m.value;
        pageToken = page.nextPageToken;
      } while (pageToken);
    }
    const record: TrialRecord = {
      number,
      state,
      value: state === "complete" && value ? value.value : null,
      params: t.params ?? {},
      distributions: t.distributions ?? {},
      intermediate,
      fixedParams: t.fixedParams ?? {},
      systemAttrs: t.systemAttrs ?? {},
      startedAt: state === "waiting" ? null : run.info.startTime ?? null,
      finishedAt: state === "waiting" || state === "running" ? null : run.info.endTime ?? null,
    };
    const finished = !lost && (state === "complete" || state === "failed" || state === "pruned");
    trialsOf(name).set(number, { runId: run.info.runId, logged: new Set(Object.keys(intermediate).map(Number)), params: new Set(run.data.params.map((p) => p.key)), status: run.info.status, finished: finished ? record : null });
    return record;
  };

  return {
    async createStudy(study: StudyRecord, loadIfExists: boolean): Promise<StudyRecord> {
      const existing = await findStudyRun(study.name);
      if (existing) {
        if (!loadIfExists) throw new AlreadyExistsError(`a study named "${study.name}" already exists`, { path: "name", received: study.name, expected: "a new study name, or loadIfExists: true" });
        studyRuns.set(study.name, existing.info.runId);
        const t = (k: string) => tag(existing, k);
        return { name: study.name, direction: t("keel.study.direction") as StudyRecord["direction"], sampler: JSON.parse(t("keel.study.sampler") ?? "null"), pruner: JSON.parse(t("keel.study.pruner") ?? "null") };
      }
      const run = await store.createRun({
        experimentId,
        ...(options.parentRunId !== undefined ? { parentRunId: options.parentRunId } : {}),
        runName: study.name,
        tags: [
          { key: STUDY_TAG, value: study.name },
          { key: "keel.study.direction", value: study.direction },
          { key: "keel.study.sampler", value: JSON.stringify(study.sampler) },
          { key: "keel.study.pruner", value: JSON.stringify(study.pruner) },
        ],
      });
      studyRuns.set(study.name, run.info.runId);
      return study;
    },

    async trials(name: string): Promise<TrialRecord[]> {
      const runs = await childRuns(name);
      const records = await Promise.all(runs.map((r) => toRecord(name, r)));
      return records.sort((a, b) => a.number - b.number);
    },

    async createTrial(name, init) {
      const parentRunId = await studyRunId(name);
      const tagValue = JSON.stringify({ params: {}, distributions: {}, fixedParams: init.fixedParams ?? {}, systemAttrs: {} } satisfies TrialTag);
      checkTagLength(tagValue, -1);
      // the store numbers the trial among the study's children, atomically across processes
      const run = await store.createRun({
        experimentId,
        parentRunId,
        runName: `${name}-trial`,
        status: STATUS[init.state],
        numberTag: NUMBER_TAG,
        tags: [
          { key: STATE_TAG, value: init.state },
          { key: TRIAL_TAG, value: tagValue },
        ],
      });
      const number = Number(tag(run, NUMBER_TAG));
      await store.updateRun(run.info.runId, { runName: `${name}-trial-${number}` });
      trialsOf(name).set(number, { runId: run.info.runId, logged: new Set(), params: new Set(), status: run.info.status, finished: null });
      return toRecord(name, run);
    },

    store,
    studyRunId,

    async leases(name) {
      return (await childRuns(name))
        .map((r) => ({ number: Number(tag(r, NUMBER_TAG)), state: (tag(r, STATE_TAG) ?? "running") as TrialState, attempt: Number(tag(r, ATTEMPT_TAG) ?? 0), lost: isLost(r) }))
        .sort((a, b) => a.number - b.number);
    },

    async claimTrial(name, number, attempt, beatMs) {
      const run = await trialRun(name, number);
      const id = run.info.runId;
      await store.logBatch(id, { tags: [{ key: STATE_TAG, value: "running" }, { key: ATTEMPT_TAG, value: String(attempt) }] });
      if (run.info.status !== "RUNNING") await store.updateRun(id, { status: "RUNNING" });
      // the first beat at once: a run RUNNING without a deadline is never reaped
      if (beatMs !== undefined && beatMs > 0) await store.heartbeat(id, beatMs);
      if (tag(run, TAG.failure) !== undefined) await store.deleteTag(id, TAG.failure).catch(() => undefined);
      trialsOf(name).delete(number); // read afresh: parameters and reported values of earlier attempts
      const record = await toRecord(name, await store.getRun(id));
      record.startedAt = Date.now();
      return record;
    },

    async heartbeat(name, number, timeoutMs) {
      const runId = trialsOf(name).get(number)?.runId ?? (await trialRun(name, number)).info.runId;
      await store.heartbeat(runId, timeoutMs);
    },

    async claimWaitingTrial(name) {
      const runs = await childRuns(name);
      const waiting = runs.filter((r) => tag(r, STATE_TAG) === "waiting").sort((a, b) => Number(tag(a, NUMBER_TAG)) - Number(tag(b, NUMBER_TAG)));
      if (waiting.length === 0) return null;
      const run = waiting[0];
      await store.setTag(run.info.runId, { key: STATE_TAG, value: "running" });
      await store.updateRun(run.info.runId, { status: "RUNNING" });
      const record = await toRecord(name, await store.getRun(run.info.runId));
      record.startedAt = Date.now();
      return record;
    },

    async saveTrial(name, trial) {
      const entry = trialsOf(name).get(trial.number);
      if (!entry) throw new NotFoundError(`study "${name}" has no trial ${trial.number} known to this storage`, { path: "trial", received: trial.number });
      const runId = entry.runId;
      const tagValue = JSON.stringify({ params: trial.params, distributions: trial.distributions, fixedParams: trial.fixedParams, systemAttrs: trial.systemAttrs } satisfies TrialTag);
      checkTagLength(tagValue, trial.number);
      const now = Date.now();
      const newSteps = Object.keys(trial.intermediate).map(Number).filter((s) => !entry.logged.has(s));
      const metrics = newSteps.map((step) => ({ key: "intermediate", value: trial.intermediate[step], step, timestamp: now }));
      if (trial.state === "complete" && trial.value !== null) metrics.push({ key: "value", value: trial.value, step: 0, timestamp: now });
      // params are immutable per key: log each once, as text
      const params = Object.entries(trial.params)
        .filter(([k]) => !entry.params.has(k))
        .map(([k, v]) => ({ key: k, value: String(toExternal(trial.distributions[k], v)) }));
      await store.logBatch(runId, {
        metrics,
        params,
        tags: [
          { key: TRIAL_TAG, value: tagValue },
          { key: STATE_TAG, value: trial.state },
        ],
      });
      for (const s of newSteps) entry.logged.add(s);
      for (const p of params) entry.params.add(p.key);
      const finished = trial.state === "complete" || trial.state === "failed" || trial.state === "pruned";
      if (entry.status !== STATUS[trial.state] || finished) {
        await store.updateRun(runId, { status: STATUS[trial.state], ...(finished ? { endTime: trial.finishedAt ?? now } : {}) });
        entry.status = STATUS[trial.state];
      }
      if (finished) entry.finished = copyTrial(trial);
    },
  };
}

function checkTagLength(value: string, number: number): void {
  if (value.length > LIMITS.tagValueLength) {
    throw new InvalidInputError(`${number < 0 ? "a new trial" : `trial ${number}`}: its parameters and distributions take ${value.length} characters, more than a tag holds (${LIMITS.tagValueLength})`, {
      path: "trial.params",
      received: value.length,
      expected: `at most ${LIMITS.tagValueLength} characters of JSON`,
    });
  }
}
