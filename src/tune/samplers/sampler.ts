/**
 * The sampler contract, Optuna's: when a trial starts the sampler may draw several parameters
 * jointly over a search space inferred from past trials (`sampleRelative`); each parameter the
 * objective asks for outside that space is drawn alone (`sampleIndependent`). Values are in
 * internal form (a number, or a choice's index).
 */
import type { Json } from "../../core/index.js";
import { type Distribution, sameDistribution } from "../distributions.js";
import type { Direction, TrialRecord } from "../storage.js";

/** What a sampler or pruner sees of a study: its direction and its trials at the time of asking. */
export interface StudyView {
  readonly name: string;
  readonly direction: Direction;
  readonly trials: readonly TrialRecord[];
}

export type SearchSpace = Record<string, Distribution>;

/** A sampler (Optuna's contract): a relative search space drawn jointly at `ask`, and one independent draw per parameter otherwise. */
export interface Sampler {
  /** The spec the sampler was made from (data, logged with the study). */
  readonly spec: Json;
  inferRelativeSearchSpace(study: StudyView, trial: TrialRecord): SearchSpace;
  sampleRelative(study: StudyView, trial: TrialRecord, space: SearchSpace): Record<string, number>;
  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number;
}

/**
 * The parameters every finished (complete or pruned) trial has with the same distribution,
 * Optuna's intersection search space, without one-valued parameters; names sorted.
 */
export function intersectionSearchSpace(trials: readonly TrialRecord[]): SearchSpace {
  let space: SearchSpace | null = null;
  for (const t of trials) {
    if (t.state !== "complete" && t.state !== "pruned") continue;
    if (space === null) {
      space = { ...t.distributions };
      continue;
    }
    for (const name of Object.keys(space)) {
      const d = t.distributions[name];
      if (d === undefined || (d !== space[name] && !sameDistribution(d, space[name]))) delete space[name];
    }
  }
  const out: SearchSpace = {};
  for (const name of Object.keys(space ?? {}).sort()) out[name] = space![name];
  return out;
}
