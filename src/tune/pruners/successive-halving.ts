import { InvalidInputError } from "../../core/index.js";
import type { StudyView } from "../samplers/sampler.js";
import type { TrialRecord } from "../storage.js";
import { type Pruner, lastStep } from "./pruner.js";

/** Asynchronous successive halving (Li et al. 2020, ASHA), with Optuna's options. */
export interface SuccessiveHalvingPrunerSpec {
  name: "successive-halving";
  /** Steps before the first rung; "auto" = max(last step of the completed trials ÷ 100, 1). */
  minResource?: number | "auto";
  /** η: a rung keeps the best 1/η of the trials that reached it (4). */
  reductionFactor?: number;
  /** s: the first rung is at minResource · η^s (0). */
  minEarlyStoppingRate?: number;
  /** Prune until this many trials have reached a rung (0). */
  bootstrapCount?: number;
}

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020), as Optuna's pruner: rung k sits at step r·η^(s+k); a trial reaching it
 * records its value there and goes on only when it ranks in the top 1/η of all values recorded
 * at that rung so far.
 * @example createStudy({ direction: "minimize", pruner: { name: "successive-halving", reductionFactor: 3 } })
 */
export function successiveHalvingPruner(spec: SuccessiveHalvingPrunerSpec): Pruner {
  const eta = spec.reductionFactor ?? 4;
  const rate = spec.minEarlyStoppingRate ?? 0;
  const bootstrap = spec.bootstrapCount ?? 0;
  let minResource: number | null = spec.minResource === undefined || spec.minResource === "auto" ? null : spec.minResource;
  const bad = (field: string, received: unknown, expected: string) =>
    new InvalidInputError(`pruner: ${field} ${JSON.stringify(received)} is invalid; expected ${expected}`, { path: `pruner.${field}`, received, expected });
  if (spec.minResource !== undefined && spec.minResource !== "auto" && !(Number.isInteger(spec.minResource) && spec.minResource >= 1)) throw bad("minResource", spec.minResource, 'an integer ≥ 1 or "auto"');
  if (!Number.isInteger(eta) || eta < 2) throw bad("reductionFactor", eta, "an integer ≥ 2");
  if (!Number.isInteger(rate) || rate < 0) throw bad("minEarlyStoppingRate", rate, "an integer ≥ 0");
  if (!Number.isInteger(bootstrap) || bootstrap < 0) throw bad("bootstrapCount", bootstrap, "an integer ≥ 0");
  if (bootstrap > 0 && minResource === null) throw bad("bootstrapCount", bootstrap, '0 when minResource is "auto"');
  return {
    spec: { ...spec },
    prune(study: StudyView, trial: TrialRecord): boolean {
      const step = lastStep(trial);
      if (step === null) return false;
      let rung = 0;
      while (rungKey(rung) in trial.systemAttrs) rung++;
      const value = trial.intermediate[step];
      for (;;) {
        if (minResource === null) {
          const steps = study.trials.filter((t) => t.state === "complete").map(lastStep).filter((s): s is number => s !== null);
          if (steps.length === 0) return false;
          minResource = Math.max(Math.floor(Math.max(...steps) / 100), 1);
        }
        if (step < minResource * eta ** (rate + rung)) return false;
        if (Number.isNaN(value)) return true;
        const key = rungKey(rung);
        trial.systemAttrs[key] = value;
        const competing = study.trials.filter((t) => t.number !== trial.number && key in t.systemAttrs).map((t) => t.systemAttrs[key] as number);
        competing.push(value);
        if (competing.length <= bootstrap) return true;
        if (!promotable(value, competing, eta, study.direction === "maximize")) return true;
        rung++;
      }
    },
  };
}

function rungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

/** In the top 1/η of the rung's values (at least the best one). */
function promotable(value: number, competing: number[], eta: number, maximize: boolean): boolean {
  let k = Math.floor(competing.length / eta) - 1;
  if (k === -1) k = 0;
  competing.sort((a, b) => a - b);
  return maximize ? value >= competing[competing.length - 1 - k] : value <= competing[k];
}
