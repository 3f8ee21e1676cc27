/**
 * The per-fit presort: ranks (ties in row order, NaN last), the (row, value) pairs by rank, and
 * the two-valued features found along the way (`lowCount`), with and without row-major ranks.
 */
import { describe, expect, it } from "vitest";
import { presort } from "../../../src/models/tree/presort.js";

// 5 rows × 5 features, column-major
const cols = [
  [3, 1, 2, 1, 5], // numeric with a tie
  [0, 1, 0, 0, 1], // one-hot: 3 rows on 0
  [-0, 0, 1, 0, -0], // two values once −0 and +0 are one
  [7, 7, 7, 7, 7], // constant
  [1, NaN, 0, 1, 0], // two values but a missing one
];
const n = 5;
const p = cols.length;
const X = Float64Array.from(cols.flat());

describe("presort", () => {
  it("orders each feature's rows (ties by row, NaN last) and finds the two-valued features", () => {
    const ps = presort(X, n, p);
    const rowsByRank = (j: number) => Array.from({ length: n }, (_, r) => ps.byRank[2 * (j * n + r)]);
    expect(rowsByRank(0)).toEqual([1, 3, 2, 0, 4]);
    expect(rowsByRank(4)).toEqual([2, 4, 0, 3, 1]);
    for (let j = 0; j < p; j++) for (let r = 0; r < n; r++) expect(ps.rank[ps.byRank[2 * (j * n + r)] * p + j]).toBe(r);
    expect(Array.from(ps.nonMissing)).toEqual([5, 5, 5, 5, 4]);
    expect(Array.from(ps.lowCount)).toEqual([-1, 3, 4, -1, -1]);
  });

  it("leaves the row-major ranks out when asked, with the rest unchanged", () => {
    const full = presort(X, n, p);
    const lean = presort(X, n, p, false, false);
    expect(lean.rank.length).toBe(0);
    expect(lean.byRank).toEqual(full.byRank);
    expect(lean.lowCount).toEqual(full.lowCount);
  });
});
