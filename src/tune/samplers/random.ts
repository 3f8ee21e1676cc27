import { Rng } from "../../core/index.js";
import { type Distribution, fromSamplingScale, samplingBounds } from "../distributions.js";
import type { Sampler } from "./sampler.js";

/** One uniform draw of a parameter on its sampling scale (log for log parameters), as Optuna's random sampler. */
export function sampleUniform(rng: Rng, d: Distribution): number {
  if (d.type === "categorical") return rng.int(d.choices.length);
  const b = samplingBounds(d);
  return fromSamplingScale(d, b.low + rng.float() * (b.high - b.low));
}

/** The value of a point's coordinate u ∈ [0, 1) for a parameter (QMC start-up). */
export function fromUnit(u: number, d: Distribution): number {
  if (d.type === "categorical") return Math.min(Math.floor(u * d.choices.length), d.choices.length - 1);
  const b = samplingBounds(d);
  return fromSamplingScale(d, b.low + u * (b.high - b.low));
}

/**
 * Random search (Bergstra & Bengio, "Random search for hyper-parameter optimization", JMLR
 * 2012): every parameter uniform on its sampling scale, independently.
 * @example createStudy({ direction: "minimize", sampler: { name: "random", seed: 1 } })
 */
export function randomSampler(spec: { name: "random"; seed?: number }): Sampler {
  const rng = new Rng(spec.seed ?? 0);
  return {
    spec: { ...spec },
    inferRelativeSearchSpace: () => ({}),
    sampleRelative: () => ({}),
    sampleIndependent: (_study, _trial, _name, d) => sampleUniform(rng, d),
  };
}
