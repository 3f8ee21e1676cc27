/**
 * The one quantile implementation against NumPy (`np.percentile`, `np.quantile`, `np.median` with
 * every method Keel offers) and scikit-learn (`_weighted_percentile`), bit for bit
 * (test/fixtures/core/make_reference.py); selection on unsorted data equals the sorted form.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type PercentileMethod, median, percentile, percentileSorted, quantile, quantileSorted, selectKth, weightedMedianSorted, weightedPercentile, withoutNaN } from "../../src/core/quantile.js";
import { Rng } from "../../src/core/rng.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, "../fixtures/core/reference.json"), "utf8"));
const METHODS: PercentileMethod[] = ["linear", "lower", "higher", "nearest", "midpoint"];
const linspace = Array.from({ length: 254 }, (_, k) => (k + 1) * (100 / 255));

describe("percentiles equal NumPy's", () => {
  for (const c of ref.percentile) {
    const values = Float64Array.from(c.values as number[]);
    const sorted = Float64Array.from(values).sort();
    for (const m of METHODS) {
      it(`${c.name}, method ${m}`, () => {
        const r = c.percentiles[m];
        r.p.forEach((p: number, i: number) => {
          expect(percentile(values, p, m)).toBe(r.value[i]);
          expect(percentileSorted(sorted, p, m)).toBe(r.value[i]);
        });
        // np.linspace(0, 100, 256)[1:-1], as scikit-learn's bin edges use
        linspace.forEach((p, i) => expect(percentileSorted(sorted, p, m)).toBe(r.linspace255[i]));
        const rq = c.quantiles[m];
        rq.q.forEach((q: number, i: number) => {
          expect(quantile(values, q, m)).toBe(rq.value[i]);
          expect(quantileSorted(sorted, q, m)).toBe(rq.value[i]);
        });
      });
    }
    it(`${c.name}: median`, () => expect(median(values)).toBe(c.median));
  }

  it("leaves the input as it was; empty input gives NaN", () => {
    const v = Float64Array.of(5, 1, 4, 2, 3);
    percentile(v, 30);
    median(v);
    expect([...v]).toEqual([5, 1, 4, 2, 3]);
    expect(percentile(new Float64Array(0), 50)).toBeNaN();
    expect(median([])).toBeNaN();
    expect(weightedPercentile([], [], 50)).toBeNaN();
    expect([...withoutNaN([NaN, 1, NaN, 2])]).toEqual([1, 2]);
  });
});

describe("weighted percentile equals scikit-learn's _weighted_percentile", () => {
  for (const c of ref.weighted) {
    it(c.name, () => {
      c.p.forEach((p: number, i: number) => expect(weightedPercentile(c.values, c.weights, p)).toBe(c.value[i]));
    });
  }

  it("tree-criterion weighted median: the midpoint when the cumulative weight is exactly half", () => {
    expect(weightedMedianSorted([1, 2, 3, 4], [1, 1, 1, 1])).toBe(2.5);
    expect(weightedMedianSorted([1, 2, 3, 4], [1, 1, 1, 2])).toBe(3);
    expect(weightedMedianSorted([1, 2, 3], [3, 1, 1])).toBe(1);
    expect(weightedMedianSorted([], [])).toBeNaN();
  });
});

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
      for (const k of [0, a.length >> 1, a.length - 1]) {
        const b = Float64Array.from(a);
        expect(selectKth(b, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(b[i]).toBeLessThanOrEqual(b[k]);
        for (let i = k + 1; i < b.length; i++) expect(b[i]).toBeGreaterThanOrEqual(b[k]);
      }
    }
  });

  it("percentiles by selection equal percentiles of the sorted array, for every method", () => {
    for (const a of inputs) {
      const sorted = Float64Array.from(a).sort();
      for (const m of METHODS) for (const p of [0, 10, 25, 33.3, 50, 66.7, 75, 90, 100]) expect(percentile(a, p, m)).toBe(percentileSorted(sorted, p, m));
    }
  });
});
