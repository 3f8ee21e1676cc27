/**
 * Step "tune": search a candidate's `tune:` space inside cross-validation on the training rows
 * (the sealed test set never takes part), one study per candidate: the objective is the mean CV
 * score of the primary metric, the running mean is reported after each fold so the pruner stops
 * hopeless trials, and the study is logged in the tracking store (a run under this step's child
 * run, each trial a child run of it). The output is the best parameters, which `keel run` then
 * cross-validates, refits and evaluates like any candidate's. Cached by the training rows, the
 * candidate, its tuning block, the folds, the metric and the seed.
 */
import { InvalidInputError } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";
import { parseDuration } from "../../core/duration.js";
import { loadEstimators } from "../../estimator/registry.js";
import type { TuneConfig } from "../../project/config.js";
import type { FrozenTrial, Objective } from "../../tune/index.js";
import { step } from "../step.js";
import type { Candidate, CrossValidateInputs } from "./cross-validate.js";

export interface TuneInputs extends Omit<CrossValidateInputs, "metrics"> {
  tune: TuneConfig;
  /** The metric tuned (the primary metric). */
  metric: string;
  greaterIsBetter: boolean;
  /** Prefix of the study's name; the walk's run id (or a random id) makes it unique. */
  studyPrefix: string;
  /** Trials evaluated at once (1). */
  concurrency?: number;
  /**
   * Enqueue the trials for `keel tune worker` processes (a PostgreSQL store) under this study
   * name and wait for them, instead of running them here.
   */
  queue?: { study: string; pollMs?: number };
}

/** Study-run tags a tuning worker rebuilds the objective from: the candidate and the training rows' hash. */
export const STUDY_MODEL_TAG = "keel.study.model";
export const STUDY_TRAIN_TAG = "keel.study.train";

export interface TuneOutput {
  study: string;
  /** The study's run in the tracking store (null when the walk is not tracked). */
  studyRunId: string | null;
  bestParams: Record<string, Json>;
  bestValue: number;
  bestTrial: number;
  /** Trials by final state. */
  states: Record<string, number>;
  trials: number;
  /** fANOVA importance of each parameter (sums to 1); null when it cannot be assessed (under 2 complete trials, a constant objective). */
  importance: Record<string, number> | null;
  /** Every trial (parameters, value, state, intermediate values): what the study report draws. */
  history: FrozenTrial[];
}


/** The candidate with the study's best parameters over its fixed ones. */
export function tunedCandidate(candidate: Candidate, best: Record<string, Json>, label: (e: { name: string; params: Record<string, Json> }) => string): Candidate {
  const params = { ...candidate.params, ...best };
  return { ...candidate, params, label: label({ name: candidate.name, params }) };
}

/** The objective of a candidate's study: its space cross-validated on the training rows (the same in `keel tune` and in a worker). */
export async function tuneObjective(i: Omit<TuneInputs, "studyPrefix" | "greaterIsBetter">, threads?: number): Promise<Objective> {
  const [{ cvObjective, spaceDistributions }, { trainingSpec }, { foldsAndFeatures }] = await Promise.all([
    import("../../tune/index.js"),
    import("../../project/catalog.js"),
    import("./cross-validate.js"),
    loadEstimators(),
  ]);
  const { folds, frame } = await foldsAndFeatures(i);
  return cvObjective({
    space: spaceDistributions(i.tune.space, `tune.${i.candidate.name}.space`),
    specFor: (p) => trainingSpec(i.candidate.name, i.task, { ...i.candidate.params, ...p }),
    frame,
    target: i.target,
    cv: folds,
    metric: i.metric,
    positive: i.classes?.[1] ?? null,
    seed: i.seed,
    threads,
  });
}

export const tuneStep = step<TuneInputs, TuneOutput>({
  name: "tune",
  label: (i) => `tune ${i.candidate.label} (${i.tune.trials} trials)`,
  key: (i) => ({ train: i.trainHash, target: i.target, model: i.candidate.name, params: i.candidate.params, task: i.task, tune: i.tune, cv: i.cv, metric: i.metric, classes: i.classes, seed: i.seed, exclude: i.exclude }),
  async run(i, { run, threads }) {
    const { createStudy, memoryStorage, openTuneQueue, parameterImportance, trackingStorage } = await import("../../tune/index.js");
    const name = i.queue?.study ?? `${i.studyPrefix}-${i.candidate.name}-${run?.runId.slice(0, 8) ?? Date.now().toString(36)}`;
    const tracked = run ? trackingStorage(run.store, { experimentId: run.experimentId, parentRunId: run.runId }) : null;
    const storage = tracked ?? memoryStorage();
    const study = await createStudy({
      name,
      direction: i.greaterIsBetter ? "maximize" : "minimize",
      sampler: i.tune.sampler ?? { name: "tpe", seed: i.seed },
      pruner: i.tune.pruner ?? { name: "median" },
      store: storage,
    });
    const queued = i.queue;
    if (queued && run && tracked) {
      // the workers rebuild this objective from the project: name the candidate and the rows
      const studyRun = await tracked.studyRunId(name);
      await run.store.logBatch(studyRun, { tags: [{ key: STUDY_MODEL_TAG, value: i.candidate.name }, { key: STUDY_TRAIN_TAG, value: i.trainHash }] });
      const queue = await openTuneQueue(tracked, name);
      try {
        await queue.enqueueTrials(i.tune.trials);
        for (;;) {
          const c = await queue.counts();
          if (!c.waiting && !c.running && !c.lost) break;
          await new Promise((r) => setTimeout(r, queued.pollMs ?? 1000));
        }
      } finally {
        await queue.close();
      }
      await study.refresh();
    } else {
      const objective = await tuneObjective(i, threads);
      await study.optimize(objective, { nTrials: i.tune.trials, ...(i.tune.timeout ? { timeoutMs: parseDuration(i.tune.timeout, "tune.timeout") } : {}), concurrency: i.concurrency ?? 1 });
    }
    const best = study.bestTrial;
    const states: Record<string, number> = {};
    for (const t of study.trials) states[t.state] = (states[t.state] ?? 0) + 1;
    const studyRun = run ? (await run.store.searchRuns({ experimentIds: [run.experimentId], filter: `tags.\`keel.study\` = '${name.replace(/'/g, "''")}'`, maxResults: 1 })).items[0]?.info.runId ?? null : null;
    let importance: Record<string, number> | null = null;
    try {
      importance = await parameterImportance(study, { seed: i.seed });
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e; // too few complete trials, or a constant objective: nothing to attribute
    }
    return { study: name, studyRunId: studyRun, bestParams: best.params as Record<string, Json>, bestValue: best.value!, bestTrial: best.number, states, trials: study.trials.length, importance, history: study.trials };
  },
  childRun: (i) => ({ name: `tune ${i.candidate.label}`, tags: { "keel.step": "tune", "keel.model": i.candidate.label } }),
  async track(o, run) {
    await run.logParams({ study: o.study, trials: o.trials, best_trial: o.bestTrial, ...Object.fromEntries(Object.entries(o.bestParams).map(([k, v]) => [`best.${k}`, v])) });
    run.logMetrics({ best_value: o.bestValue, ...Object.fromEntries(Object.entries(o.states).map(([k, v]) => [`trials_${k}`, v])), ...Object.fromEntries(Object.entries(o.importance ?? {}).map(([k, v]) => [`importance.${k}`, v])) });
  },
});
