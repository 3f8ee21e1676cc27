import { InvalidInputError, type Json, Rng } from "../../core/index.js";
import { type Distribution, type ParamValue, contains, toInternal } from "../distributions.js";
import type { Sampler } from "./sampler.js";

/** Every combination of the grid's values, in a seeded order (Optuna's `GridSampler`). */
export interface GridSamplerSpec {
  name: "grid";
  /** The values to try per parameter; every combination is one grid point. */
  grid: Record<string, readonly ParamValue[]>;
  /** Order in which grid points are visited: shuffled by the seed (Optuna's behaviour), or in order when null. */
  seed?: number | null;
}

/**
 * Grid search: each trial takes the next unvisited combination of the given values (Optuna's
 * GridSampler; visits in a seeded random order, or in lexicographic order with `seed: null`).
 * Once every point has been tried it starts over. A parameter outside the grid is refused.
 * @example createStudy({ direction: "maximize", sampler: { name: "grid", grid: { depth: [2, 4, 8], lr: [0.03, 0.1] } } })
 */
export function gridSampler(spec: GridSamplerSpec): Sampler {
  const names = Object.keys(spec.grid).sort();
  for (const n of names) {
    if (!Array.isArray(spec.grid[n]) || spec.grid[n].length === 0) {
      throw new InvalidInputError(`grid: parameter "${n}" has no values; expected a non-empty array`, { path: `sampler.grid.${n}`, received: spec.grid[n], expected: "a non-empty array" });
    }
  }
  const sizes = names.map((n) => spec.grid[n].length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: total }, (_, i) => i);
  if (spec.seed !== null) new Rng(spec.seed ?? 0).shuffle(order);
  const point = (k: number): Record<string, ParamValue> => {
    const out: Record<string, ParamValue> = {};
    let r = order[k];
    for (let j = names.length - 1; j >= 0; j--) {
      out[names[j]] = spec.grid[names[j]][r % sizes[j]];
      r = Math.floor(r / sizes[j]);
    }
    return out;
  };
  const assigned = new Map<number, Record<string, ParamValue>>();
  return {
    spec: spec as unknown as Json,
    inferRelativeSearchSpace: () => ({}),
    sampleRelative: () => ({}),
    sampleIndependent(study, trial, name, d: Distribution) {
      if (!(name in spec.grid)) {
        throw new InvalidInputError(`grid: parameter "${name}" is not in the grid (${names.join(", ")})`, { path: `sampler.grid.${name}`, received: name, expected: `one of ${names.join(", ")}` });
      }
      let p = assigned.get(trial.number);
      if (!p) {
        // the first grid point no earlier trial has taken; the whole grid again once all are taken
        const taken = new Set(study.trials.filter((t) => t.number !== trial.number).map((t) => t.systemAttrs.gridId).filter((g): g is number => typeof g === "number"));
        let k = 0;
        while (k < total && taken.has(k)) k++;
        if (k === total) k = taken.size % total;
        trial.systemAttrs.gridId = k;
        p = point(k);
        assigned.set(trial.number, p);
      }
      const v = p[name];
      if (!contains(d, v)) {
        throw new InvalidInputError(`grid: value ${JSON.stringify(v)} of "${name}" lies outside the suggested distribution`, { path: `sampler.grid.${name}`, received: v, expected: JSON.stringify(d) });
      }
      return toInternal(d, v);
    },
  };
}
