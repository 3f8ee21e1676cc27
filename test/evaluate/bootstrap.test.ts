import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { bcaInterval, bootstrapInterval, bootstrapIntervals, percentileInterval } from "../../src/evaluate/bootstrap.js";

interface RefCase {
  name: string;
  x: number[];
  level: number;
  percentile: { low: number; high: number; replicates: number[] };
  BCa: { low: number; high: number; replicates: number[] };
}
const reference = JSON.parse(readFileSync(new URL("../fixtures/evaluate/reference.json", import.meta.url), "utf8")) as { bootstrap: RefCase[] };

const mean = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};
const std = (x: ArrayLike<number>) => {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
};
const statOf = (name: string) => (name === "std" ? std : mean);

describe("bootstrap intervals", () => {
  it("percentile and BCa bounds equal SciPy's stats.bootstrap on SciPy's own resamples", () => {
    expect(reference.bootstrap.length).toBe(4);
    for (const c of reference.bootstrap) {
      const stat = statOf(c.name);
      const p = percentileInterval(Float64Array.from(c.percentile.replicates), c.level);
      expect(p.low, c.name).toBeCloseTo(c.percentile.low, 12);
      expect(p.high, c.name).toBeCloseTo(c.percentile.high, 12);
      const jack = Float64Array.from(c.x, (_, i) => stat(c.x.filter((_, j) => j !== i)));
      const b = bcaInterval(Float64Array.from(c.BCa.replicates), stat(c.x), jack, c.level);
      expect(b.low, c.name).toBeCloseTo(c.BCa.low, 12);
      expect(b.high, c.name).toBeCloseTo(c.BCa.high, 12);
    }
  });

  it("resamples rows plainly, even when handed classes: 255 of 292 right gives about [0.836, 0.911], not a sliver", () => {
    // classes a and b always right, class c always wrong: resampling within classes would hold
    // the number of right rows fixed and give an interval of width 0 (keel run reported
    // [0.8699, 0.8801] for such a test set); the plain bootstrap gives the binomial-like width
    const y = Int32Array.from({ length: 292 }, (_, i) => (i < 150 ? 0 : i < 255 ? 1 : 2));
    const right = Float64Array.from(y, (c) => (c === 2 ? 0 : 1));
    const ci = bootstrapInterval(292, (rows) => mean(Array.from(rows, (i) => right[i])), { rounds: 2000, rng: new Rng(4), strata: y });
    expect(ci.estimate).toBeCloseTo(255 / 292, 12);
    // SciPy: stats.bootstrap((right,), np.mean, n_resamples=100_000, method="percentile") → [0.8356, 0.9110]
    expect(ci.low).toBeGreaterThan(0.836 - 0.008);
    expect(ci.low).toBeLessThan(0.836 + 0.008);
    expect(ci.high).toBeGreaterThan(0.911 - 0.008);
    expect(ci.high).toBeLessThan(0.911 + 0.008);
    expect(ci).toMatchObject({ rounds: 2000, level: 0.95, method: "percentile", redrawn: 0 });
  });

  it("a 95% interval covers the true value in 93–97% of 1,000 simulated test sets", () => {
    // a classifier right on every class-0 row and on 60% of class-1 rows (30% of the
    // population): true accuracy 0.7 + 0.3 · 0.6 = 0.88. Each simulation draws a test set of 150
    // rows from the population and bootstraps its accuracy (classes passed as keel run does).
    const sim = new Rng(2024);
    const n = 150;
    const truth = 0.88;
    let covered = 0;
    let coveredBca = 0;
    const sims = 1000;
    for (let s = 0; s < sims; s++) {
      const cls = new Int32Array(n);
      const right = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        cls[i] = sim.float() < 0.3 ? 1 : 0;
        right[i] = cls[i] === 0 || sim.float() < 0.6 ? 1 : 0;
      }
      const acc = (rows: Int32Array) => {
        let k = 0;
        for (let t = 0; t < rows.length; t++) k += right[rows[t]];
        return k / rows.length;
      };
      const ci = bootstrapInterval(n, acc, { rounds: 300, rng: sim.fork(), strata: cls });
      if (ci.low <= truth && truth <= ci.high) covered++;
      if (s < 200) {
        const b = bootstrapInterval(n, acc, { rounds: 300, rng: sim.fork(), method: "bca" });
        if (b.low <= truth && truth <= b.high) coveredBca++;
      }
    }
    expect(covered / sims).toBeGreaterThanOrEqual(0.93);
    expect(covered / sims).toBeLessThanOrEqual(0.97);
    // BCa on 200 of them: binomial noise allows a wider band
    expect(coveredBca / 200).toBeGreaterThanOrEqual(0.9);
    expect(coveredBca / 200).toBeLessThanOrEqual(0.99);
  });

  it("redraws a resample on which a statistic is undefined, for that statistic only, and counts it", () => {
    // 20 rows, 2 positives: about 12% of resamples hold no positive, where recall is undefined
    const positive = Float64Array.from({ length: 20 }, (_, i) => (i < 2 ? 1 : 0));
    const stats = (rows: Int32Array) => {
      let pos = 0;
      for (const i of rows) pos += positive[i];
      return { recallLike: pos === 0 ? NaN : 1, share: pos / rows.length };
    };
    const ci = bootstrapIntervals(20, stats, { rounds: 1000, rng: new Rng(8) });
    expect(ci.recallLike.redrawn).toBeGreaterThan(80);
    expect(ci.recallLike.redrawn).toBeLessThan(170);
    expect(ci.recallLike.unavailable).toBeUndefined();
    expect(ci.recallLike.low).toBe(1);
    expect(ci.share.redrawn).toBe(0);
    // the shared resamples are untouched by the redraws: the same as bootstrapping `share` alone
    const alone = bootstrapInterval(20, (rows) => stats(rows).share, { rounds: 1000, rng: new Rng(8) });
    expect({ low: ci.share.low, high: ci.share.high }).toEqual({ low: alone.low, high: alone.high });
  });

  it("says why an interval is not available: undefined on the sample, or on too many resamples", () => {
    const positive = Float64Array.from({ length: 100 }, (_, i) => (i === 0 ? 1 : 0));
    // defined only when the one positive row is drawn at least 4 times (about 2% of resamples)
    const stat = (rows: Int32Array) => {
      let pos = 0;
      for (const i of rows) pos += positive[i];
      return pos >= 4 ? pos : NaN;
    };
    const isSample = (rows: Int32Array) => rows.every((v, i) => v === i);
    const rare = bootstrapInterval(100, (rows) => (isSample(rows) ? 1 : stat(rows)), { rounds: 100, rng: new Rng(1) });
    expect(rare.low).toBeNaN();
    expect(rare.unavailable).toMatch(/^value was undefined on \d+ of 1000 resamples; too few defined ones \(\d+ of 100\) for an interval$/);
    const never = bootstrapInterval(100, () => NaN, { rounds: 50 });
    expect(never.unavailable).toBe("value is not defined on the sample itself");
    expect(never.redrawn).toBe(0);
  });

  it("is reproducible, and rejects bad options naming them", () => {
    const a = bootstrapInterval(100, (r) => r[0], { rounds: 50, rng: new Rng(3) });
    const b = bootstrapInterval(100, (r) => r[0], { rounds: 50, rng: new Rng(3) });
    expect(a).toEqual(b);
    expect(() => bootstrapInterval(10, () => 1, { level: 1.5 })).toThrow(/level must be in \(0, 1\), got 1.5/);
    expect(() => bootstrapInterval(10, () => 1, { rounds: 5 })).toThrow(/rounds must be an integer ≥ 10, got 5/);
    expect(() => bootstrapInterval(10, () => 1, { method: "bc" as never })).toThrow(/method must be "percentile" or "bca", got "bc"/);
    expect(() => bootstrapInterval(0, () => 1)).toThrow(/at least one row/);
  });
});
