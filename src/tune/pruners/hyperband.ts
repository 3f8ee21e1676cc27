import { crc32 } from "node:zlib";
import { InvalidInputError } from "../../core/index.js";
import type { StudyView } from "../samplers/sampler.js";
import type { TrialRecord } from "../storage.js";
import { type Pruner, lastStep } from "./pruner.js";
import { successiveHalvingPruner } from "./successive-halving.js";

/** Hyperband (Li et al. 2018): successive halving over several brackets, with Optuna's options. */
export interface HyperbandPrunerSpec {
  name: "hyperband";
  /** r: steps before the first rung of the most aggressive bracket (1). */
  minResource?: number;
  /** R: the most steps a trial runs; "auto" = the completed trials' last step + 1. */
  maxResource?: number | "auto";
  /** η (3). */
  reductionFactor?: number;
  bootstrapCount?: number;
}

/**
 * Hyperband (Li et al., JMLR 18, 2018) as Optuna's pruner: ⌊log_η(R/r)⌋ + 1 brackets of successive
 * halving with early-stopping rates 0, 1, …; a trial joins a bracket by CRC-32 of
 * "<study>_<number>" over budgets ⌈B · η^s/(s + 1)⌉, and competes only with its bracket's trials.
 * @example createStudy({ direction: "maximize", pruner: { name: "hyperband", maxResource: 300 } })
 */
export function hyperbandPruner(spec: HyperbandPrunerSpec): Pruner {
  const minResource = spec.minResource ?? 1;
  const eta = spec.reductionFactor ?? 3;
  const bootstrap = spec.bootstrapCount ?? 0;
  let maxResource = spec.maxResource ?? "auto";
  const bad = (field: string, received: unknown, expected: string) =>
    new InvalidInputError(`pruner: ${field} ${JSON.stringify(received)} is invalid; expected ${expected}`, { path: `pruner.${field}`, received, expected });
  if (!Number.isInteger(minResource) || minResource < 1) throw bad("minResource", minResource, "an integer ≥ 1");
  if (maxResource !== "auto" && !(Number.isInteger(maxResource) && maxResource >= minResource)) throw bad("maxResource", maxResource, 'an integer ≥ minResource or "auto"');
  if (!Number.isInteger(eta) || eta < 2) throw bad("reductionFactor", eta, "an integer ≥ 2");
  if (bootstrap > 0 && maxResource === "auto") throw bad("bootstrapCount", bootstrap, '0 when maxResource is "auto"');
  const brackets: Pruner[] = [];
  const budgets: number[] = [];
  let total = 0;
  const bracketOf = (studyName: string, trialNumber: number) => {
    let n = crc32(`${studyName}_${trialNumber}`) % total;
    for (let b = 0; b < brackets.length; b++) {
      n -= budgets[b];
      if (n < 0) return b;
    }
    throw new Error("unreachable: the budgets sum to the total");
  };
  return {
    spec: { ...spec },
    prune(study: StudyView, trial: TrialRecord): boolean {
      if (brackets.length === 0) {
        if (maxResource === "auto") {
          const steps = study.trials.filter((t) => t.state === "complete").map(lastStep).filter((s): s is number => s !== null);
          if (steps.length === 0) return false;
          maxResource = Math.max(...steps) + 1;
        }
        const nBrackets = Math.floor(Math.log(maxResource / minResource) / Math.log(eta)) + 1;
        for (let b = 0; b < nBrackets; b++) {
          const s = nBrackets - 1 - b;
          const budget = Math.ceil((nBrackets * eta ** s) / (s + 1));
          budgets.push(budget);
          total += budget;
          brackets.push(successiveHalvingPruner({ name: "successive-halving", minResource, reductionFactor: eta, minEarlyStoppingRate: b, bootstrapCount: bootstrap }));
        }
      }
      const b = bracketOf(study.name, trial.number);
      const bracketStudy: StudyView = { ...study, trials: study.trials.filter((t) => bracketOf(study.name, t.number) === b) };
      return brackets[b].prune(bracketStudy, trial);
    },
  };
}
