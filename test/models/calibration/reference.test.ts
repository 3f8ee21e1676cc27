/**
 * Calibration against scikit-learn 1.2 (test/fixtures/calibration/make_reference.py): Platt's
 * sigmoid and isotonic regression alone, and CalibratedClassifierCV's calibrators per fold and
 * probabilities per test row, for Gaussian naive Bayes (calibrated from predict_proba) and
 * logistic regression (from decision_function), binary and 3-class, with and without weights.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { cloneFitted } from "../../../src/estimator/index.js";
import { CalibratedClassifier, calibratedClassifier, fitIsotonic, fitSigmoid, isotonicPredict } from "../../../src/models/calibration/index.js";
import { gaussianNb, logistic } from "../../../src/models/index.js";

type Iso = { x: number[]; y: number[] };
const ref = JSON.parse(readFileSync(new URL("../../fixtures/calibration/reference.json", import.meta.url), "utf8")) as {
  sigmoid: { name: string; scores: number[]; y: number[]; w: number[] | null; a: number; b: number }[];
  isotonic: { name: string; x: number[]; y: number[]; w: number[] | null; X_thresholds: number[]; y_thresholds: number[]; grid: number[]; predict: number[] }[];
  calibrated: { name: string; dataset: string; estimator: string; method: "sigmoid" | "isotonic"; weighted: boolean; folds: ({ a: number; b: number } | Iso)[][]; proba: number[][] }[];
  data: Record<string, { train: number[][]; y: number[]; test: number[][]; w: number[] }>;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function frameOf(X: number[][], y?: number[]): Frame {
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < X[0].length; j++) cols[`x${j}`] = Float64Array.from(X, (r) => r[j]);
  if (y) cols.y = Float64Array.from(y);
  return Frame.fromColumns(cols);
}

describe("Platt's sigmoid equals scikit-learn's _sigmoid_calibration", () => {
  for (const c of ref.sigmoid) {
    it(c.name, () => {
      const { a, b } = fitSigmoid(c.scores, c.y, c.w);
      // the same BFGS iterates as SciPy: equal far below the optimiser's own tolerance
      expect(Math.abs(a - c.a)).toBeLessThan(1e-10);
      expect(Math.abs(b - c.b)).toBeLessThan(1e-10);
    });
  }
});

describe("isotonic regression equals scikit-learn's IsotonicRegression(out_of_bounds='clip')", () => {
  for (const c of ref.isotonic) {
    it(c.name, () => {
      const iso = fitIsotonic(c.x, c.y, c.w);
      expect(Array.from(iso.x)).toEqual(c.X_thresholds);
      expect(maxAbsDiff(iso.y, c.y_thresholds)).toBeLessThan(1e-12);
      expect(maxAbsDiff(c.grid.map((t) => isotonicPredict(iso, t)), c.predict)).toBeLessThan(1e-12);
    });
  }
});

describe("calibrated-classifier equals scikit-learn's CalibratedClassifierCV (cv=5, ensemble)", () => {
  for (const c of ref.calibrated) {
    it(c.name, async () => {
      const d = ref.data[c.dataset];
      const base = c.estimator === "logistic" ? logistic() : gaussianNb();
      const spec = calibratedClassifier({ base: base.toJSON(), method: c.method, folds: 5 });
      const model = await spec.fit(frameOf(d.train, d.y), { target: "y", weights: c.weighted ? Float64Array.from(d.w) : undefined, threads: 1 });
      expect(model.source).toBe(c.estimator === "logistic" ? "decision_function" : "predict_proba");
      // each fold's calibrators
      const nCal = c.folds[0].length;
      c.folds.forEach((fold, f) =>
        fold.forEach((want, k) => {
          const got = model.calibrators[f * nCal + k];
          if (c.method === "sigmoid") {
            const w = want as { a: number; b: number };
            const g = got as { a: number; b: number };
            expect(Math.abs(g.a - w.a) + Math.abs(g.b - w.b), `fold ${f} class ${k}`).toBeLessThan(1e-10);
          } else {
            const w = want as Iso;
            const g = got as { x: Float64Array; y: Float64Array };
            expect(maxAbsDiff(g.x, w.x), `fold ${f} class ${k} x`).toBeLessThan(1e-9);
            expect(maxAbsDiff(g.y, w.y), `fold ${f} class ${k} y`).toBeLessThan(1e-12);
          }
        }),
      );
      // every probability of every test row (logistic fits agree with scikit-learn to ~1e-12)
      const test = frameOf(d.test);
      expect(maxAbsDiff(model.predictProba(test), c.proba.flat())).toBeLessThan(1e-10);
      // saved and loaded: the same probabilities, bit for bit
      const loaded = cloneFitted(model);
      expect(loaded).toBeInstanceOf(CalibratedClassifier);
      expect(Array.from(loaded.predictProba(test))).toEqual(Array.from(model.predictProba(test)));
    });
  }
});
