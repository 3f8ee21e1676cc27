import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { kFold } from "../../../src/data/split/index.js";
import { expectFolds, plain, reference } from "./helpers.js";

describe("kFold", () => {
  it("matches scikit-learn 1.2 KFold (unshuffled) fold for fold", () => {
    expect(reference.kfold.length).toBeGreaterThan(0);
    for (const c of reference.kfold) expect(plain(kFold(c.n, { k: c.k }))).toEqual(c.folds);
  });

  it("covers every row exactly once with fold sizes differing by at most one", () => {
    for (const [n, k] of [[10, 3], [101, 7], [5, 5], [1000, 10]]) {
      const s = kFold(n, { k, shuffle: true, rng: 3 });
      expect(s).toHaveLength(k);
      expectFolds(s, n);
      const sizes = s.map((f) => f.test.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it("takes the row count from a frame", () => {
    const f = Frame.fromColumns({ x: [1, 2, 3, 4, 5, 6] });
    expect(plain(kFold(f, { k: 3 }))).toEqual(plain(kFold(6, { k: 3 })));
  });

  it("shuffles reproducibly: same seed same folds, another seed other folds", () => {
    const a = plain(kFold(200, { k: 5, shuffle: true, rng: 7 }));
    const b = plain(kFold(200, { k: 5, shuffle: true, rng: new Rng(7) }));
    const c = plain(kFold(200, { k: 5, shuffle: true, rng: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(plain(kFold(200, { k: 5 })));
  });

  it("repeats: k · repeats splits, each repetition a new shuffle covering every row once", () => {
    const s = kFold(53, { k: 4, repeats: 3, rng: 9 });
    expect(s).toHaveLength(12);
    for (let r = 0; r < 3; r++) expectFolds(s.slice(r * 4, r * 4 + 4), 53);
    expect(plain(s.slice(0, 4))).not.toEqual(plain(s.slice(4, 8)));
    expect(plain(s.slice(0, 4))).toEqual(plain(kFold(53, { k: 4, shuffle: true, rng: 9 })));
    expect(() => kFold(10, { k: 2, repeats: 2, shuffle: false })).toThrow(/repeats=2 needs shuffle: true/);
    expect(() => kFold(10, { k: 2, repeats: 1.5 })).toThrow(/repeats must be an integer ≥ 1/);
  });

  it("rejects bad k with a message naming it", () => {
    expect(() => kFold(10, { k: 1 })).toThrow(/k must be an integer ≥ 2.*got 1/);
    expect(() => kFold(10, { k: 2.5 })).toThrow(KeelError);
    expect(() => kFold(4, { k: 5 })).toThrow(/k=5 folds cannot be made from 4 rows/);
    expect(() => kFold(-1, { k: 2 })).toThrow(/n must be a row count/);
  });
});
