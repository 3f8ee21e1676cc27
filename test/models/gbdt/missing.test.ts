/**
 * Missing values and unseen categories: learned default directions at every split, unseen
 * categories routed like missing ones, NaN-only columns, and clear errors for missing columns.
 */
import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { synthetic } from "./helpers.js";

describe("missing values", () => {
  it("learns where missing values go: missingness that carries signal is used", async () => {
    const rng = new Rng(2);
    const n = 2000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const miss = rng.float() < 0.3;
      x[i] = miss ? NaN : rng.normal();
      // missing rows behave like very large x
      y[i] = (miss ? 3 : x[i]) + 0.1 * rng.normal();
    }
    const m = await gbdtRegressor({ maxIter: 50, earlyStopping: false, threads: 1 }).fit(Frame.fromColumns({ x, y }), { target: "y" });
    const p = m.predict(Frame.fromColumns({ x: Float64Array.of(NaN, -1, 0, 1, 2.5) }));
    expect(p[0]).toBeGreaterThan(2.5);
    expect(p[1]).toBeLessThan(-0.5);
  });

  it("predicts on rows with NaN everywhere, and a model trained without missing values accepts them", async () => {
    const data = synthetic(1500, 3);
    const complete = data.withColumn("x2", Float64Array.from((data.column("x2") as { values: Float64Array }).values, (v) => (v === v ? v : 0)));
    const m = await gbdtClassifier({ maxIter: 20, earlyStopping: false, threads: 1 }).fit(complete.drop(["value", "count"]), { target: "label" });
    const holes = Frame.fromColumns({ x1: Float64Array.of(NaN, 0.5), x2: Float64Array.of(NaN, NaN), shop: [null, "c"] });
    const p = m.predictProba(holes);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
    expect(m.predictProbaRow({ x1: null, x2: undefined, shop: null })).toEqual(p.slice(0, 2));
  });

  it("a column missing in every training row is harmless", async () => {
    const data = synthetic(800, 4).withColumn("empty", new Float64Array(800).fill(NaN));
    const m = await gbdtRegressor({ maxIter: 10, earlyStopping: false, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    expect(m.featureImportance("split")[m.featureNames.indexOf("empty")]).toBe(0);
  });
});

describe("unseen categories", () => {
  it("go where missing values of that split go, in batch and single-row prediction", async () => {
    const data = synthetic(2000, 6);
    const m = await gbdtClassifier({ maxIter: 30, earlyStopping: false, threads: 1 }).fit(data.drop(["value", "count"]), { target: "label" });
    const x1 = Float64Array.of(0.2, 0.2, -1);
    const x2 = Float64Array.of(0.1, 0.1, 2);
    const unseen = m.predictProba(Frame.fromColumns({ x1, x2, shop: ["zzz", "never", "zzz"] }));
    const missing = m.predictProba(Frame.fromColumns({ x1, x2, shop: [null, null, null] }));
    expect(unseen).toEqual(missing);
    expect(m.predictProbaRow({ x1: 0.2, x2: 0.1, shop: "zzz" })).toEqual(missing.slice(0, 2));
    expect(m.predictRow({ x1: -1, x2: 2, shop: "never" })).toBe(m.predictRow({ x1: -1, x2: 2, shop: null }));
  });

  it("categories unseen at a node follow the larger side there (not an error)", async () => {
    // "d" exists in the dictionary but has no training rows
    const codes = Int32Array.from({ length: 400 }, (_, i) => i % 3);
    const y = Float64Array.from({ length: 400 }, (_, i) => (i % 3 === 1 ? 5 : 0) + (i % 7) * 0.01);
    const data = Frame.fromColumns({ k: { kind: "categorical", codes, categories: ["a", "b", "c", "d"] }, y });
    const m = await gbdtRegressor({ maxIter: 20, earlyStopping: false, threads: 1, minSamplesLeaf: 5 }).fit(data, { target: "y" });
    const p = m.predict(Frame.fromColumns({ k: ["a", "b", "d"] }));
    expect(p[1]).toBeGreaterThan(4);
    expect(Number.isFinite(p[2])).toBe(true);
  });
});

describe("input errors", () => {
  it("a missing column at predict time names it; a text feature at fit time names it", async () => {
    const data = synthetic(300, 8);
    const m = await gbdtRegressor({ maxIter: 5, earlyStopping: false, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    try {
      m.predict(data.select(["x1", "shop"]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KeelError);
      expect((e as Error).message).toContain("x2");
    }
    const withText = data.withColumn("note", { kind: "text", values: Array.from({ length: 300 }, (_, i) => `n${i}`) });
    await expect(gbdtRegressor().fit(withText.drop(["label", "count"]), { target: "value" })).rejects.toThrow(/"note" is text/);
    await expect(gbdtRegressor({ categorical: ["nope"] }).fit(data.drop(["label", "count"]), { target: "value" })).rejects.toThrow(/nope/);
  });

  it("a single-row value of the wrong type is a KeelError naming the column", async () => {
    const data = synthetic(300, 8);
    const m = await gbdtRegressor({ maxIter: 5, earlyStopping: false, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    expect(() => m.predictRow({ x1: "abc", x2: 1, shop: "a" })).toThrow(/column "x1"/);
    expect(Number.isFinite(m.predictRow({ x1: "1.5", x2: 1, shop: "a" }))).toBe(true);
    expect(m.predictRow([0.1, 0.2, "b"])).toBe(m.predictRow({ x1: 0.1, x2: 0.2, shop: "b" }));
  });
});
