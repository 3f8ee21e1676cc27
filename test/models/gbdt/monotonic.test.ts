/**
 * Monotonic constraints: predictions move only in the constrained direction along a feature,
 * whatever the other features are — even when the data say otherwise in places.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";

function wiggly(n: number): Frame {
  const rng = new Rng(4);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.float() * 6;
    b[i] = rng.normal();
    // increasing in a overall, with a strong dip, and decreasing in b with a bump
    y[i] = a[i] + 1.5 * Math.sin(3 * a[i]) - b[i] + 0.8 * Math.exp(-b[i] * b[i] * 4) + 0.3 * rng.normal();
  }
  return Frame.fromColumns({ a, b, y });
}

function gridCheck(predict: (f: Frame) => Float64Array, along: "a" | "b", dir: 1 | -1): void {
  const rng = new Rng(9);
  for (let rep = 0; rep < 20; rep++) {
    const other = along === "a" ? rng.normal() : rng.float() * 6;
    const xs = Float64Array.from({ length: 61 }, (_, i) => (along === "a" ? -0.5 + i * 0.12 : -3 + i * 0.1));
    const f = Frame.fromColumns(along === "a" ? { a: xs, b: new Float64Array(61).fill(other) } : { a: new Float64Array(61).fill(other), b: xs });
    const p = predict(f);
    for (let i = 1; i < p.length; i++) expect(dir * (p[i] - p[i - 1])).toBeGreaterThanOrEqual(-1e-12);
  }
}

describe("monotonic constraints", () => {
  it("regression: increasing in a, decreasing in b", async () => {
    const data = wiggly(3000);
    const m = await gbdtRegressor({ maxIter: 60, earlyStopping: false, threads: 1, monotonic: { a: 1, b: -1 } }).fit(data, { target: "y" });
    gridCheck((f) => m.predict(f), "a", 1);
    gridCheck((f) => m.predict(f), "b", -1);
    // the unconstrained model does follow the dip, so the check above is not vacuous
    const free = await gbdtRegressor({ maxIter: 60, earlyStopping: false, threads: 1 }).fit(data, { target: "y" });
    expect(() => gridCheck((f) => free.predict(f), "a", 1)).toThrow();
  });

  it("classification: the probability of the positive class is monotone", async () => {
    const data = wiggly(3000);
    const y = (data.column("y") as { values: Float64Array }).values;
    const labels = Array.from(y, (v) => (v > 2.5 ? "1" : "0"));
    const m = await gbdtClassifier({ maxIter: 40, earlyStopping: false, threads: 1, monotonic: { a: 1 } }).fit(data.drop(["y"]).withColumn("c", labels), { target: "c" });
    gridCheck((f) => {
      const p = m.predictProba(f);
      return Float64Array.from({ length: f.nRows }, (_, i) => p[2 * i + 1]);
    }, "a", 1);
  });

  it("rejects constraints on unknown or categorical features", async () => {
    const data = Frame.fromColumns({ a: [1, 2, 3, 4], k: ["x", "y", "x", "y"], y: [1, 2, 3, 4] });
    await expect(gbdtRegressor({ monotonic: { nope: 1 } }).fit(data, { target: "y" })).rejects.toThrow(/nope/);
    await expect(gbdtRegressor({ monotonic: { k: 1 } }).fit(data, { target: "y" })).rejects.toThrow(/categorical feature "k"/);
    expect(() => gbdtRegressor({ monotonic: { a: 2 } })).toThrow(/monotonic/);
  });
});
