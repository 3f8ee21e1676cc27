/** `lowestCostThreshold` against its definition: every candidate threshold's cost counted row by row. */
import { describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { lowestCostThreshold } from "../../src/metrics/index.js";

/** Cost of "positive when score ≥ t", counted directly. */
function costAt(y: number[], s: number[], t: number, cfp: number, cfn: number, w?: number[]): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const predicted = s[i] >= t ? 1 : 0;
    if (predicted === 1 && y[i] === 0) c += cfp * (w ? w[i] : 1);
    if (predicted === 0 && y[i] === 1) c += cfn * (w ? w[i] : 1);
  }
  return c;
}

describe("lowestCostThreshold", () => {
  for (const [cfp, cfn, weighted] of [[1, 5, false], [5, 1, false], [1, 1, true], [2.5, 0.5, true]] as const) {
    it(`fp=${cfp}, fn=${cfn}${weighted ? ", weighted" : ""}: the least cost over every distinct score and +∞, the highest of ties`, () => {
      const rng = new Rng(3);
      const n = 200;
      const y: number[] = [];
      const s: number[] = [];
      const w: number[] = [];
      for (let i = 0; i < n; i++) {
        y.push(rng.float() < 0.3 ? 1 : 0);
        s.push(Math.round((y[i] ? 0.2 : 0) + rng.float() * 0.8 * 20) / 20); // ties
        w.push(0.5 + rng.float());
      }
      const got = lowestCostThreshold(y, s, { fp: cfp, fn: cfn, sampleWeight: weighted ? w : undefined });
      const candidates = [...new Set(s), Infinity].sort((a, b) => b - a);
      let best = Infinity;
      let at = NaN;
      for (const t of candidates) {
        const c = costAt(y, s, t, cfp, cfn, weighted ? w : undefined);
        if (c < best - 1e-12) [best, at] = [c, t];
      }
      expect(got.threshold).toBe(at);
      expect(got.cost).toBeCloseTo(best, 10);
      expect(got.fp * cfp + got.fn * cfn).toBeCloseTo(best, 10);
      expect(got.tp + got.fn).toBeCloseTo(weighted ? y.reduce((a, v, i) => a + v * w[i], 0) : y.reduce((a, v) => a + v, 0), 10);
    });
  }
  it("a cost that is not a number > 0 is refused naming it", () => {
    expect(() => lowestCostThreshold([0, 1], [0.2, 0.8], { fp: 0, fn: 1 })).toThrow(KeelError);
    expect(() => lowestCostThreshold([0, 1], [0.2, 0.8], { fp: 1, fn: Number.NaN })).toThrow(/false negative \(fn\) is NaN/);
  });
});
