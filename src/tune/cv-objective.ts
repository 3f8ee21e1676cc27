/**
 * Tuning a model by its cross-validated score: the search space as data (what keel.yaml's `tune:`
 * block holds), and the objective that fits the model with a trial's parameters inside the folds,
 * reports the running mean after each fold (step = fold) and stops when the pruner says so. Only
 * the rows handed in are ever seen — `keel run` hands in the training rows, so the sealed test set
 * never takes part in tuning.
 */
import type { Json } from "../core/index.js";
import type { Frame } from "../data/index.js";
import type { Spec } from "../estimator/index.js";
import { type CvSpec, crossValidate } from "../evaluate/cv/index.js";
import type { Distribution } from "./distributions.js";
import { suggestSpace } from "./space.js";
import type { Objective } from "./study.js";
import { type Trial, TrialPruned } from "./trial.js";

/** Options of `cvObjective`: the search space, how parameters become a spec, the data, the folds and the metric. */
export interface CvObjectiveOptions {
  space: Record<string, Distribution>;
  /** The model (with its preprocessing) for a trial's parameters, merged over the fixed ones by the caller. */
  specFor(params: Record<string, Json>): Spec;
  /** The rows tuning may see (the training rows): the folds are cut from them. */
  frame: Frame;
  target: string;
  cv: CvSpec;
  /** The metric to optimise (a scorer name); the study's direction must match it. */
  metric: string;
  /** Binary tasks: the class of interest. */
  positive?: string | null;
  /** Seed of the folds and the fits: the same for every trial, so trials differ by their parameters only. */
  seed: number;
  threads?: number;
}

/**
 * The objective: the mean cross-validated `metric` of the model with the trial's parameters.
 * After fold k it reports the mean of folds 0…k at step k and throws `TrialPruned` when the
 * study's pruner stops the trial (so a median pruner compares trials fold by fold).
 * @example
 * await study.optimize(cvObjective({ space, specFor, frame: train, target: "y", cv: 5, metric: "roc_auc", seed: 42 }), { nTrials: 50 });
 */
export function cvObjective(o: CvObjectiveOptions): Objective {
  return async (trial) => {
    const params = suggestSpace(trial, o.space) as Record<string, Json>;
    const spec = o.specFor(params);
    let sum = 0;
    let n = 0;
    const result = await crossValidate(spec, o.frame, {
      target: o.target,
      cv: o.cv,
      metrics: [o.metric],
      positive: o.positive ?? null,
      rng: o.seed,
      threads: o.threads,
      onFold: (f) => {
        sum += f.metrics[o.metric];
        n++;
        trial.report(sum / n, f.fold);
        if (trial.shouldPrune()) throw new TrialPruned(`trial ${trial.number} pruned after fold ${f.fold}`);
      },
    });
    return result.mean[o.metric];
  };
}
