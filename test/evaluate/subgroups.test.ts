import { describe, expect, it } from "vitest";
import { categoricalFromValues, numeric } from "../../src/data/column.js";
import { groupsOf, subgroupMetrics } from "../../src/evaluate/subgroups.js";

describe("subgroups", () => {
  it("groups categories, missing included", () => {
    const g = groupsOf(categoricalFromValues(["a", "b", null, "a"]));
    expect(g.labels).toEqual(["a", "b", "(missing)"]);
    expect([...g.group]).toEqual([0, 1, 2, 0]);
  });

  it("bins numerics at quartiles (as numpy's linear quantiles)", () => {
    const g = groupsOf(numeric([1, 2, 3, 4, 5, 6, 7, 8, 9, NaN]), { maxValues: 5 });
    // quartiles of 1..9: 1, 3, 5, 7, 9
    expect(g.labels).toEqual(["[1, 3)", "[3, 5)", "[5, 7)", "[7, 9]", "(missing)"]);
    expect([...g.group]).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 3, 4]);
  });

  it("computes metrics per group and the largest gap among big-enough groups", () => {
    const col = categoricalFromValues([...Array(20).fill("x"), ...Array(20).fill("y"), "z"]);
    const correct = Float64Array.from({ length: 41 }, (_, i) => (i < 20 ? 1 : i < 30 ? 1 : i < 40 ? 0 : 0));
    const acc = (rows: Int32Array) => ({ accuracy: rows.reduce((s, i) => s + correct[i], 0) / rows.length });
    const r = subgroupMetrics(groupsOf(col), acc, { minGroupSize: 10 });
    expect(r.groups).toEqual({ x: { accuracy: 1, n: 20 }, y: { accuracy: 0.5, n: 20 }, z: { accuracy: 0, n: 1 } });
    expect(r.gaps.accuracy).toEqual({ gap: 0.5, highest: "x", lowest: "y" });
    expect(r.compared).toEqual(["x", "y"]);
    expect(r.note).toBeNull();
  });

  // edge cases seen on public data (the penguins' islands, a sex column stored as ±0.05)
  const rows = (sizes: Record<string, number>) => Object.entries(sizes).flatMap(([label, k]) => Array<string>(k).fill(label));
  const share = (right: (i: number) => boolean) => (r: Int32Array) => ({ accuracy: r.reduce((s, i) => s + (right(i) ? 1 : 0), 0) / r.length });

  it("keeps a numeric column with few values as categories: sex stored as ±0.05 is two groups with a real gap", () => {
    const sex = Float64Array.from({ length: 100 }, (_, i) => (i < 60 ? 0.05 : -0.05));
    const g = groupsOf(numeric(sex));
    expect(g.labels).toEqual(["-0.05", "0.05"]);
    expect([...g.group.slice(58, 62)]).toEqual([1, 1, 0, 0]);
    const r = subgroupMetrics(g, share((i) => i < 60 || i % 2 === 0));
    expect(r.groups).toEqual({ "0.05": { accuracy: 1, n: 60 }, "-0.05": { accuracy: 0.5, n: 40 } });
    expect(r.gaps.accuracy).toEqual({ gap: 0.5, highest: "0.05", lowest: "-0.05" });
    // ten values are still categories; eleven are binned at quartiles
    expect(groupsOf(numeric(Float64Array.from({ length: 50 }, (_, i) => i % 10))).labels).toHaveLength(10);
    expect(groupsOf(numeric(Float64Array.from({ length: 55 }, (_, i) => i % 11))).labels).toEqual(["[0, 2)", "[2, 5)", "[5, 8)", "[8, 10]"]);
    expect(groupsOf(numeric([1, NaN, 0, 1])).labels).toEqual(["0", "1", "(missing)"]);
  });

  it("one group of 30+ rows: says so with the sizes, never a gap of a group with itself", () => {
    const island = categoricalFromValues(rows({ Biscoe: 52, Dream: 12, Torgersen: 9 }));
    const r = subgroupMetrics(groupsOf(island), share((i) => i % 3 > 0));
    expect(r.gaps).toEqual({});
    expect(r.compared).toEqual(["Biscoe"]);
    expect(r.note).toBe("only one group has 30 rows or more (Biscoe: 52); the others are too small to compare (Dream: 12, Torgersen: 9)");
    expect(Object.keys(r.groups)).toEqual(["Biscoe", "Dream", "Torgersen"]);
  });

  it("groups all under 30 rows stay in the report, with a note giving their sizes", () => {
    const r = subgroupMetrics(groupsOf(categoricalFromValues(rows({ a: 12, b: 20, c: 5 }))), share(() => true));
    expect(r.groups).toEqual({ a: { accuracy: 1, n: 12 }, b: { accuracy: 1, n: 20 }, c: { accuracy: 1, n: 5 } });
    expect(r.gaps).toEqual({});
    expect(r.compared).toEqual([]);
    expect(r.note).toBe("no group has 30 rows or more (b: 20, a: 12, c: 5): too small to compare");
    expect(subgroupMetrics(groupsOf(categoricalFromValues(rows({ only: 40 }))), share(() => true)).note).toBe("one group only (only: 40): nothing to compare");
  });

  it("no gap for a metric defined on one big group only", () => {
    const col = categoricalFromValues(rows({ p: 40, q: 40 }));
    const r = subgroupMetrics(groupsOf(col), (rs) => ({ auc: rs[0] < 40 ? 0.8 : NaN, accuracy: rs[0] < 40 ? 0.9 : 0.7 }));
    expect(r.gaps.auc).toBeUndefined();
    expect(r.gaps.accuracy.gap).toBeCloseTo(0.2, 12);
    expect(r.note).toBeNull();
  });
});
