/**
 * TPE's math against Optuna 3.1 (Debian python3-optuna), value by value: fixtures from
 * test/fixtures/tune/make_tpe.py.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import type { Distribution } from "../../src/tune/distributions.js";
import { ParzenEstimator, TpeSampler, bestCandidate, defaultWeights, logGaussMass, logNormalCdf, observationPairs, splitObservations, truncnormQuantile } from "../../src/tune/samplers/index.js";
import { numpyArgsort } from "../../src/tune/samplers/numpy-argsort.js";
import type { TrialRecord, TrialState } from "../../src/tune/storage.js";

type Num = number | "inf" | "-inf" | "nan";
const num = (v: Num): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : v);

interface EstimatorJson {
  weights: number[];
  numeric: Record<string, { low: number; high: number; mus: number[]; sigmas: number[] }>;
  categorical: Record<string, number[][]>;
}
interface OptunaDist {
  type: "float" | "int" | "categorical";
  low?: number;
  high?: number;
  log?: boolean;
  step?: number | null;
  choices?: (string | number)[];
}
const ref = JSON.parse(readFileSync(new URL("../fixtures/tune/tpe.json", import.meta.url), "utf8")) as {
  argsort: { v: number[]; order: number[] }[];
  truncnorm: { x: number[]; logNdtr: number[]; intervals: [number, number][]; logMass: number[]; q: number[]; ppf: number[][] };
  parzen: { label: string; space: Record<string, OptunaDist>; options: Record<string, number | boolean>; observations: Record<string, number[]>; estimator: EstimatorJson; samples: Record<string, number[]>; logPdf: Num[] }[];
  split: {
    label: string;
    direction: "minimize" | "maximize";
    space: Record<string, OptunaDist>;
    multivariate: boolean;
    constantLiar: boolean;
    trials: { state: TrialState; value?: number; params: Record<string, number | string>; intermediate?: Record<string, Num> }[];
    steps: { params: string[]; n: number; below: number[]; above: number[]; l: EstimatorJson; g: EstimatorJson; candidates: Record<string, number[]>; logL: Num[]; logG: Num[]; best: number }[];
  }[];
};

/** Relative difference, absolute below 1. */
const close = (a: number, b: number, tol: number, what: string) => {
  if (Number.isNaN(b) || !Number.isFinite(b)) return expect(a, what).toBe(b);
  expect(Math.abs(a - b) / Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`).toBeLessThan(tol);
};

function toDistribution(d: OptunaDist): Distribution {
  if (d.type === "categorical") return { type: "categorical", choices: d.choices! };
  if (d.type === "int") return { type: "int", low: d.low!, high: d.high!, log: d.log!, step: d.step ?? 1 };
  return { type: "float", low: d.low!, high: d.high!, log: d.log!, step: d.step ?? null };
}

const space = (s: Record<string, OptunaDist>) => Object.fromEntries(Object.entries(s).map(([k, d]) => [k, toDistribution(d)]));

function compareEstimator(pe: ParzenEstimator, want: EstimatorJson, label: string) {
  expect(pe.weights.length, `${label} components`).toBe(want.weights.length);
  want.weights.forEach((w, i) => close(pe.weights[i], w, 1e-14, `${label} weight ${i}`));
  for (const [name, p] of Object.entries(want.numeric)) {
    const got = pe.numeric.get(name)!;
    close(got.low, p.low, 1e-15, `${label} ${name} low`);
    close(got.high, p.high, 1e-15, `${label} ${name} high`);
    p.mus.forEach((m, i) => close(got.mus[i], m, 1e-14, `${label} ${name} mu ${i}`));
    p.sigmas.forEach((s, i) => close(got.sigmas[i], s, 1e-13, `${label} ${name} sigma ${i}`));
  }
  for (const [name, rows] of Object.entries(want.categorical)) {
    const got = pe.categorical.get(name)!;
    const k = rows[0].length;
    rows.forEach((row, i) => row.forEach((v, c) => close(got[i * k + c], v, 1e-14, `${label} ${name} [${i}, ${c}]`)));
  }
}

const asArrays = (o: Record<string, number[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Float64Array.from(v)]));

describe("NumPy's argsort order", () => {
  it("equals np.argsort among ties, through insertion sort, quicksort and larger arrays", () => {
    for (const c of ref.argsort) expect(Array.from(numpyArgsort(c.v)), `n = ${c.v.length}`).toEqual(c.order);
  });
});

describe("truncated normal pieces equal Optuna's _truncnorm", () => {
  it("log Φ, from the far left tail to the far right", () => {
    ref.truncnorm.x.forEach((x, i) => close(logNormalCdf(x), ref.truncnorm.logNdtr[i], 1e-13, `log Φ(${x})`));
  });
  it("log mass on [a, b] and the quantile, tails and narrow intervals included", () => {
    ref.truncnorm.intervals.forEach(([a, b], i) => {
      close(logGaussMass(a, b), ref.truncnorm.logMass[i], 1e-12, `log mass [${a}, ${b}]`);
      ref.truncnorm.q.forEach((q, j) => close(truncnormQuantile(q, a, b), ref.truncnorm.ppf[i][j], 1e-9, `ppf(${q}; ${a}, ${b})`));
    });
  });
});

describe("the Parzen estimator equals Optuna 3.1's _ParzenEstimator", () => {
  for (const c of ref.parzen) {
    it(c.label, () => {
      const pe = new ParzenEstimator(asArrays(c.observations), space(c.space), {
        considerPrior: (c.options.consider_prior as boolean) ?? true,
        priorWeight: (c.options.prior_weight as number) ?? 1,
        considerMagicClip: (c.options.consider_magic_clip as boolean) ?? true,
        considerEndpoints: (c.options.consider_endpoints as boolean) ?? false,
        multivariate: (c.options.multivariate as boolean) ?? false,
        weights: defaultWeights,
        densityScale: false,
      });
      compareEstimator(pe, c.estimator, c.label);
      const lp = pe.logPdf(asArrays(c.samples));
      c.logPdf.forEach((v, j) => close(lp[j], num(v), 1e-11, `${c.label} log pdf at sample ${j}`));
      // our own draws stay inside the space and on its grid
      const draws = pe.sample(new Rng(1), 50);
      for (const [name, d] of Object.entries(space(c.space))) {
        for (const x of draws[name]) {
          if (d.type === "categorical") expect(Number.isInteger(x) && x >= 0 && x < d.choices.length).toBe(true);
          else {
            expect(x >= d.low && x <= d.high, `${name} = ${x} in [${d.low}, ${d.high}]`).toBe(true);
            if (d.type === "int") expect(Number.isInteger(x)).toBe(true);
          }
        }
      }
    });
  }
});

describe("whole TPE steps equal Optuna 3.1's: observations, split, estimators, chosen candidate", () => {
  for (const c of ref.split) {
    it(c.label, () => {
      const s = space(c.space);
      const records: TrialRecord[] = c.trials.map((t, number) => {
        const params: Record<string, number> = {};
        for (const [k, v] of Object.entries(t.params)) params[k] = s[k].type === "categorical" ? (s[k] as { choices: readonly unknown[] }).choices.indexOf(v) : (v as number);
        return {
          number,
          state: t.state,
          value: t.value ?? null,
          params,
          distributions: Object.fromEntries(Object.keys(t.params).map((k) => [k, s[k]])),
          intermediate: Object.fromEntries(Object.entries(t.intermediate ?? {}).map(([k, v]) => [Number(k), num(v)])),
          fixedParams: {},
          systemAttrs: {},
          startedAt: null,
          finishedAt: null,
        };
      });
      const sampler = new TpeSampler({ name: "tpe", preset: "optuna", multivariate: c.multivariate, constantLiar: c.constantLiar });
      for (const step of c.steps) {
        const sub = Object.fromEntries(step.params.map((n) => [n, s[n]]));
        const obs = observationPairs(records, step.params, c.direction, c.constantLiar);
        expect(obs.n).toBe(step.n);
        const split = splitObservations(obs.keys, Math.min(Math.ceil(0.1 * obs.n), 25));
        expect(split.below).toEqual(step.below);
        expect(split.above).toEqual(step.above);
        const { below, above } = sampler.estimators(obs, sub);
        compareEstimator(below, step.l, `${c.label} ${step.params} l`);
        compareEstimator(above, step.g, `${c.label} ${step.params} g`);
        const cands = asArrays(step.candidates);
        const logL = below.logPdf(cands);
        const logG = above.logPdf(cands);
        step.logL.forEach((v, j) => close(logL[j], num(v), 1e-11, `log l ${j}`));
        step.logG.forEach((v, j) => close(logG[j], num(v), 1e-11, `log g ${j}`));
        expect(bestCandidate(logL, logG), `${c.label} ${step.params} chosen candidate`).toBe(step.best);
      }
    });
  }
});
