/**
 * Keel's gradient boosting against scikit-learn 1.2's HistGradientBoosting at equal settings, on
 * held-out splits of scikit-learn's bundled data (scores from test/fixtures/gbdt/make_reference.py).
 */
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { auc, frameOf, positive, r2, reference } from "./helpers.js";

const settings = { maxIter: 100, learningRate: 0.1, maxLeaves: 31, minSamplesLeaf: 20, maxBins: 255, earlyStopping: false, threads: 1 };

describe("gbdt vs scikit-learn (within 0.01 on a held-out split)", () => {
  it("breast_cancer: test AUC", async () => {
    const d = reference.breast_cancer;
    const m = await gbdtClassifier(settings).fit(frameOf(d, d.train, true), { target: "y" });
    const test = frameOf(d, d.test, true);
    const a = auc(positive(m.predictProba(test)), d.test.map((i: number) => d.y[i]));
    expect(m.classes).toEqual(["0", "1"]);
    expect(Math.abs(a - d.auc)).toBeLessThanOrEqual(0.01);
  });

  it("breast_cancer with 15% of cells missing: test AUC", async () => {
    const d = reference.breast_cancer;
    const m = await gbdtClassifier(settings).fit(frameOf(d, d.train, true, d.X_missing), { target: "y" });
    const a = auc(positive(m.predictProba(frameOf(d, d.test, true, d.X_missing))), d.test.map((i: number) => d.y[i]));
    expect(Math.abs(a - d.auc_missing)).toBeLessThanOrEqual(0.01);
  });

  it("breast_cancer with sample weights: test AUC", async () => {
    const d = reference.breast_cancer;
    const w = Float64Array.from(d.train, (i: number) => d.weights[i]);
    const m = await gbdtClassifier(settings).fit(frameOf(d, d.train, true), { target: "y", weights: w });
    const a = auc(positive(m.predictProba(frameOf(d, d.test, true))), d.test.map((i: number) => d.y[i]));
    expect(Math.abs(a - d.auc_weighted)).toBeLessThanOrEqual(0.01);
  });

  it("iris: test accuracy (softmax, one tree per class)", async () => {
    const d = reference.iris;
    const m = await gbdtClassifier(settings).fit(frameOf(d, d.train, true), { target: "y" });
    const pred = m.predict(frameOf(d, d.test, true));
    let hit = 0;
    d.test.forEach((i: number, k: number) => (hit += pred.categories[pred.codes[k]] === String(d.y[i]) ? 1 : 0));
    expect(m.nIterations * 3).toBe(300);
    expect(Math.abs(hit / d.test.length - d.accuracy)).toBeLessThanOrEqual(0.01 + 1e-12);
  });

  for (const loss of ["squared_error", "absolute_error", "poisson"] as const) {
    it(`diabetes: test R² with loss ${loss}`, async () => {
      const d = reference.diabetes;
      const m = await gbdtRegressor({ ...settings, loss }).fit(frameOf(d, d.train), { target: "y" });
      const score = r2(m.predict(frameOf(d, d.test)), d.test.map((i: number) => d.y[i]));
      expect(Math.abs(score - d.r2[loss])).toBeLessThanOrEqual(0.01);
    });
  }

  it("diabetes: quantile 0.8 pinball loss no more than 2% above scikit-learn's, coverage within 0.05", async () => {
    const d = reference.diabetes;
    const m = await gbdtRegressor({ ...settings, loss: "quantile", quantile: 0.8 }).fit(frameOf(d, d.train), { target: "y" });
    const pred = m.predict(frameOf(d, d.test));
    let pin = 0;
    let cover = 0;
    d.test.forEach((i: number, k: number) => {
      const r = d.y[i] - pred[k];
      pin += r > 0 ? 0.8 * r : -0.2 * r;
      cover += d.y[i] <= pred[k] ? 1 : 0;
    });
    expect(pin / d.test.length).toBeLessThanOrEqual(d.pinball_q80 * 1.02);
    expect(Math.abs(cover / d.test.length - d.coverage_q80)).toBeLessThanOrEqual(0.05);
  });

  it("planted categorical signal: native categorical splits match scikit-learn's and beat ordinal codes", async () => {
    const d = reference.planted;
    const levels = Array.from({ length: 40 }, (_, k) => `L${k}`);
    const frame = (idx: number[]) =>
      Frame.fromColumns({
        level: { kind: "categorical", codes: Int32Array.from(idx, (i: number) => d.cat[i]), categories: levels },
        x: Float64Array.from(idx, (i: number) => d.x[i]),
        y: idx.map((i: number) => String(d.y[i])),
      });
    const yTest = d.test.map((i: number) => d.y[i]);
    const native = await gbdtClassifier(settings).fit(frame(d.train), { target: "y" });
    const ordinal = await gbdtClassifier({ ...settings, categorical: [] }).fit(frame(d.train), { target: "y" });
    const aNative = auc(positive(native.predictProba(frame(d.test))), yTest);
    const aOrdinal = auc(positive(ordinal.predictProba(frame(d.test))), yTest);
    expect(Math.abs(aNative - d.auc_categorical)).toBeLessThanOrEqual(0.01);
    expect(aNative).toBeGreaterThan(aOrdinal);
  });
});
