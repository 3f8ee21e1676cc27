import type { Json } from "../../core/index.js";
import type { StudyView } from "../samplers/sampler.js";
import type { TrialRecord } from "../storage.js";

/**
 * Decides, after a trial reported an intermediate value, whether to stop it. It may keep
 * bookkeeping in the trial's `systemAttrs` (the study saves them).
 */
export interface Pruner {
  readonly spec: Json;
  prune(study: StudyView, trial: TrialRecord): boolean;
}

/** The largest step the trial reported, or null. */
export function lastStep(trial: TrialRecord): number | null {
  let last: number | null = null;
  for (const k of Object.keys(trial.intermediate)) {
    const s = Number(k);
    if (last === null || s > last) last = s;
  }
  return last;
}

/** A pruner that never prunes. */
export function nopPruner(): Pruner {
  return { spec: { name: "none" }, prune: () => false };
}
