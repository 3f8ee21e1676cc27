import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { groupKFold } from "../../../src/data/split/index.js";
import { expectFolds, plain, reference } from "./helpers.js";

describe("groupKFold", () => {
  it("matches scikit-learn 1.2 GroupKFold fold for fold", () => {
    expect(reference.group.length).toBeGreaterThan(0);
    for (const c of reference.group) {
      const g = typeof c.groups[0] === "string" ? (c.groups as string[]) : Float64Array.from(c.groups as number[]);
      expect(plain(groupKFold(g, { k: c.k }))).toEqual(c.folds);
    }
  });

  it("never puts a group in two folds, and covers every row once", () => {
    const rng = new Rng(5);
    const n = 2000;
    const groups = new Int32Array(n);
    for (let i = 0; i < n; i++) groups[i] = Math.floor(Math.pow(rng.float(), 2) * 150);
    const splits = groupKFold(groups, { k: 6 });
    expectFolds(splits, n);
    const foldOfGroup = new Map<number, number>();
    splits.forEach((s, f) => {
      for (const i of s.test) {
        const prev = foldOfGroup.get(groups[i]);
        expect(prev === undefined || prev === f).toBe(true);
        foldOfGroup.set(groups[i], f);
      }
      const trainGroups = new Set(Array.from(s.train, (i) => groups[i]));
      for (const i of s.test) expect(trainGroups.has(groups[i])).toBe(false);
    });
  });

  it("balances fold sizes greedily by group size", () => {
    // sizes 10, 9, 8, 7, 6, 5 into 3 folds: 10+5, 9+6, 8+7 = 15 each
    const groups = new Int32Array([10, 9, 8, 7, 6, 5].flatMap((size, g) => new Array(size).fill(g)));
    const sizes = groupKFold(groups, { k: 3 }).map((s) => s.test.length);
    expect(sizes).toEqual([15, 15, 15]);
  });

  it("rejects more folds than groups", () => {
    expect(() => groupKFold(["a", "a", "b", "c"], { k: 4 })).toThrow(/k=4 folds cannot be made from 3 groups/);
  });
});
