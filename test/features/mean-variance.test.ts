/**
 * Mean and variance ignore NaN and honour weights (medians and percentiles: test/core/quantile.test.ts).
 */
import { describe, expect, it } from "vitest";
import { meanVariance } from "../../src/features/mean-variance.js";

describe("meanVariance", () => {
  it("ignores NaN and honours weights", () => {
    const v = Float64Array.from([1, NaN, 3, 5]);
    expect(meanVariance(v)).toEqual({ mean: 3, variance: 8 / 3, count: 3 });
    const w = meanVariance(Float64Array.from([1, 3]), Float64Array.from([3, 1]));
    expect(w.mean).toBe(1.5);
    expect(w.variance).toBeCloseTo(0.75, 15);
  });
});
