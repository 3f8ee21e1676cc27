/**
 * Linear models beyond the reference values: refusing what they cannot use (naming the column),
 * thread-count independence, iteration events, persistence, and the L-BFGS solver on its own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { type KeelEvent, withObserver } from "../../../src/core/observe.js";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { artifactToBytes, loadModel, saveModel } from "../../../src/estimator/artifact.js";
import { elasticNet, lasso, lbfgs, linearRegression, logistic, ridge, type FittedLogistic } from "../../../src/models/linear/index.js";

function synthetic(n: number, p: number, seed = 1, classes = 2): Frame {
  const rng = new Rng(seed);
  const cols: Record<string, Float64Array | string[]> = {};
  const w = Array.from({ length: p }, () => rng.normal());
  const X = Array.from({ length: p }, () => Float64Array.from({ length: n }, () => rng.normal()));
  X.forEach((c, j) => (cols[`x${j}`] = c));
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    let z = 0.2;
    for (let j = 0; j < p; j++) z += w[j] * X[j][i];
    z += rng.normal() * 0.5;
    y.push(classes === 2 ? (z > 0 ? "b" : "a") : z < -0.7 ? "a" : z < 0.7 ? "b" : "c");
  }
  cols.y = y;
  return Frame.fromColumns(cols);
}

async function rejects(p: Promise<unknown>, ...mentions: string[]): Promise<KeelError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(KeelError);
  for (const m of mentions) expect((err as Error).message).toContain(m);
  return err as KeelError;
}

describe("inputs numeric models refuse", () => {
  const base = synthetic(40, 2);
  it("a categorical feature, naming the column and the fix", async () => {
    const withCity = base.withColumn("city", categoricalFromValues(Array.from({ length: 40 }, (_, i) => (i % 2 ? "Oslo" : "Rome"))));
    await rejects(logistic().fit(withCity, { target: "y" }), `"city"`, "categorical", "autoPipeline(logistic())");
    await rejects(ridge().fit(withCity.withColumn("y", Float64Array.from({ length: 40 }, (_, i) => i)), { target: "y" }), `"city"`, "one-hot");
  });
  it("a missing value, naming the column and row", async () => {
    const x0 = Float64Array.from((base.column("x0") as { values: Float64Array }).values);
    x0[7] = NaN;
    await rejects(logistic().fit(base.withColumn("x0", x0), { target: "y" }), `"x0"`, "row 7", "Impute");
    const model = await logistic().fit(base, { target: "y" });
    expect(() => model.predict(base.withColumn("x0", x0))).toThrow(/"x0" is missing at row 7/);
  });
  it("a constant target", async () => {
    const constant = base.withColumn("y", Array.from({ length: 40 }, () => "same"));
    await rejects(logistic().fit(constant, { target: "y" }), `"y"`, "one class");
    const flat = base.withColumn("y", new Float64Array(40).fill(3));
    for (const spec of [linearRegression(), ridge(), lasso(), elasticNet()]) await rejects(spec.fit(flat, { target: "y" }), `"y"`, "constant");
  });
  it("parameters that do not go together", () => {
    expect(() => logistic({ penalty: "elasticnet" })).toThrow(/l1Ratio/);
    expect(() => logistic({ penalty: "l1", solver: "lbfgs" })).toThrow(/proximal-newton/);
    expect(() => logistic({ classWeight: { a: -1 } })).toThrow(KeelError);
  });
  it("class weights naming a class the target does not have", async () => {
    await rejects(logistic({ classWeight: { zebra: 2 } }).fit(base, { target: "y" }), `"zebra"`);
  });
});

describe("logistic regression", () => {
  it("gives the same bytes with 1 and 2 threads (fixed shards)", async () => {
    const big = synthetic(210_000, 20, 3);
    const one = await logistic({ tol: 1e-6 }).fit(big, { target: "y", threads: 1 });
    const two = await logistic({ tol: 1e-6 }).fit(big, { target: "y", threads: 2 });
    expect(Buffer.from(artifactToBytes(two.save())).equals(Buffer.from(artifactToBytes(one.save())))).toBe(true);
    // features already in shared memory are used in place by the worker
    const shared = new SharedArrayBuffer(8 * 210_000 * 20);
    let sharedFrame = big;
    for (let j = 0; j < 20; j++) {
      const view = new Float64Array(shared, 8 * j * 210_000, 210_000);
      view.set((big.column(`x${j}`) as { values: Float64Array }).values);
      sharedFrame = sharedFrame.withColumn(`x${j}`, view);
    }
    const viaShared = await logistic({ tol: 1e-6 }).fit(sharedFrame, { target: "y", threads: 2 });
    expect(Array.from(viaShared.coef)).toEqual(Array.from(one.coef));
    const multi = synthetic(120_000, 12, 4, 3);
    const m1 = await logistic().fit(multi, { target: "y", threads: 1 });
    const m2 = await logistic().fit(multi, { target: "y", threads: 2 });
    expect(Array.from(m2.coef)).toEqual(Array.from(m1.coef));
  });

  it("emits its loss at every iteration, decreasing", async () => {
    const events: KeelEvent[] = [];
    const model = await withObserver({ onEvent: (e) => events.push(e) }, () => logistic({ tol: 1e-8 }).fit(synthetic(300, 4), { target: "y" }));
    const its = events.filter((e): e is Extract<KeelEvent, { type: "iteration" }> => e.type === "iteration");
    expect(its.length).toBe(model.nIter);
    expect(its.map((e) => e.iteration)).toEqual(Array.from({ length: its.length }, (_, i) => i + 1));
    for (let i = 1; i < its.length; i++) expect(its[i].losses.loss).toBeLessThanOrEqual(its[i - 1].losses.loss);
    expect(events.find((e) => e.type === "params")).toMatchObject({ params: { model: "logistic", C: 1 } });
  });

  it("saves and loads (directory and archive) with identical predictions", async () => {
    const data = synthetic(200, 3, 9, 3);
    const model = await logistic({ multiClass: "ovr" }).fit(data, { target: "y" });
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-logistic-"));
    try {
      for (const format of ["dir", "archive"] as const) {
        const where = path.join(dir, `m-${format}`);
        saveModel(model, where, { format });
        const back = loadModel<FittedLogistic>(where);
        expect(Array.from(back.predictProba(data))).toEqual(Array.from(model.predictProba(data)));
        expect(back.coef).toBeInstanceOf(Float64Array);
        expect(back.multiClass).toBe("ovr");
        expect(back.classes).toEqual(["a", "b", "c"]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads booleans and datetimes as numbers, and aligns columns by name at predict", async () => {
    const base = synthetic(100, 2, 5);
    const flags = Array.from({ length: 100 }, (_, i) => i % 3 === 0);
    const when = Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)));
    const data = base.withColumn("flag", flags).withColumn("when", when);
    const model = await logistic().fit(data, { target: "y" });
    expect(model.coef.length).toBe(4);
    const shuffled = data.select(["when", "y", "flag", "x1", "x0"]);
    expect(Array.from(model.predictProba(shuffled))).toEqual(Array.from(model.predictProba(data)));
  });
});

describe("lbfgs", () => {
  it("minimises the Rosenbrock function", () => {
    const res = lbfgs(
      (x, g) => {
        const [a, b] = [x[0], x[1]];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { gtol: 1e-10, ftol: 0 },
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 8);
    expect(res.x[1]).toBeCloseTo(1, 8);
  });

  it("solves a quadratic exactly and stops at once at a stationary point", () => {
    const A = [4, 1, 1, 3];
    const b = [1, 2];
    const fn = (x: Float64Array, g: Float64Array) => {
      g[0] = A[0] * x[0] + A[1] * x[1] - b[0];
      g[1] = A[2] * x[0] + A[3] * x[1] - b[1];
      return 0.5 * (x[0] * (A[0] * x[0] + A[1] * x[1]) + x[1] * (A[2] * x[0] + A[3] * x[1])) - b[0] * x[0] - b[1] * x[1];
    };
    const res = lbfgs(fn, new Float64Array(2), { gtol: 1e-12, ftol: 0 });
    expect(res.x[0]).toBeCloseTo(1 / 11, 10);
    expect(res.x[1]).toBeCloseTo(7 / 11, 10);
    const again = lbfgs(fn, res.x, { gtol: 1e-6 });
    expect(again.iterations).toBe(0);
  });
});
