import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { bootstrapInterval } from "../../src/evaluate/bootstrap.js";

describe("bootstrapInterval", () => {
  it("covers the mean of a normal sample with about the theoretical width", () => {
    const rng = new Rng(5);
    const n = 2000;
    const x = Float64Array.from({ length: n }, () => 10 + 2 * rng.normal());
    const mean = (rows: Int32Array) => {
      let s = 0;
      for (const i of rows) s += x[i];
      return s / rows.length;
    };
    const ci = bootstrapInterval(n, mean, { rounds: 2000, rng: new Rng(1) });
    expect(ci.low).toBeLessThan(ci.estimate);
    expect(ci.high).toBeGreaterThan(ci.estimate);
    // theoretical 95% half-width: 1.96 * 2 / sqrt(2000) = 0.0877
    expect((ci.high - ci.low) / 2).toBeGreaterThan(0.0877 * 0.85);
    expect((ci.high - ci.low) / 2).toBeLessThan(0.0877 * 1.15);
    expect(Math.abs(ci.estimate - 10)).toBeLessThan(0.2);
  });

  it("keeps every stratum's size when stratified, and is reproducible", () => {
    const strata = Int32Array.from({ length: 100 }, (_, i) => (i < 5 ? 1 : 0));
    const sizes: number[] = [];
    const stat = (rows: Int32Array) => {
      let k = 0;
      for (const i of rows) k += strata[i];
      sizes.push(k);
      return k;
    };
    bootstrapInterval(100, stat, { rounds: 50, strata });
    expect(new Set(sizes)).toEqual(new Set([5]));
    const a = bootstrapInterval(100, (r) => r[0], { rounds: 50, rng: new Rng(3) });
    const b = bootstrapInterval(100, (r) => r[0], { rounds: 50, rng: new Rng(3) });
    expect(a).toEqual(b);
    expect(() => bootstrapInterval(10, () => 1, { level: 1.5 })).toThrow(/level/);
  });
});
