import { describe, expect, it } from "vitest";
import { groupHoldout } from "../../../src/data/split/index.js";
import { expectPartition } from "./helpers.js";

describe("groupHoldout", () => {
  const groups = Array.from({ length: 200 }, (_, i) => `c${(i * 7) % 23}`);

  it("keeps every group on one side, and takes ⌈testSize · groups⌉ groups for the test set (scikit-learn's GroupShuffleSplit rule)", () => {
    const s = groupHoldout(groups, { testSize: 0.2, rng: 42 });
    expectPartition(s, 200);
    const testGroups = new Set(Array.from(s.test, (i) => groups[i]));
    const trainGroups = new Set(Array.from(s.train, (i) => groups[i]));
    expect(testGroups.size).toBe(Math.ceil(0.2 * 23));
    for (const g of testGroups) expect(trainGroups.has(g)).toBe(false);
    expect(testGroups.size + trainGroups.size).toBe(23);
    expect(groupHoldout(groups, { testSize: 3, rng: 1 }).test.length).toBeGreaterThan(0);
  });

  it("is seeded: the same seed gives the same groups, another seed others", () => {
    const a = groupHoldout(groups, { testSize: 0.3, rng: 7 });
    expect(groupHoldout(groups, { testSize: 0.3, rng: 7 })).toEqual(a);
    expect(Array.from(groupHoldout(groups, { testSize: 0.3, rng: 8 }).test)).not.toEqual(Array.from(a.test));
  });

  it("refuses one group, a test size taking every group, and a missing label", () => {
    expect(() => groupHoldout(["a", "a", "a"], { testSize: 0.5 })).toThrow(/a group split of 1 group with testSize 0\.5 leaves no group for training/);
    expect(() => groupHoldout(["a", "b"], { testSize: 2 })).toThrow(/leaves no group for training/);
    expect(() => groupHoldout(["a", "b"], { testSize: 1.5 })).toThrow(/testSize must be a fraction in \(0, 1\) or a whole number of groups, got 1\.5/);
    expect(() => groupHoldout(["a", null as unknown as string, "b"], { testSize: 0.5 })).toThrow(/groups is missing at row 1/);
  });
});
