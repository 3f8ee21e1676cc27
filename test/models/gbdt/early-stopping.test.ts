/**
 * Early stopping (scikit-learn's rule) and the per-iteration history: stops, keeps the best
 * iteration's trees, honours "auto" and a given validation frame, and reports iteration events.
 */
import { describe, expect, it } from "vitest";
import { type KeelEvent, withObserver } from "../../../src/core/observe.js";
import { Rng } from "../../../src/core/rng.js";
import { bestIteration, holdoutSplit, shouldStop } from "../../../src/models/gbdt/early-stopping.js";
import { AUTO_EARLY_STOPPING_ROWS, gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { synthetic } from "./helpers.js";

describe("early stopping", () => {
  it("stops, and keeps the trees up to the best validation loss", async () => {
    const data = synthetic(1500, 12).drop(["label", "count"]);
    const m = await gbdtRegressor({ maxIter: 400, learningRate: 0.5, maxLeaves: 63, minSamplesLeaf: 2, earlyStopping: true, nIterNoChange: 5, threads: 1 }).fit(data, { target: "value" });
    expect(m.iterationsRun).toBeLessThan(400);
    expect(m.iterationsRun).toBeGreaterThanOrEqual(m.nIterations + 5);
    const v = m.history.valid!;
    expect(v.length).toBe(m.nIterations);
    expect(m.history.train.length).toBe(m.nIterations);
    expect(Math.min(...v)).toBe(v[v.length - 1]);
  });

  it('"auto" turns it on above 10,000 rows only', async () => {
    expect(AUTO_EARLY_STOPPING_ROWS).toBe(10_000);
    const small = await gbdtClassifier({ maxIter: 3, threads: 1 }).fit(synthetic(10_000, 2).drop(["value", "count"]), { target: "label" });
    expect(small.history.valid).toBeNull();
    const big = await gbdtClassifier({ maxIter: 3, threads: 1 }).fit(synthetic(10_001, 2).drop(["value", "count"]), { target: "label" });
    expect(big.history.valid).not.toBeNull();
  });

  it("scores a given validation frame every iteration, and stops on it when asked", async () => {
    const data = synthetic(2000, 13).drop(["label", "count"]);
    const train = data.slice(0, 1500);
    const valid = data.slice(1500);
    const noStop = await gbdtRegressor({ maxIter: 30, earlyStopping: false, threads: 1 }).fit(train, { target: "value", validation: valid });
    expect(noStop.history.valid!.length).toBe(30);
    expect(noStop.nIterations).toBe(30);
    const stop = await gbdtRegressor({ maxIter: 300, learningRate: 0.6, minSamplesLeaf: 2, maxLeaves: 63, earlyStopping: true, nIterNoChange: 3, threads: 1 }).fit(train, { target: "value", validation: valid });
    expect(stop.iterationsRun).toBeLessThan(300);
    // the validation history is the loss of those very rows
    const pred = stop.predict(valid);
    const y = (valid.column("value") as { values: Float64Array }).values;
    let half = 0;
    for (let i = 0; i < y.length; i++) half += 0.5 * (y[i] - pred[i]) ** 2;
    expect(stop.history.valid![stop.nIterations - 1]).toBeCloseTo(half / y.length, 9);
  });

  it("emits one iteration event per iteration with the history's losses", async () => {
    const events: KeelEvent[] = [];
    const data = synthetic(600, 14).drop(["label", "count"]);
    const m = await withObserver({ onEvent: (e) => events.push(e) }, () =>
      gbdtRegressor({ maxIter: 12, earlyStopping: false, threads: 1 }).fit(data, { target: "value", validation: data }),
    );
    const its = events.filter((e): e is Extract<KeelEvent, { type: "iteration" }> => e.type === "iteration");
    expect(its.map((e) => e.iteration)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    its.forEach((e, i) => {
      expect(e.losses.train).toBe(m.history.train[i]);
      expect(e.losses.valid).toBe(m.history.valid![i]);
    });
  });
});

describe("early-stopping pieces", () => {
  it("shouldStop follows scikit-learn's rule", () => {
    expect(shouldStop([1, 0.9, 0.8], 3, 0)).toBe(false);
    expect(shouldStop([1, 0.9, 0.95, 0.92, 0.91], 3, 0)).toBe(true);
    expect(shouldStop([1, 0.9, 0.95, 0.92, 0.89], 3, 0)).toBe(false);
    expect(shouldStop([1, 0.9, 0.95, 0.92, 0.89], 3, 0.02)).toBe(true);
    expect(bestIteration([1, 0.9, 0.7, 0.8])).toBe(2);
  });

  it("the hold-out split is stratified and reproducible", () => {
    const y = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const a = holdoutSplit(1000, 0.2, new Rng(1), y, 2);
    const b = holdoutSplit(1000, 0.2, new Rng(1), y, 2);
    expect(a.valid).toEqual(b.valid);
    expect(a.valid.length + a.train.length).toBe(1000);
    expect(a.valid.reduce((s, i) => s + y[i], 0)).toBe(20);
  });
});
