/**
 * Selection-based median and percentiles agree exactly with sorting (random arrays with many
 * ties, sorted, reversed and constant inputs); NumPy's own values are checked in reference.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { medianOf, meanVariance, percentileOf, selectKth } from "../../src/features/numeric-stats.js";

function bySort(a: Float64Array, q: number): number {
  const s = Float64Array.from(a).sort();
  const v = (s.length - 1) * (q / 100);
  const lo = Math.floor(v);
  if (lo >= s.length - 1) return s[s.length - 1];
  const t = v - lo;
  const d = s[lo + 1] - s[lo];
  return t >= 0.5 ? s[lo + 1] - d * (1 - t) : s[lo] + d * t;
}

describe("selection", () => {
  const rng = new Rng(11);
  const inputs: Float64Array[] = [];
  for (const n of [1, 2, 3, 10, 17, 100, 1001, 5000]) {
    inputs.push(Float64Array.from({ length: n }, () => rng.normal()));
    inputs.push(Float64Array.from({ length: n }, () => rng.int(4))); // heavy ties
    inputs.push(Float64Array.from({ length: n }, (_, i) => i)); // sorted
    inputs.push(Float64Array.from({ length: n }, (_, i) => n - i)); // reversed
    inputs.push(new Float64Array(n).fill(3)); // constant
  }

  it("selectKth gives the k-th order statistic and partitions around it", () => {
    for (const a of inputs) {
      const sorted = Float64Array.from(a).sort();
      for (const k of new Set([0, a.length >> 1, a.length - 1, Math.floor(a.length / 3)])) {
        const b = Float64Array.from(a);
        expect(selectKth(b, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(b[i] <= b[k]).toBe(true);
        for (let i = k + 1; i < b.length; i++) expect(b[i] >= b[k]).toBe(true);
      }
    }
  });

  it("percentileOf and medianOf equal the sort-based definitions exactly", () => {
    for (const a of inputs) {
      for (const q of [0, 10, 25, 33.3, 50, 66.7, 75, 90, 100]) expect(percentileOf(Float64Array.from(a), q)).toBe(bySort(a, q));
      const s = Float64Array.from(a).sort();
      const h = s.length >> 1;
      expect(medianOf(Float64Array.from(a))).toBe(s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2);
    }
    expect(Number.isNaN(medianOf(new Float64Array(0)))).toBe(true);
  });

  it("meanVariance ignores NaN and honours weights", () => {
    const v = Float64Array.from([1, NaN, 3, 5]);
    expect(meanVariance(v)).toEqual({ mean: 3, variance: 8 / 3, count: 3 });
    const w = meanVariance(Float64Array.from([1, 3]), Float64Array.from([3, 1]));
    expect(w.mean).toBe(1.5);
    expect(w.variance).toBeCloseTo(0.75, 15);
  });
});
