import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chooseThreshold, parseCosts, thresholdAnalysis } from "../../src/evaluate/threshold.js";

// made by test/fixtures/evaluate/make_fairness_bias_slices.py (scikit-learn's curves, costs from the counts)
const ref = JSON.parse(readFileSync(new URL("../fixtures/evaluate/fairness_bias_slices.json", import.meta.url), "utf8")).threshold;
const y = Int32Array.from(ref.y as number[]);
const score = Float64Array.from(ref.score as number[]);
const thr = (t: number | null) => (t === null ? Infinity : t);

describe("threshold analysis", () => {
  it("gives every threshold's counts, rates and cost as the reference", () => {
    const table = thresholdAnalysis(y, score, { costs: ref.costs });
    expect(table.length).toBe(ref.table.length);
    table.forEach((p, k) => {
      const r = ref.table[k];
      expect(p.threshold).toBe(thr(r.threshold));
      expect([p.tp, p.fp]).toEqual([r.tp, r.fp]);
      for (const key of ["precision", "recall", "f1", "fpr", "cost"] as const) expect(Math.abs(p[key]! - r[key]), `${key} at ${p.threshold}`).toBeLessThanOrEqual(1e-15);
      expect(p.tp + p.fp + p.tn + p.fn).toBe(y.length);
    });
  });

  it("chooses by least cost, by F1 and at a fixed threshold as the reference", () => {
    const c = chooseThreshold(y, score, { by: "cost", ...ref.costs });
    expect(c.by).toBe("cost");
    expect(c.threshold).toBe(thr(ref.by_cost.threshold));
    expect(Math.abs(c.value - ref.by_cost.cost)).toBeLessThanOrEqual(1e-15);
    const f = chooseThreshold(y, score, { by: "f1" });
    expect(f.threshold).toBe(thr(ref.by_f1.threshold));
    expect(Math.abs(f.value - ref.by_f1.f1)).toBeLessThanOrEqual(1e-15);
    const x = chooseThreshold(y, score, ref.fixed.threshold);
    expect([x.by, x.threshold, x.tp, x.fp]).toEqual(["fixed", ref.fixed.threshold, ref.fixed.tp, ref.fixed.fp]);
  });

  it("a costly false negative lowers the threshold, a costly false positive raises it", () => {
    const lowFn = chooseThreshold(y, score, { by: "cost", fp: 1, fn: 1 }).threshold;
    expect(chooseThreshold(y, score, { by: "cost", fp: 1, fn: 10 }).threshold).toBeLessThan(lowFn);
    expect(chooseThreshold(y, score, { by: "cost", fp: 10, fn: 1 }).threshold).toBeGreaterThan(lowFn);
  });

  it("refuses bad rules and costs, naming the field", () => {
    expect(() => chooseThreshold(y, score, { by: "cost", fp: -1, fn: 5 })).toThrow(/threshold\.fp is -1; a cost must be a finite number > 0/);
    expect(() => chooseThreshold(y, score, { by: "nope" } as never)).toThrow(/by "nope" is not known/);
    expect(() => chooseThreshold(y, score, NaN)).toThrow(/threshold is NaN/);
    expect(parseCosts("fn=5, fp=1")).toEqual({ fp: 1, fn: 5 });
    expect(() => parseCosts("fp=1")).toThrow(/needs both fp and fn/);
    expect(() => parseCosts("fp=1,fn=x")).toThrow(/cost\.fn is NaN/);
    expect(() => parseCosts("fp=0,fn=1")).toThrow(/cost\.fp is 0/);
  });
});
