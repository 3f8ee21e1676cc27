/**
 * Every loss trains and reduces its loss; predictions have the loss's meaning (quantile coverage,
 * positive Poisson means, probabilities).
 */
import type { CategoricalColumn } from "../../../src/data/column.js";
import { describe, expect, it } from "vitest";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { lossSpec, residualConstant } from "../../../src/models/gbdt/losses.js";
import { reference, synthetic } from "./helpers.js";

const base = { maxIter: 40, earlyStopping: false, threads: 1 };
const data = synthetic(3000, 5);

function decreasing(h: Float64Array): void {
  expect(h.length).toBe(40);
  expect(h[h.length - 1]).toBeLessThan(h[0]);
  // after the first iterations the training loss never goes up by more than rounding
  for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] + 1e-9 * Math.abs(h[i - 1]) + 1e-12);
}

describe("losses", () => {
  for (const loss of ["squared_error", "absolute_error", "huber", "quantile", "poisson"] as const) {
    it(`${loss}: the training loss goes down every iteration`, async () => {
      const target = loss === "poisson" ? "count" : "value";
      const m = await gbdtRegressor({ ...base, loss, quantile: 0.7, huberDelta: 1.5 }).fit(data.drop(["label", loss === "poisson" ? "value" : "count"]), { target });
      const h = m.history.train;
      if (loss === "absolute_error" || loss === "quantile") {
        // leaf values are refitted medians / quantiles, so single steps may wobble; the trend must not
        expect(h[h.length - 1]).toBeLessThan(0.8 * h[0]);
      } else decreasing(h);
    });
  }

  it("quantile 0.9 covers about 90% of the training rows", async () => {
    const m = await gbdtRegressor({ ...base, loss: "quantile", quantile: 0.9 }).fit(data.drop(["label", "count"]), { target: "value" });
    const pred = m.predict(data.select(["x1", "x2", "shop"]));
    const y = (data.column("value") as { values: Float64Array }).values;
    let below = 0;
    for (let i = 0; i < y.length; i++) below += y[i] <= pred[i] ? 1 : 0;
    expect(below / y.length).toBeGreaterThan(0.85);
    expect(below / y.length).toBeLessThan(0.95);
  });

  it("poisson predicts positive means whose average matches the data", async () => {
    const m = await gbdtRegressor({ ...base, loss: "poisson" }).fit(data.drop(["label", "value"]), { target: "count" });
    const pred = m.predict(data.select(["x1", "x2", "shop"]));
    const y = (data.column("count") as { values: Float64Array }).values;
    let sp = 0;
    let sy = 0;
    for (let i = 0; i < y.length; i++) {
      expect(pred[i]).toBeGreaterThan(0);
      sp += pred[i];
      sy += y[i];
    }
    expect(Math.abs(sp / sy - 1)).toBeLessThan(0.02);
  });

  it("poisson refuses negative targets, naming the row", async () => {
    const bad = data.withColumn("count", Float64Array.from({ length: data.nRows }, (_, i) => (i === 7 ? -1 : 1)));
    await expect(gbdtRegressor({ ...base, loss: "poisson" }).fit(bad.drop(["label", "value"]), { target: "count" })).rejects.toThrow(/row 7/);
  });

  it("log_loss, binary: decreasing loss and calibrated mean probability", async () => {
    const m = await gbdtClassifier(base).fit(data.drop(["value", "count"]), { target: "label" });
    decreasing(m.history.train);
    const p = m.predictProba(data.select(["x1", "x2", "shop"]));
    let mean = 0;
    for (let i = 0; i < data.nRows; i++) mean += p[2 * i + 1];
    const codes = (data.column("label") as CategoricalColumn);
    let pos = 0;
    for (let i = 0; i < data.nRows; i++) pos += codes.categories[codes.codes[i]] === "yes" ? 1 : 0;
    expect(Math.abs(mean / data.nRows - pos / data.nRows)).toBeLessThan(0.01);
  });

  it("log_loss, multiclass: one tree per class per iteration, decreasing loss", async () => {
    const v = (data.column("value") as { values: Float64Array }).values;
    const grade = Array.from(v, (x) => (x > 3 ? "high" : x > -1 ? "mid" : "low"));
    const m = await gbdtClassifier(base).fit(data.drop(["value", "count", "label"]).withColumn("grade", grade), { target: "grade" });
    expect(m.classes).toEqual(["high", "low", "mid"]);
    decreasing(m.history.train);
    expect(m.save().state.nTrees).toBe(120);
  });
});

describe("residual constants (starting score, refitted leaves)", () => {
  const p = reference.percentiles;
  for (const q of ["0.1", "0.5", "0.8"]) {
    it(`quantile ${q}: np.percentile(y, 100·q) without weights, _weighted_percentile with`, () => {
      const spec = lossSpec("quantile", 1, Number(q), 1);
      expect(residualConstant(spec, Float64Array.from(p.values), null)).toBe(p.unweighted[q]);
      expect(residualConstant(spec, Float64Array.from(p.values), Float64Array.from(p.weights))).toBe(p.weighted[q]);
    });
  }

  it("absolute error: np.median (the mean of the two middle values), 0 for no rows", () => {
    const spec = lossSpec("absolute_error", 1, 0.5, 1);
    expect(residualConstant(spec, Float64Array.of(4, 1, 3, 2), null)).toBe(2.5);
    expect(residualConstant(spec, new Float64Array(0), null)).toBe(0);
  });
});
