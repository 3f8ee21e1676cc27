/**
 * Linear models against scikit-learn 1.2 (reference values from
 * test/fixtures/linear/make_reference.py on sklearn's bundled data sets).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { elasticNet, lasso, linearRegression, logistic, ridge } from "../../../src/models/linear/index.js";

const here = new URL("../../fixtures/linear/", import.meta.url);
const datasets = JSON.parse(readFileSync(new URL("datasets.json", here), "utf8")) as Record<string, { X: number[][]; y: number[]; w: number[] }>;
const ref = JSON.parse(readFileSync(new URL("reference.json", here), "utf8")) as {
  regression: { name: string; kind: string; dataset: string; weights: boolean; params: Record<string, unknown>; coef: number[]; intercept: number; predict: number[]; nIter?: number; iterationsDiffer?: boolean }[];
  logistic: { name: string; dataset: string; weights: boolean; params: Record<string, unknown>; tight: boolean; coef: number[][]; intercept: number[]; nIter: number; proba: number[][]; predict: number[] }[];
};

export function frameOf(name: string, targetKind: "numeric" | "label" = "numeric"): Frame {
  const d = datasets[name];
  const cols: Record<string, Float64Array | string[]> = {};
  const p = d.X[0].length;
  for (let j = 0; j < p; j++) cols[`x${j}`] = Float64Array.from(d.X, (r) => r[j]);
  cols.y = targetKind === "numeric" ? Float64Array.from(d.y) : d.y.map((v) => String(v));
  return Frame.fromColumns(cols);
}

/** Largest |a − b| relative to max(|b|, floor·max|ref|), so exact zeros of sparse fits compare sensibly. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor * scale, 1e-300));
  return m;
}

const regressors: Record<string, (p: Record<string, unknown>) => { fit: (f: Frame, o: object) => Promise<unknown> }> = {
  "linear-regression": linearRegression,
  ridge,
  lasso,
  "elastic-net": elasticNet,
};

describe("least-squares models match scikit-learn", () => {
  for (const c of ref.regression) {
    it(c.name, async () => {
      const frame = frameOf(c.dataset);
      const w = c.weights ? Float64Array.from(datasets[c.dataset].w) : undefined;
      const model = (await regressors[c.kind](c.params).fit(frame, { target: "y", weights: w })) as {
        coef: Float64Array;
        intercept: number;
        nIter: number;
        predict: (f: Frame) => Float64Array;
      };
      // closed forms: 1e-9; coordinate descent with the same rule and tolerance: far below 1e-4
      const tol = c.kind === "linear-regression" || c.kind === "ridge" ? 1e-9 : c.iterationsDiffer ? 1e-4 : 1e-7;
      expect(maxRelDiff(model.coef, c.coef)).toBeLessThan(tol);
      expect(Math.abs(model.intercept - c.intercept)).toBeLessThan(tol * Math.max(1, Math.abs(c.intercept)));
      if (c.nIter !== undefined && !c.iterationsDiffer) expect(model.nIter).toBe(c.nIter);
      const pred = model.predict(frame.take(Array.from({ length: 10 }, (_, i) => i)));
      expect(maxRelDiff(pred, c.predict)).toBeLessThan(tol * 10);
    });
  }
});

describe("logistic regression matches scikit-learn", () => {
  for (const c of ref.logistic) {
    it(c.name, async () => {
      const frame = frameOf(c.dataset);
      const w = c.weights ? Float64Array.from(datasets[c.dataset].w) : undefined;
      const model = await logistic(c.params).fit(frame, { target: "y", weights: w, threads: 1 });
      const coef = c.coef.flat();
      // the issue asks for 1e-4; default tol runs the same L-BFGS iterates as SciPy, tight tol
      // reaches the same optimum, and both land far closer than that
      const tol = c.tight ? 1e-6 : 1e-8;
      expect(maxRelDiff(model.coef, coef)).toBeLessThan(tol);
      expect(maxRelDiff(model.intercept, c.intercept, 1e-2)).toBeLessThan(tol);
      if (!c.tight) expect(model.nIter).toBe(c.nIter);
      const head = frame.take(Array.from({ length: 12 }, (_, i) => i));
      const proba = model.predictProba(head);
      expect(maxRelDiff(proba, c.proba.flat(), 1)).toBeLessThan(1e-9);
      const labels = model.predict(frame);
      const predicted = Array.from(labels.codes, (k) => Number(labels.categories[k]));
      expect(predicted).toEqual(c.predict);
    });
  }
});
