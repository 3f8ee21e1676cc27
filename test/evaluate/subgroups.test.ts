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
    const g = groupsOf(numeric([1, 2, 3, 4, 5, 6, 7, 8, 9, NaN]));
    // quartiles of 1..9: 1, 3, 5, 7, 9
    expect(g.labels).toEqual(["[1, 3)", "[3, 5)", "[5, 7)", "[7, 9]", "(missing)"]);
    expect([...g.group]).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 3, 4]);
  });

  it("computes metrics per group and the largest gap among big-enough groups", () => {
    const col = categoricalFromValues([...Array(20).fill("x"), ...Array(20).fill("y"), "z"]);
    const correct = Float64Array.from({ length: 41 }, (_, i) => (i < 20 ? 1 : i < 30 ? 1 : i < 40 ? 0 : 0));
    const acc = (rows: Int32Array) => ({ accuracy: rows.reduce((s, i) => s + correct[i], 0) / rows.length });
    const r = subgroupMetrics(groupsOf(col), acc);
    expect(r.groups).toEqual({ x: { accuracy: 1, n: 20 }, y: { accuracy: 0.5, n: 20 }, z: { accuracy: 0, n: 1 } });
    expect(r.gaps.accuracy).toEqual({ gap: 0.5, highest: "x", lowest: "y" });
  });
});
