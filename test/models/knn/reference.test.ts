/** k-NN against scikit-learn 1.2 brute force (test/fixtures/knn/make_reference.py). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { knnClassifier, knnRegressor } from "../../../src/models/knn/index.js";

const ref = JSON.parse(readFileSync(new URL("../../fixtures/knn/reference.json", import.meta.url), "utf8")) as {
  data: Record<string, { train: number[][]; ytrain: number[]; test: number[][] }>;
  classifier: { name: string; params: Record<string, unknown>; proba: number[][]; predict: number[]; index: number[][]; distance: number[][] }[];
  regressor: { name: string; params: Record<string, unknown>; predict: number[] }[];
};

function frame(X: number[][], y?: number[]): Frame {
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < X[0].length; j++) cols[`x${j}`] = Float64Array.from(X, (r) => r[j]);
  if (y) cols.y = Float64Array.from(y);
  return Frame.fromColumns(cols);
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}

describe("knn-classifier matches scikit-learn", () => {
  const d = ref.data.wine;
  for (const c of ref.classifier) {
    it(c.name, async () => {
      const m = await knnClassifier(c.params).fit(frame(d.train, d.ytrain), { target: "y" });
      const test = frame(d.test);
      const pred = m.predict(test);
      expect(Array.from(pred.codes, (k) => Number(pred.categories[k]))).toEqual(c.predict);
      expect(maxRel(m.predictProba(test), c.proba.flat())).toBeLessThan(1e-9);
      const nb = m.kneighbors(test);
      const k = nb.k;
      const sets = Array.from({ length: test.nRows }, (_, q) => Array.from(nb.index.subarray(q * k, (q + 1) * k)).sort((a, b) => a - b));
      expect(sets).toEqual(c.index);
      expect(maxRel(nb.distance, c.distance.flat())).toBeLessThan(1e-9);
    });
  }
});

describe("knn-regressor matches scikit-learn", () => {
  const d = ref.data.diabetes;
  for (const c of ref.regressor) {
    it(c.name, async () => {
      const m = await knnRegressor(c.params).fit(frame(d.train, d.ytrain), { target: "y" });
      expect(maxRel(m.predict(frame(d.test)), c.predict)).toBeLessThan(1e-9);
    });
  }
});

describe("knn ties", () => {
  it("equal distances go to the smaller training index", async () => {
    // training points at distance 1 from the origin, in an order where later ones are equally near
    const train = frame([[1, 0], [0, 1], [-1, 0], [0, -1], [5, 5]], [0, 1, 1, 0, 1]);
    const m = await knnClassifier({ nNeighbors: 2 }).fit(train, { target: "y" });
    const nb = m.kneighbors(frame([[0, 0]]));
    expect(Array.from(nb.index)).toEqual([0, 1]);
  });
});
