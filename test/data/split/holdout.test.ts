import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { holdout } from "../../../src/data/split/index.js";
import { expectPartition, plain } from "./helpers.js";

describe("holdout", () => {
  it("sizes the test set as scikit-learn does (ceil of the fraction, or a count)", () => {
    expect(holdout(10, { testSize: 0.25 }).test.length).toBe(3);
    expect(holdout(101, { testSize: 0.2 }).test.length).toBe(21);
    expect(holdout(50, { testSize: 7 }).test.length).toBe(7);
    expect(holdout(100).test.length).toBe(25);
  });

  it("is a partition of all rows, reproducible with a seed and different with another", () => {
    const a = holdout(1000, { testSize: 0.3, rng: 4 });
    expectPartition(a, 1000);
    expect(plain([holdout(1000, { testSize: 0.3, rng: new Rng(4) })])).toEqual(plain([a]));
    expect(Array.from(holdout(1000, { testSize: 0.3, rng: 5 }).test)).not.toEqual(Array.from(a.test));
  });

  it("without shuffling, the test set is the last rows", () => {
    const s = holdout(10, { testSize: 0.3, shuffle: false });
    expect(Array.from(s.train)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(s.test)).toEqual([7, 8, 9]);
  });

  it("stratified: every class's test count is within one row of its exact share", () => {
    const rng = new Rng(9);
    for (const [n, testSize] of [[1000, 0.2], [333, 0.37], [57, 0.5], [2000, 123]] as const) {
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const u = rng.float();
        y[i] = u < 0.02 ? 3 : u < 0.1 ? 2 : u < 0.45 ? 1 : 0;
      }
      for (let c = 0; c < 4; c++) y[2 * c] = y[2 * c + 1] = c; // every class has ≥ 2 rows
      const counts = [0, 0, 0, 0];
      for (const v of y) counts[v]++;
      const s = holdout(n, { testSize, stratify: y, rng: 2 });
      expectPartition(s, n);
      const nTest = s.test.length;
      const inTest = [0, 0, 0, 0];
      for (const i of s.test) inTest[y[i]]++;
      for (let c = 0; c < 4; c++) expect(Math.abs(inTest[c] - (nTest * counts[c]) / n)).toBeLessThan(1);
    }
  });

  it("stratifies on a column of a frame by name", () => {
    const f = Frame.fromColumns({ label: Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? "yes" : "no")), x: new Float64Array(40) });
    const s = holdout(f, { testSize: 0.25, stratify: "label", rng: 1 });
    // 10 "yes" rows, 10 test rows of 40: share 2.5, so 2 or 3
    const yes = Array.from(s.test).filter((i) => i % 4 === 0).length;
    expect(yes === 2 || yes === 3).toBe(true);
    expect(() => holdout(40, { stratify: "label" })).toThrow(/names a column, so the first argument must be a frame/);
    expect(() => holdout(f, { stratify: "nope" })).toThrow(/column "nope" not found/);
  });

  it("rejects bad sizes and single-member classes", () => {
    expect(() => holdout(10, { testSize: 0 })).toThrow(/testSize must be a fraction/);
    expect(() => holdout(10, { testSize: 10 })).toThrow(/gives 10 test rows out of 10/);
    expect(() => holdout(10, { testSize: 2.5 })).toThrow(KeelError);
    expect(() => holdout(4, { stratify: Int32Array.from([0, 0, 1, 0]) })).toThrow(/class 1 has only 1 member/);
    expect(() => holdout(6, { testSize: 1, stratify: Int32Array.from([0, 0, 1, 1, 2, 2]) })).toThrow(/test set would have 1 rows for 3 classes/);
    expect(() => holdout(6, { stratify: Int32Array.from([0, 0, 1, 1, 0, 1]), shuffle: false })).toThrow(/needs shuffle: true/);
  });
});
