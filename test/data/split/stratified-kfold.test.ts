import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues } from "../../../src/data/column.js";
import { stratifiedKFold, type Split } from "../../../src/data/split/index.js";
import { expectFolds, plain, reference } from "./helpers.js";

function classCounts(y: ArrayLike<number>, rows: Int32Array, nClasses: number): number[] {
  const c = new Array(nClasses).fill(0);
  for (const i of rows) c[y[i]]++;
  return c;
}

function expectStratified(splits: Split[], y: Int32Array, nClasses: number): void {
  const perFold = splits.map((s) => classCounts(y, s.test, nClasses));
  for (let c = 0; c < nClasses; c++) {
    const counts = perFold.map((f) => f[c]);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  }
}

describe("stratifiedKFold", () => {
  it("matches scikit-learn 1.2 StratifiedKFold (unshuffled) fold for fold", () => {
    expect(reference.stratified.length).toBeGreaterThan(0);
    for (const c of reference.stratified) {
      const y = typeof c.y[0] === "string" ? (c.y as string[]) : Int32Array.from(c.y as number[]);
      expect(plain(stratifiedKFold(y, { k: c.k }))).toEqual(c.folds);
    }
  });

  it("shuffled and repeated: every fold holds scikit-learn's per-class counts (StratifiedKFold(shuffle=True), RepeatedStratifiedKFold)", () => {
    expect(reference.stratifiedShuffled.length).toBeGreaterThan(0);
    for (const c of reference.stratifiedShuffled) {
      const y = typeof c.y[0] === "string" ? (c.y as string[]) : Int32Array.from(c.y as number[]);
      const splits = stratifiedKFold(y, { k: c.k, shuffle: true, repeats: c.repeats, rng: 5 });
      expect(splits).toHaveLength(c.k * c.repeats);
      const counts = splits.map((s) => c.labels.map((label) => Array.from(s.test).filter((i) => c.y[i] === label).length));
      expect(counts).toEqual(c.counts);
      for (let r = 0; r < c.repeats; r++) expectFolds(splits.slice(r * c.k, (r + 1) * c.k), c.y.length);
      if (c.repeats > 1) expect(plain(splits.slice(0, c.k))).not.toEqual(plain(splits.slice(c.k, 2 * c.k)));
    }
  });

  it("accepts a categorical column and gives the same folds as its labels", () => {
    const labels = reference.stratified[3].y as string[];
    const col = categoricalFromValues(labels);
    expect(plain(stratifiedKFold(col, { k: 4 }))).toEqual(reference.stratified[3].folds);
  });

  it("spreads each class so per-fold counts differ by at most one, shuffled or not", () => {
    const rng = new Rng(11);
    const n = 503;
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = rng.float() < 0.05 ? 2 : rng.float() < 0.3 ? 1 : 0;
    for (const shuffle of [false, true]) {
      const s = stratifiedKFold(y, { k: 7, shuffle, rng: 1 });
      expectFolds(s, n);
      expectStratified(s, y, 3);
    }
  });

  it("is reproducible with a seed and different with another", () => {
    const y = new Int32Array(300).map((_, i) => i % 3);
    const a = plain(stratifiedKFold(y, { k: 5, shuffle: true, rng: 1 }));
    expect(plain(stratifiedKFold(y, { k: 5, shuffle: true, rng: 1 }))).toEqual(a);
    expect(plain(stratifiedKFold(y, { k: 5, shuffle: true, rng: 2 }))).not.toEqual(a);
  });

  it("names a class with fewer members than k", () => {
    const y = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    expect(() => stratifiedKFold(y, { k: 4 })).toThrow(/class 1 has 3 members, fewer than k=4 folds/);
    expect(() => stratifiedKFold(["a", "a", "b"], { k: 2 })).toThrow(/class "b" has 1 member,/);
    expect(() => stratifiedKFold(y, { k: 1 })).toThrow(KeelError);
    expect(() => stratifiedKFold(y, { k: 2, repeats: 0 })).toThrow(/repeats must be an integer ≥ 1, got 0/);
    expect(() => stratifiedKFold(y, { k: 2, repeats: 2, shuffle: false })).toThrow(/repeats=2 needs shuffle: true/);
  });

  it("rejects missing labels naming the row", () => {
    expect(() => stratifiedKFold(Float64Array.from([0, 1, NaN, 1]), { k: 2 })).toThrow(/y is missing at row 2/);
  });
});
