import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { biasBreaches, pretrainingBias } from "../../src/evaluate/pretraining-bias.js";

// made by test/fixtures/evaluate/make_fairness_bias_slices.py from SageMaker Clarify's definitions (numpy/pandas)
const ref = JSON.parse(readFileSync(new URL("../fixtures/evaluate/fairness_bias_slices.json", import.meta.url), "utf8")).bias;
const frame = Frame.fromColumns({ sex: ref.sex, status: ref.status, income: Float64Array.from(ref.income), klass: ref.klass });

function check(target: string, expected: Record<string, any>, positive?: string) {
  const r = pretrainingBias(frame, target, ["sex"], positive ? { positive } : {});
  const groups = r.columns[0].groups;
  expect(groups.map((g) => g.group).sort()).toEqual(Object.keys(expected).sort());
  for (const g of groups) {
    const e = expected[g.group];
    expect(g.count).toBe(e.count);
    expect(Math.abs(g.representation - e.representation)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(g.class_imbalance - e.class_imbalance)).toBeLessThanOrEqual(1e-12);
    expect(Object.keys(g.dpl).sort()).toEqual(Object.keys(e.dpl).sort());
    for (const o of Object.keys(e.dpl)) {
      expect(Math.abs(g.dpl[o] - e.dpl[o]), `${g.group} DPL ${o}`).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(g.label_rate[o] - e.label_rate[o]), `${g.group} rate ${o}`).toBeLessThanOrEqual(1e-12);
    }
  }
  return r;
}

describe("pre-training bias (class imbalance, DPL; each group against the rest)", () => {
  it("binary target: the positive class is the second sorted unless named", () => {
    const r = check("status", ref.binary_positive_good);
    expect(r.outcomes).toEqual(["good"]);
    expect(r.reference).toBe("rest");
    check("status", ref.binary_positive_bad, "bad");
  });
  it("regression target: DPL of the label mean", () => check("income", ref.regression));
  it("multiclass target: every class as the positive label", () => check("klass", ref.multiclass));

  it("reports breaches of the bounds, naming group and value", () => {
    const r = pretrainingBias(frame, "status", ["sex"], { positive: "bad" });
    expect(biasBreaches(r, { max_class_imbalance: null, max_dpl: null })).toEqual([]);
    const b = biasBreaches(r, { max_class_imbalance: 0.8, max_dpl: null });
    expect(b.some((s) => /^sex=other: class imbalance 0\.9/.test(s))).toBe(true);
    expect(biasBreaches(r, { max_class_imbalance: null, max_dpl: 0.05 }).some((s) => s.startsWith("sex=female: DPL"))).toBe(true);
  });

  it("does not hold groups under 30 rows to the bounds", () => {
    const tiny = Frame.fromColumns({ g: [...Array(100).fill("big"), ...Array(40).fill("mid"), ...Array(5).fill("tiny")], y: [...Array(100).fill("a"), ...Array(20).fill("a"), ...Array(20).fill("b"), ...Array(5).fill("b")] });
    const r = pretrainingBias(tiny, "y", ["g"], { positive: "b" });
    const b = biasBreaches(r, { max_class_imbalance: null, max_dpl: 0.1 });
    expect(b.some((s) => s.startsWith("g=mid"))).toBe(true);
    expect(b.some((s) => s.startsWith("g=tiny"))).toBe(false);
    expect(biasBreaches(r, { max_class_imbalance: null, max_dpl: 0.1 }, 1).some((s) => s.startsWith("g=tiny"))).toBe(true);
  });

  it("refuses an unknown column or positive class", () => {
    expect(() => pretrainingBias(frame, "status", ["race"])).toThrow(/protected column "race" is not in the data/);
    expect(() => pretrainingBias(frame, "status", ["sex"], { positive: "ok" })).toThrow(/positive class "ok" is not a class/);
    expect(() => pretrainingBias(frame, "nope", ["sex"])).toThrow(/target column "nope"/);
  });
});
