/**
 * Prediction paths and what a fitted model tells: batch and single-row predictions agree,
 * feature importance (gain and split counts), sample and class weights.
 */
import type { CategoricalColumn } from "../../../src/data/column.js";
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { PARALLEL_PREDICT_ROWS } from "../../../src/models/gbdt/predict-pool.js";
import { synthetic } from "./helpers.js";

describe("prediction", () => {
  it("single-row prediction equals batch prediction, for records and arrays", async () => {
    const data = synthetic(2500, 31);
    const x = data.select(["x1", "x2", "shop"]);
    const c = await gbdtClassifier({ maxIter: 25, threads: 1 }).fit(data.drop(["value", "count"]), { target: "label" });
    const r = await gbdtRegressor({ maxIter: 25, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    const proba = c.predictProba(x);
    const labels = c.predict(x);
    const values = r.predict(x);
    const rows = x.toRows(400);
    rows.forEach((row, i) => {
      const p = c.predictProbaRow(row);
      expect(p[0]).toBeCloseTo(proba[2 * i], 12);
      expect(p[1]).toBeCloseTo(proba[2 * i + 1], 12);
      expect(c.predictRow(row)).toBe(labels.categories[labels.codes[i]]);
      expect(r.predictRow(row)).toBeCloseTo(values[i], 10);
      expect(r.predictRow([row.x1, row.x2, row.shop])).toBe(r.predictRow(row));
    });
  });

  it("single rows take datetimes as Date, epoch milliseconds or ISO strings", async () => {
    const day = Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000));
    const y = Float64Array.from({ length: 200 }, (_, i) => (i > 100 ? 5 : 0));
    const m = await gbdtRegressor({ maxIter: 20, minSamplesLeaf: 5, threads: 1 }).fit(Frame.fromColumns({ day, y }), { target: "y" });
    const june = new Date("2024-06-01T00:00:00Z");
    expect(m.predictRow({ day: "2024-06-01T00:00:00Z" })).toBe(m.predictRow({ day: june }));
    expect(m.predictRow({ day: june.getTime() })).toBe(m.predictRow({ day: june }));
    expect(m.predictRow({ day: june })).toBeGreaterThan(4);
    expect(m.predictRow({ day: "2024-01-02T00:00:00Z" })).toBeLessThan(1);
  });

  it("an empty frame predicts nothing", async () => {
    const data = synthetic(300, 32);
    const r = await gbdtRegressor({ maxIter: 3, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    expect(r.predict(data.select(["x1", "x2", "shop"]).take([])).length).toBe(0);
  });
});

describe("feature importance", () => {
  it("gain and split counts name the informative feature and ignore noise", async () => {
    const n = 3000;
    const signal = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const noise = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 78.233) * 12345.678 % 1);
    const y = Float64Array.from(signal, (s) => 4 * s);
    const m = await gbdtRegressor({ maxIter: 20, threads: 1, minSamplesLeaf: 50 }).fit(Frame.fromColumns({ noise, signal, y }), { target: "y" });
    expect(m.featureNames).toEqual(["noise", "signal"]);
    const gain = m.featureImportance("gain");
    const split = m.featureImportance();
    expect(gain[1]).toBeGreaterThan(20 * gain[0]);
    expect(m.featureImportance("split")[1]).toBeGreaterThan(0);
    expect(split).toEqual(gain);
    expect(() => m.featureImportance("cover" as "gain")).toThrow(/cover/);
  });
});

describe("weights", () => {
  it("integer sample weights act like repeated rows", async () => {
    const n = 400;
    const x = Float64Array.from({ length: n }, (_, i) => i % 40);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 40) ** 1.5 / 20 + ((i * 7) % 5) / 10);
    const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const idx: number[] = [];
    for (let i = 0; i < n; i++) for (let k = 0; k < w[i]; k++) idx.push(i);
    const data = Frame.fromColumns({ x, y });
    const spec = gbdtRegressor({ maxIter: 10, threads: 1, minSamplesLeaf: 1, earlyStopping: false });
    const weighted = await spec.fit(data, { target: "y", weights: w });
    const repeated = await spec.fit(data.take(idx), { target: "y" });
    const grid = Frame.fromColumns({ x: Float64Array.from({ length: 40 }, (_, i) => i) });
    const a = weighted.predict(grid);
    const b = repeated.predict(grid);
    for (let i = 0; i < 40; i++) expect(a[i]).toBeCloseTo(b[i], 6);
  });

  it('classWeight "balanced" raises the rare class\'s probability; a map is checked against the classes', async () => {
    const data = synthetic(3000, 33).drop(["value", "count"]);
    const codes = (data.column("label") as CategoricalColumn);
    const rare = Array.from(codes.codes, (k, i) => (codes.categories[k] === "yes" && i % 4 === 0 ? "yes" : "no"));
    const d = data.withColumn("label", rare);
    const plain = await gbdtClassifier({ maxIter: 20, threads: 1 }).fit(d, { target: "label" });
    const balanced = await gbdtClassifier({ maxIter: 20, threads: 1, classWeight: "balanced" }).fit(d, { target: "label" });
    const x = d.select(["x1", "x2", "shop"]);
    const mean = (p: Float64Array) => p.reduce((s, v, i) => (i % 2 ? s + v : s), 0) / (p.length / 2);
    expect(mean(balanced.predictProba(x))).toBeGreaterThan(mean(plain.predictProba(x)) + 0.1);
    const mapped = await gbdtClassifier({ maxIter: 20, threads: 1, classWeight: { yes: 5 } }).fit(d, { target: "label" });
    expect(mean(mapped.predictProba(x))).toBeGreaterThan(mean(plain.predictProba(x)));
    await expect(gbdtClassifier({ classWeight: { maybe: 2 } }).fit(d, { target: "label" })).rejects.toThrow(/maybe/);
  });
});

describe("parallel batch prediction", () => {
  it("large batches give the same scores on one thread and on several", async () => {
    const data = synthetic(PARALLEL_PREDICT_ROWS + 3001, 34);
    const x = data.select(["x1", "x2", "shop"]);
    const m = await gbdtClassifier({ maxIter: 15, earlyStopping: false, threads: 1 }).fit(data.slice(0, 5000).drop(["value", "count"]), { target: "label" });
    const saved = process.env.KEEL_THREADS;
    try {
      process.env.KEEL_THREADS = "1";
      const one = m.predictProba(x);
      process.env.KEEL_THREADS = "3";
      m.predictProba(x); // starts the pool
      await new Promise((r) => setTimeout(r, 1500)); // let the workers come up
      const three = m.predictProba(x);
      expect(three).toEqual(one);
      expect(three.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    } finally {
      if (saved === undefined) delete process.env.KEEL_THREADS;
      else process.env.KEEL_THREADS = saved;
    }
  }, 60_000);
});
