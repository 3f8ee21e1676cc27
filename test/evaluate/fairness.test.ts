import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { categoricalFromValues } from "../../src/data/column.js";
import { fairnessReport } from "../../src/evaluate/fairness.js";
import { groupsOf } from "../../src/evaluate/subgroups.js";

// made by test/fixtures/evaluate/make_fairness_bias_slices.py from Fairlearn's definitions (numpy/pandas)
const cases = JSON.parse(readFileSync(new URL("../fixtures/evaluate/fairness_bias_slices.json", import.meta.url), "utf8")).fairness;
const close = (a: number, b: number | null, what: string) => {
  if (b === null) expect(a, what).toBeNaN();
  else expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12);
};

describe("fairness in Fairlearn's definitions", () => {
  cases.forEach((c: any, k: number) => {
    it(`equals a direct computation from the definitions (case ${k})`, () => {
      const y = Int32Array.from(c.y);
      const yp = Int32Array.from(c.y_pred);
      const r = fairnessReport("g", groupsOf(categoricalFromValues(c.groups)), y, yp, (rows) => ({ accuracy: rows.reduce((s, i) => s + (y[i] === yp[i] ? 1 : 0), 0) / rows.length }));
      expect(r.groups.map((g) => g.group).sort()).toEqual(Object.keys(c.by_group).sort());
      for (const g of r.groups) {
        const e = c.by_group[g.group];
        expect(g.count).toBe(e.count);
        close(g.selection_rate, e.selection_rate, `${g.group} selection_rate`);
        close(g.true_positive_rate, e.true_positive_rate, `${g.group} TPR`);
        close(g.false_positive_rate, e.false_positive_rate, `${g.group} FPR`);
        close(g.disparate_impact, e.disparate_impact, `${g.group} disparate impact`);
        close(g.metrics.accuracy, e.accuracy, `${g.group} accuracy`);
        expect(g.four_fifths_flag).toBe(e.disparate_impact < 0.8);
      }
      for (const key of ["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio"] as const) close(r[key], c[key], key);
      expect(r.disparate_impact).toBe(r.demographic_parity_ratio);
      expect(r.four_fifths_flag).toBe(c.demographic_parity_ratio < 0.8);
    });
  });

  it("says which group an undefined rate leaves out", () => {
    const c = cases[1];
    const r = fairnessReport("g", groupsOf(categoricalFromValues(c.groups)), Int32Array.from(c.y), Int32Array.from(c.y_pred));
    expect(r.notes.join(" ")).toMatch(/true_positive_rate is undefined for "z" \(no positive rows\)/);
  });

  it("leaves groups under minGroupSize out of the aggregates and flags, and says so", () => {
    const c = cases[0];
    const y = Int32Array.from(c.y);
    const yp = Int32Array.from(c.y_pred);
    const groups = groupsOf(categoricalFromValues(c.groups));
    const all = fairnessReport("g", groups, y, yp);
    const big = fairnessReport("g", groups, y, yp, undefined, { minGroupSize: 100 });
    const d = c.by_group.d;
    expect(d.count).toBeLessThan(100);
    const rest = Object.entries(c.by_group).filter(([k]) => k !== "d").map(([, v]: [string, any]) => v.selection_rate);
    expect(Math.abs(big.demographic_parity_difference - (Math.max(...rest) - Math.min(...rest)))).toBeLessThanOrEqual(1e-12);
    expect(big.groups.find((g) => g.group === "d")!.four_fifths_flag).toBe(false);
    expect(big.notes[0]).toMatch(/"d" \(\d+ rows\) is under 100 rows/);
    expect(all.groups.length).toBe(big.groups.length);
  });

  it("refuses labels that are not 0/1 and rows that do not line up", () => {
    const g = groupsOf(categoricalFromValues(["a", "b"]));
    expect(() => fairnessReport("g", g, [0, 2], [0, 1])).toThrow(/row 1 has truth 2/);
    expect(() => fairnessReport("g", g, [0], [0, 1])).toThrow(/same number of rows/);
  });
});
