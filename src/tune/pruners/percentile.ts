import { InvalidInputError, percentile as npPercentile, withoutNaN } from "../../core/index.js";
import type { StudyView } from "../samplers/sampler.js";
import type { Direction, TrialRecord } from "../storage.js";
import { type Pruner, lastStep } from "./pruner.js";

/** Prune a trial whose intermediate value is worse than the given percentile (median: the 50th) of earlier trials at the same step, as Optuna's `PercentilePruner` / `MedianPruner`. */
export interface PercentilePrunerSpec {
  name: "percentile" | "median";
  /** Keep trials whose best value so far is within this percentile of the others' at the same step (50 for median). */
  percentile?: number;
  /** No pruning until this many trials have completed (5). */
  nStartupTrials?: number;
  /** No pruning before this step (0). */
  nWarmupSteps?: number;
  /** Check every this many steps after the warm-up (1). */
  intervalSteps?: number;
  /** At least this many completed trials must have reported the step (1). */
  nMinTrials?: number;
}

/**
 * Optuna's percentile pruner, and the median pruner (percentile 50; the median stopping rule of
 * Golovin et al., "Google Vizier", KDD 2017): prune a trial whose best intermediate value so far
 * is worse than the given percentile of the completed trials' values at the same step.
 * @example createStudy({ direction: "maximize", pruner: { name: "median", nWarmupSteps: 5 } })
 */
export function percentilePruner(spec: PercentilePrunerSpec): Pruner {
  const p = spec.name === "median" ? 50 : spec.percentile;
  const nStartup = spec.nStartupTrials ?? 5;
  const warmup = spec.nWarmupSteps ?? 0;
  const interval = spec.intervalSteps ?? 1;
  const nMin = spec.nMinTrials ?? 1;
  if (spec.name === "median" && spec.percentile !== undefined) throw badField("percentile", spec.percentile, "no percentile for the median pruner (it is 50)");
  if (typeof p !== "number" || !(p >= 0 && p <= 100)) throw badField("percentile", p, "a number in [0, 100]");
  if (!Number.isInteger(nStartup) || nStartup < 0) throw badField("nStartupTrials", nStartup, "an integer ≥ 0");
  if (!Number.isInteger(warmup) || warmup < 0) throw badField("nWarmupSteps", warmup, "an integer ≥ 0");
  if (!Number.isInteger(interval) || interval < 1) throw badField("intervalSteps", interval, "an integer ≥ 1");
  if (!Number.isInteger(nMin) || nMin < 1) throw badField("nMinTrials", nMin, "an integer ≥ 1");
  return {
    spec: { ...spec },
    prune(study: StudyView, trial: TrialRecord): boolean {
      const completed = study.trials.filter((t) => t.state === "complete");
      if (completed.length === 0 || completed.length < nStartup) return false;
      const step = lastStep(trial);
      if (step === null || step < warmup) return false;
      if (!firstInInterval(step, trial, warmup, interval)) return false;
      const best = bestSoFar(trial, study.direction);
      if (Number.isNaN(best)) return true;
      const atStep = completed.filter((t) => step in t.intermediate).map((t) => t.intermediate[step]);
      if (atStep.length < nMin) return false;
      const clean = withoutNaN(atStep); // np.nanpercentile
      const q = clean.length === 0 ? NaN : npPercentile(clean, study.direction === "maximize" ? 100 - p : p);
      if (Number.isNaN(q)) return false;
      return study.direction === "maximize" ? best < q : best > q;
    },
  };
}

function badField(field: string, received: unknown, expected: string): InvalidInputError {
  return new InvalidInputError(`pruner: ${field} ${JSON.stringify(received)} is invalid; expected ${expected}`, { path: `pruner.${field}`, received, expected });
}

/** The trial's best intermediate value over its steps, ignoring NaN (NaN when all are). */
function bestSoFar(trial: TrialRecord, direction: Direction): number {
  let best = NaN;
  for (const v of Object.values(trial.intermediate)) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === "maximize" ? v > best : v < best)) best = v;
  }
  return best;
}

/** True when `step` is the first reported step at or after the latest checkpoint (warm-up + k·interval). */
function firstInInterval(step: number, trial: TrialRecord, warmup: number, interval: number): boolean {
  const checkpoint = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const k of Object.keys(trial.intermediate)) {
    const s = Number(k);
    if (s > secondLast && s !== step) secondLast = s;
  }
  return secondLast < checkpoint;
}
