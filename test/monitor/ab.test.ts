/**
 * A/B verdicts: the mSPRT verdict keeps its error rate under peeking (1,000 simulated experiments
 * looked at 20 times each), finds a known effect at least as often as its last look alone would,
 * and the fixed-horizon numbers beside it follow their formulas.
 */
import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile } from "../../src/core/normal.js";
import { Rng } from "../../src/core/rng.js";
import { abTest, msprt } from "../../src/monitor/index.js";

/** Simulate `experiments` A/B tests of Bernoulli outcomes, looking every `step` outcomes per arm up to `max`; the first verdict of each. */
function simulate(pA: number, pB: number, o: { experiments: number; step: number; max: number; mde: number; seed: number }) {
  const rng = new Rng(o.seed);
  const counts = { better: 0, worse: 0, "not yet": 0 };
  const a = new Uint8Array(o.max);
  const b = new Uint8Array(o.max);
  for (let e = 0; e < o.experiments; e++) {
    for (let i = 0; i < o.max; i++) {
      a[i] = rng.float() < pA ? 1 : 0;
      b[i] = rng.float() < pB ? 1 : 0;
    }
    let verdict: keyof typeof counts = "not yet";
    for (let n = o.step; n <= o.max && verdict === "not yet"; n += o.step) verdict = abTest(a.subarray(0, n), b.subarray(0, n), { mde: o.mde, alpha: 0.05 }).verdict;
    counts[verdict]++;
  }
  return counts;
}

describe("A/B verdicts", () => {
  it("no effect: over 1,000 experiments looked at 20 times each, a false 'better' (or any verdict) at most at α = 0.05", () => {
    const c = simulate(0.3, 0.3, { experiments: 1000, step: 100, max: 2000, mde: 0.05, seed: 11 });
    expect(c.better / 1000).toBeLessThanOrEqual(0.05);
    expect((c.better + c.worse) / 1000).toBeLessThanOrEqual(0.05);
  });

  it("a known effect (30 % → 36 %): 'better' at least at the power of the last look alone, never 'worse'", () => {
    const n = 2000;
    const c = simulate(0.3, 0.36, { experiments: 1000, step: 100, max: n, mde: 0.06, seed: 12 });
    // the last look alone rejects when d/s ≥ c_n, with c_n from the always-valid interval's half width
    const s2 = (0.3 * 0.7) / n + (0.36 * 0.64) / n;
    const c_n = msprt(0, s2, 0.06, 0.05).halfWidth / Math.sqrt(s2);
    const lastLookPower = 1 - normalCdf(c_n - 0.06 / Math.sqrt(s2));
    expect(lastLookPower).toBeGreaterThan(0.75);
    const se = Math.sqrt((lastLookPower * (1 - lastLookPower)) / 1000);
    expect(c.better / 1000).toBeGreaterThanOrEqual(lastLookPower - 3 * se);
    expect(c.worse).toBe(0);
  });

  it("reports the fixed-horizon two-proportion test, interval and sample size by their formulas, and the mSPRT by its", () => {
    const a = Uint8Array.from({ length: 400 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30 %
    const b = Uint8Array.from({ length: 500 }, (_, i) => (i % 100 < 38 ? 1 : 0)); // 38 %
    const r = abTest(a, b, { mde: 0.05, alpha: 0.05, power: 0.8 });
    expect(r.kind).toBe("proportion");
    expect(r.difference).toBeCloseTo(0.08, 12);
    const pooled = (120 + 190) / 900;
    const z = 0.08 / Math.sqrt(pooled * (1 - pooled) * (1 / 400 + 1 / 500));
    expect(r.fixed_horizon.p_value).toBeCloseTo(2 * (1 - normalCdf(z)), 12);
    const se = Math.sqrt((0.3 * 0.7) / 400 + (0.38 * 0.62) / 500);
    expect(r.fixed_horizon.interval.low).toBeCloseTo(0.08 - normalQuantile(0.975) * se, 12);
    const pbar = 0.325;
    const need = Math.ceil((normalQuantile(0.975) * Math.sqrt(2 * pbar * (1 - pbar)) + normalQuantile(0.8) * Math.sqrt(0.3 * 0.7 + 0.35 * 0.65)) ** 2 / 0.05 ** 2);
    expect(r.fixed_horizon.per_arm_needed).toBe(need);
    expect(r.fixed_horizon.more_per_arm).toBe(need - 400);
    const t2 = 0.05 ** 2;
    const s2 = se * se;
    const lambda = Math.sqrt(s2 / (s2 + t2)) * Math.exp((t2 * 0.08 ** 2) / (2 * s2 * (s2 + t2)));
    expect(r.sequential.likelihood_ratio).toBeCloseTo(lambda, 10);
    expect(r.verdict).toBe(lambda >= 20 ? "better" : "not yet");
    expect(r.sequential.interval.low).toBeLessThan(r.fixed_horizon.interval.low); // always valid: wider
    expect(r.sequential.method).toMatch(/mixture SPRT.*always valid/);
  });

  it("outcomes that are not rates: a bootstrap test; lower is better when asked; too few outcomes is 'not yet'; bad options are named", () => {
    const rng = new Rng(5);
    const a = Float64Array.from({ length: 300 }, () => rng.float() * 10);
    const b = Float64Array.from({ length: 300 }, () => rng.float() * 10 - 3);
    const r = abTest(a, b, { mde: 1, greaterIsBetter: false, rounds: 500 });
    expect(r.kind).toBe("mean");
    expect(r.fixed_horizon.test).toBe("bootstrap");
    expect(r.fixed_horizon.p_value).toBeLessThan(0.01);
    expect(r.fixed_horizon.interval.low).toBeLessThan(r.difference);
    expect(r.fixed_horizon.interval.high).toBeGreaterThan(r.difference);
    expect(r.verdict).toBe("better");
    expect(abTest(a.subarray(0, 50), b.subarray(0, 50), { mde: 1, greaterIsBetter: false }).verdict).toBe("not yet");
    expect(() => abTest(a, b, { mde: 0 })).toThrow(/mde must be a difference > 0, got 0/);
    expect(() => abTest(a, b, { mde: 1, alpha: 1.5 })).toThrow(/alpha must be in \(0, 1\)/);
    expect(() => abTest([1, NaN], b, { mde: 1 })).toThrow(/outcome 1 of arm a is not a number/);
  });
});
