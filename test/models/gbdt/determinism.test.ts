/**
 * Reproducibility: the same seed gives the same saved bytes (with row and feature subsampling
 * too), another seed another model, and 1 or 2 worker threads give bit-identical models.
 * Save → load gives identical predictions, batch and single-row.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { artifactFromBytes, artifactToBytes, cloneFitted } from "../../../src/estimator/artifact.js";
import { fittedFromArtifact } from "../../../src/estimator/define.js";
import { type GbdtClassifierModel, type GbdtRegressorModel, gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { MIN_ROWS_FOR_THREADS } from "../../../src/models/gbdt/train.js";
import { synthetic } from "./helpers.js";

const bytes = (m: { save(): unknown }) => Buffer.from(artifactToBytes((m as GbdtRegressorModel).save()));

describe("same seed, same bytes", () => {
  it("with subsampling of rows and features", async () => {
    const data = synthetic(3000, 21).drop(["value", "count"]);
    const spec = gbdtClassifier({ maxIter: 15, subsample: 0.7, colsampleByTree: 0.67, earlyStopping: true, threads: 1, seed: 5 });
    const a = await spec.fit(data, { target: "label" });
    const b = await spec.fit(data, { target: "label" });
    expect(bytes(a).equals(bytes(b))).toBe(true);
    const c = await spec.with({ seed: 6 }).fit(data, { target: "label" });
    expect(bytes(a).equals(bytes(c))).toBe(false);
    // an Rng passed in wins over the seed parameter
    const d = await spec.fit(data, { target: "label", rng: new Rng(99) });
    const e = await spec.fit(data, { target: "label", rng: new Rng(99) });
    expect(bytes(d).equals(bytes(e))).toBe(true);
  });

  it("1 thread and 2 threads give identical models", async () => {
    const n = MIN_ROWS_FOR_THREADS + 5000;
    const data = synthetic(n, 22);
    const cls = data.drop(["value", "count"]);
    // threads through FitOptions: as a parameter it would (rightly) be saved with the spec
    const one = await gbdtClassifier({ maxIter: 8, earlyStopping: false }).fit(cls, { target: "label", threads: 1 });
    const two = await gbdtClassifier({ maxIter: 8, earlyStopping: false }).fit(cls, { target: "label", threads: 2 });
    expect(bytes(one).equals(bytes(two))).toBe(true);
    const reg = data.drop(["label", "count"]);
    const r1 = await gbdtRegressor({ maxIter: 6, subsample: 0.5, earlyStopping: false }).fit(reg, { target: "value", threads: 1 });
    const r3 = await gbdtRegressor({ maxIter: 6, subsample: 0.5, earlyStopping: false }).fit(reg, { target: "value", threads: 3 });
    expect(bytes(r1).equals(bytes(r3))).toBe(true);
  }, 120_000);

  it("1 and 2 threads agree with monotonic bounds, categorical splits, feature subsampling and several classes", async () => {
    // big enough for every shared path: partitions in pieces, histograms by blocks and by feature
    // groups, and split searches as jobs (their node bounds finite under the constraint)
    const n = MIN_ROWS_FOR_THREADS + 30_000;
    const data = synthetic(n, 26);
    const v = (data.column("value") as { values: Float64Array }).values;
    const x = data.select(["x1", "x2", "shop", "count"]);
    const bin = x.withColumn("label", data.column("label"));
    const spec = { maxIter: 5, maxLeaves: 24, earlyStopping: false, monotonic: { x1: 1, count: -1 }, colsampleByTree: 0.75, seed: 8 };
    const one = await gbdtClassifier(spec).fit(bin, { target: "label", threads: 1 });
    const two = await gbdtClassifier(spec).fit(bin, { target: "label", threads: 2 });
    expect(bytes(one).equals(bytes(two))).toBe(true);
    const multi = x.withColumn("g", Array.from(v, (z) => (z > 2 ? "p" : z > -2 ? "q" : "r")));
    const m1 = await gbdtClassifier({ maxIter: 3, earlyStopping: false }).fit(multi, { target: "g", threads: 1 });
    const m2 = await gbdtClassifier({ maxIter: 3, earlyStopping: false }).fit(multi, { target: "g", threads: 2 });
    expect(bytes(m1).equals(bytes(m2))).toBe(true);
  }, 120_000);
});

describe("save and load", () => {
  it("round-trips to identical predictions, history and importance", async () => {
    const data = synthetic(2000, 23);
    const m = await gbdtClassifier({ maxIter: 20, threads: 1 }).fit(data.drop(["value", "count"]), { target: "label", validation: data.drop(["value", "count"]).slice(0, 300) });
    const back = fittedFromArtifact(artifactFromBytes(artifactToBytes(m.save())).artifact) as GbdtClassifierModel;
    const x = data.select(["x1", "x2", "shop"]);
    expect(back.predictProba(x)).toEqual(m.predictProba(x));
    expect(back.classes).toEqual(m.classes);
    expect(back.history.train).toEqual(m.history.train);
    expect(back.history.valid).toEqual(m.history.valid);
    expect(back.featureImportance("gain")).toEqual(m.featureImportance("gain"));
    const row = { x1: 0.3, x2: null, shop: "e" };
    expect(back.predictProbaRow(row)).toEqual(m.predictProbaRow(row));
    // the saved model is flat typed buffers, not node objects
    for (const v of Object.values(m.save().buffers)) expect(ArrayBuffer.isView(v)).toBe(true);
  });

  it("a regressor and a multiclass model round-trip too", async () => {
    const data = synthetic(1200, 24);
    const r = await gbdtRegressor({ maxIter: 10, loss: "poisson", threads: 1 }).fit(data.drop(["label", "value"]), { target: "count" });
    const x = data.select(["x1", "x2", "shop"]);
    expect(cloneFitted(r).predict(x)).toEqual(r.predict(x));
    const v = (data.column("value") as { values: Float64Array }).values;
    const k = await gbdtClassifier({ maxIter: 10, threads: 1 }).fit(x.withColumn("g", Array.from(v, (z) => (z > 2 ? "p" : z > -2 ? "q" : "r"))), { target: "g" });
    expect(cloneFitted(k).predictProba(x)).toEqual(k.predictProba(x));
  });

  it("refuses a corrupt artifact with a KeelError instead of reading out of bounds", async () => {
    const data = synthetic(500, 25);
    const m = await gbdtRegressor({ maxIter: 3, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    const a = m.save();
    const left = Int32Array.from(a.buffers["tree.left"] as Int32Array);
    const i = left.findIndex((v) => v >= 0);
    left[i] = 10_000_000;
    expect(() => fittedFromArtifact({ ...a, buffers: { ...a.buffers, "tree.left": left } })).toThrow(/corrupt/);
  });
});
