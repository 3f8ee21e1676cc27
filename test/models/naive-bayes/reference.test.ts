/** Naive Bayes against scikit-learn 1.2 (test/fixtures/naive-bayes/make_reference.py). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { categoricalFromValues } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { categoricalNb, gaussianNb } from "../../../src/models/naive-bayes/index.js";

type Case = { name: string; dataset: string; params: Record<string, unknown>; weights: boolean; proba: number[][]; predict: number[] };
const ref = JSON.parse(readFileSync(new URL("../../fixtures/naive-bayes/reference.json", import.meta.url), "utf8")) as {
  data: Record<string, { X?: number[][]; codes?: number[][]; y: number[]; w: number[] }>;
  gaussian: (Case & { theta: number[][]; var: number[][] })[];
  categorical: (Case & { unseenProba: number[][] })[];
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function labels(c: { codes: Int32Array; categories: readonly string[] }): number[] {
  return Array.from(c.codes, (k) => Number(c.categories[k]));
}

/** Categorical features as string categories "c<code>" (dictionary in order of appearance). */
function categoricalFrame(codes: number[][], y: number[]): Frame {
  const cols: Record<string, unknown> = {};
  for (let j = 0; j < codes[0].length; j++) cols[`f${j}`] = categoricalFromValues(codes.map((r) => `c${r[j]}`));
  cols.y = Float64Array.from(y);
  return Frame.fromColumns(cols as never);
}

describe("gaussian-nb matches scikit-learn", () => {
  for (const c of ref.gaussian) {
    it(c.name, async () => {
      const d = ref.data[c.dataset];
      const cols: Record<string, Float64Array> = {};
      for (let j = 0; j < d.X![0].length; j++) cols[`x${j}`] = Float64Array.from(d.X!, (r) => r[j]);
      cols.y = Float64Array.from(d.y);
      const frame = Frame.fromColumns(cols);
      const m = await gaussianNb(c.params).fit(frame, { target: "y", weights: c.weights ? Float64Array.from(d.w) : undefined });
      expect(maxAbsDiff(m.theta, c.theta.flat())).toBeLessThan(1e-9);
      expect(maxAbsDiff(m.variance, c.var.flat()) / Math.max(...c.var.flat())).toBeLessThan(1e-12);
      expect(maxAbsDiff(m.predictProba(frame), c.proba.flat())).toBeLessThan(1e-9);
      expect(labels(m.predict(frame))).toEqual(c.predict);
    });
  }
});

describe("categorical-nb matches scikit-learn", () => {
  for (const c of ref.categorical) {
    it(c.name, async () => {
      const d = ref.data[c.dataset];
      const frame = categoricalFrame(d.codes!, d.y);
      const m = await categoricalNb(c.params).fit(frame, { target: "y", weights: c.weights ? Float64Array.from(d.w) : undefined });
      expect(maxAbsDiff(m.predictProba(frame), c.proba.flat())).toBeLessThan(1e-9);
      expect(labels(m.predict(frame))).toEqual(c.predict);
      // the same data as integer codes in numeric columns, as scikit-learn takes them
      const numericCols: Record<string, Float64Array> = {};
      for (let j = 0; j < d.codes![0].length; j++) numericCols[`f${j}`] = Float64Array.from(d.codes!, (r) => r[j]);
      numericCols.y = Float64Array.from(d.y);
      const asCodes = Frame.fromColumns(numericCols);
      const m2 = await categoricalNb(c.params).fit(asCodes, { target: "y", weights: c.weights ? Float64Array.from(d.w) : undefined });
      expect(maxAbsDiff(m2.predictProba(asCodes), c.proba.flat())).toBeLessThan(1e-9);
      // an unseen category in feature 0 counts as a zero-count category
      const head = frame.take([0, 1, 2, 3, 4]);
      const unseen = head.withColumn("f0", categoricalFromValues(["never", "never", "never", "never", "never"]));
      expect(maxAbsDiff(m.predictProba(unseen), c.unseenProba.flat())).toBeLessThan(1e-9);
    });
  }

  it("a missing category leaves its feature out of the row's likelihood", async () => {
    const d = ref.data.synthetic;
    const frame = categoricalFrame(d.codes!, d.y);
    const m = await categoricalNb().fit(frame, { target: "y" });
    const dropped = await categoricalNb().fit(frame.drop(["f0"]), { target: "y" });
    const head = frame.take([0, 1, 2]);
    const holed = head.withColumn("f0", categoricalFromValues([null, null, null]));
    // same class counts, so the prior and the other features' likelihoods are the same
    expect(maxAbsDiff(m.predictProba(holed), dropped.predictProba(head.drop(["f0"])))).toBeLessThan(1e-12);
  });
});
