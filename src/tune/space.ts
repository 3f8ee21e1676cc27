/**
 * A search space as data — what keel.yaml's `tune:` block writes — and how a trial draws it.
 */
import { InvalidInputError } from "../core/index.js";
import { type CategoricalChoice, type Distribution, type ParamValue, categoricalDistribution, floatDistribution, intDistribution } from "./distributions.js";
import type { Trial } from "./trial.js";

/** One parameter's range as keel.yaml writes it. */
export type SpaceEntry =
  | { float: [number, number]; log?: boolean; step?: number }
  | { int: [number, number]; log?: boolean; step?: number }
  | { categorical: CategoricalChoice[] };

/**
 * keel.yaml's space (`{ learningRate: { float: [0.01, 0.3], log: true } }`) as distributions,
 * checked as `trial.suggest*` checks them; a bad range is an error naming `at.<param>`.
 * @example
 * ```ts
 * const space = spaceDistributions({ learningRate: { float: [0.01, 0.3], log: true }, maxLeaves: { int: [4, 64] } });
 * ```
 */
export function spaceDistributions(space: Record<string, SpaceEntry>, at = "space"): Record<string, Distribution> {
  const out: Record<string, Distribution> = {};
  for (const [name, e] of Object.entries(space)) {
    try {
      if ("float" in e) out[name] = floatDistribution(name, e.float[0], e.float[1], { log: e.log, step: e.step });
      else if ("int" in e) out[name] = intDistribution(name, e.int[0], e.int[1], { log: e.log, step: e.step });
      else out[name] = categoricalDistribution(name, e.categorical);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      throw new InvalidInputError(`${at}.${name}: ${err.message}`, { path: `${at}.${name}`, expected: err.expected, received: err.received });
    }
  }
  if (Object.keys(out).length === 0) throw new InvalidInputError(`${at} is empty; expected at least one parameter`, { path: at, expected: "at least one parameter", received: space });
  return out;
}

/**
 * Asks the trial for every parameter of the space, in the space's order.
 * @example
 * ```ts
 * const space = spaceDistributions({ C: { float: [0.01, 10], log: true } });
 * await study.optimize(async (trial) => {
 *   const params = suggestSpace(trial, space);
 *   return (await crossValidate(logistic(params), frame, { target: "Status", metrics: ["roc_auc"] })).mean.roc_auc!;
 * }, { nTrials: 20 });
 * ```
 */
export function suggestSpace(trial: Trial, space: Record<string, Distribution>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, d] of Object.entries(space)) {
    if (d.type === "categorical") out[name] = trial.suggestCategorical(name, d.choices);
    else if (d.type === "int") out[name] = trial.suggestInt(name, d.low, d.high, { log: d.log, step: d.step });
    else out[name] = trial.suggestFloat(name, d.low, d.high, { log: d.log, ...(d.step !== null ? { step: d.step } : {}) });
  }
  return out;
}
