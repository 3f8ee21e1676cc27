import { InvalidInputError } from "../../core/index.js";
import { type GridSamplerSpec, gridSampler } from "./grid.js";
import { randomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";
import { TpeSampler, type TpeSamplerSpec } from "./tpe.js";

export type { Sampler, SearchSpace, StudyView } from "./sampler.js";
export { intersectionSearchSpace } from "./sampler.js";
export { TpeSampler, resolveTpe, observationPairs, splitObservations, bestCandidate, type TpeSamplerSpec, type TpeSettings, type Observations } from "./tpe.js";
export { ParzenEstimator, defaultWeights, type ParzenOptions } from "./parzen-estimator.js";
export { SobolSequence, SOBOL_MAX_DIMENSIONS } from "./sobol.js";
export { randomSampler } from "./random.js";
export { gridSampler, type GridSamplerSpec } from "./grid.js";
export { logGaussMass, logNormalCdf, truncnormQuantile } from "./truncnorm.js";

/** Independent uniform draws (Optuna's `RandomSampler`). */
export type RandomSamplerSpec = { name: "random"; seed?: number };
/** A sampler as data: `{ name: "tpe", seed: 1, multivariate: true }`, `{ name: "random" }`, `{ name: "grid", grid }`. */
export type SamplerSpec = TpeSamplerSpec | RandomSamplerSpec | GridSamplerSpec;

/**
 * The sampler a spec describes; unknown names and bad fields are refused with the field named.
 * @example
 * ```ts
 * const sampler = createSampler({ name: "tpe", seed: 1 });
 * ```
 */
export function createSampler(spec: SamplerSpec): Sampler {
  if (spec === null || typeof spec !== "object") throw new InvalidInputError(`sampler ${JSON.stringify(spec)} is invalid; expected an object with a name`, { path: "sampler", received: spec, expected: 'an object such as { name: "tpe" }' });
  switch (spec.name) {
    case "tpe":
      return new TpeSampler(spec);
    case "random":
      return randomSampler(spec);
    case "grid":
      return gridSampler(spec);
    default:
      throw new InvalidInputError(`sampler name ${JSON.stringify((spec as { name: unknown }).name)} is unknown; expected "tpe", "random" or "grid"`, { path: "sampler.name", received: (spec as { name: unknown }).name, expected: '"tpe", "random" or "grid"' });
  }
}
