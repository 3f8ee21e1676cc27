import { InvalidInputError } from "../../core/index.js";
import { type HyperbandPrunerSpec, hyperbandPruner } from "./hyperband.js";
import { type PercentilePrunerSpec, percentilePruner } from "./percentile.js";
import { type Pruner, nopPruner } from "./pruner.js";
import { type SuccessiveHalvingPrunerSpec, successiveHalvingPruner } from "./successive-halving.js";

export type { Pruner } from "./pruner.js";
export { lastStep, nopPruner } from "./pruner.js";
export { percentilePruner, type PercentilePrunerSpec } from "./percentile.js";
export { successiveHalvingPruner, type SuccessiveHalvingPrunerSpec } from "./successive-halving.js";
export { hyperbandPruner, type HyperbandPrunerSpec } from "./hyperband.js";

/** A pruner as data: `{ name: "median" }`, `{ name: "successive-halving" }`, `{ name: "hyperband" }`, `{ name: "none" }`. */
export type PrunerSpec = { name: "none" } | PercentilePrunerSpec | SuccessiveHalvingPrunerSpec | HyperbandPrunerSpec;

/**
 * The pruner a spec describes; unknown names and bad fields are refused with the field named.
 * @example
 * ```ts
 * const pruner = createPruner({ name: "median", nStartupTrials: 5, nWarmupSteps: 1 });
 * ```
 */
export function createPruner(spec: PrunerSpec): Pruner {
  if (spec === null || typeof spec !== "object") throw new InvalidInputError(`pruner ${JSON.stringify(spec)} is invalid; expected an object with a name`, { path: "pruner", received: spec, expected: 'an object such as { name: "median" }' });
  switch (spec.name) {
    case "none":
      return nopPruner();
    case "median":
    case "percentile":
      return percentilePruner(spec);
    case "successive-halving":
      return successiveHalvingPruner(spec);
    case "hyperband":
      return hyperbandPruner(spec);
    default:
      throw new InvalidInputError(`pruner name ${JSON.stringify((spec as { name: unknown }).name)} is unknown; expected "median", "percentile", "successive-halving", "hyperband" or "none"`, { path: "pruner.name", received: (spec as { name: unknown }).name, expected: '"median", "percentile", "successive-halving", "hyperband" or "none"' });
  }
}
