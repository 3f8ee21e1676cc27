/** k-NN: what it refuses, and a larger search checked against a plain sort. */
import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { kNearest, knnClassifier, knnRegressor, NeighborIndex } from "../../../src/models/knn/index.js";

const data = Frame.fromColumns({ a: [0, 1, 2, 3], b: [1, 0, 1, 0], y: ["p", "q", "p", "q"] });

describe("knn", () => {
  it("refuses sample weights and k larger than the training set", async () => {
    await expect(knnClassifier().fit(data, { target: "y" })).rejects.toThrow(/nNeighbors is 5 but there are only 4 training rows/);
    await expect(knnClassifier({ nNeighbors: 2 }).fit(data, { target: "y", weights: new Float64Array(4).fill(1) })).rejects.toBeInstanceOf(KeelError);
    await expect(knnRegressor({ nNeighbors: 2 }).fit(data.withColumn("y", [1, 1, 1, 1]), { target: "y" })).rejects.toThrow(/constant/);
  });

  it("finds the same neighbours as a full sort, ties by index (brute force and k-d tree)", () => {
    const rng = new Rng(8);
    const n = 3000;
    const m = 40;
    const d = 3;
    // coarse integer coordinates: many exact distance ties
    const train = Float64Array.from({ length: n * d }, () => rng.int(6));
    const query = Float64Array.from({ length: m * d }, () => rng.int(6));
    for (const power of [1, 2, 3]) {
      const k = 9;
      const res = kNearest(train, n, query, m, d, k, power);
      const index = new NeighborIndex(train, n, d);
      expect(index.usesTree).toBe(true);
      const viaTree = index.search(query, m, k, power);
      expect(Array.from(viaTree.index)).toEqual(Array.from(res.index));
      expect(Array.from(viaTree.distance)).toEqual(Array.from(res.distance));
      for (let q = 0; q < m; q++) {
        const all = Array.from({ length: n }, (_, i) => {
          let s = 0;
          for (let j = 0; j < d; j++) s += Math.abs(train[i * d + j] - query[q * d + j]) ** power;
          return { i, s };
        }).sort((x, y) => x.s - y.s || x.i - y.i);
        expect(Array.from(res.index.subarray(q * k, (q + 1) * k))).toEqual(all.slice(0, k).map((e) => e.i));
      }
    }
  });
});

describe("knn on continuous data", () => {
  it("the k-d tree and brute force agree on a larger random problem", async () => {
    const rng = new Rng(21);
    const n = 5000;
    const d = 4;
    const cols: Record<string, Float64Array> = {};
    for (let j = 0; j < d; j++) cols[`x${j}`] = Float64Array.from({ length: n }, () => rng.normal());
    const train = Frame.fromColumns({ ...cols, y: Float64Array.from({ length: n }, (_, i) => Math.sin(i)) });
    const model = await knnRegressor({ nNeighbors: 7, weights: "distance" }).fit(train, { target: "y" });
    const queries = Frame.fromColumns(Object.fromEntries(Object.keys(cols).map((c) => [c, Float64Array.from({ length: 200 }, () => rng.normal())])));
    const nb = model.kneighbors(queries);
    const X = new Float64Array(n * d);
    for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) X[i * d + j] = cols[`x${j}`][i];
    const Q = new Float64Array(200 * d);
    for (let j = 0; j < d; j++) for (let i = 0; i < 200; i++) Q[i * d + j] = (queries.column(`x${j}`) as { values: Float64Array }).values[i];
    expect(Array.from(nb.index)).toEqual(Array.from(kNearest(X, n, Q, 200, d, 7, 2).index));
  });
});
