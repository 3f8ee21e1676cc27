/**
 * Keel's gradient boosting equals scikit-learn 1.2's HistGradientBoosting prediction by
 * prediction: on every case of test/fixtures/gbdt/make_reference.py (binary, multiclass and
 * regression losses; missing values; native categorical features; sample and class weights;
 * l2, depth, leaf, learning-rate, bin and monotonic settings; categories unseen in training;
 * public data sets), early stopping off, the predicted probabilities or values on the held-out
 * rows agree to 1e-9 — also above 200,000 rows, where both bin on the same random sample
 * (test/fixtures/gbdt/make_binning_sample.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Json } from "../../../src/core/observe.js";
import { Frame } from "../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { hashedRows, reference } from "./helpers.js";

/** Agreement asked of every prediction: |keel − scikit-learn| ≤ TOL·max(1, |scikit-learn|). */
const TOL = 1e-9;

interface Case {
  name: string;
  source: string;
  task: "binary" | "multiclass" | "regression";
  target: string;
  features: string[] | null;
  categorical: string[];
  weighted: boolean;
  params: Record<string, Json>;
  nIter: number;
  prediction: number[];
  /** Training rows, when not the source's own split (categories left out of training). */
  train?: number[];
}

type Col = Float64Array | string[] | { kind: "categorical"; codes: Int32Array; categories: string[] };

/** The case's training and test frames, target column "y" (labels for classifiers). */
function frames(c: Case): { train: Frame; test: Frame; weights: Float64Array | undefined } {
  const [src, variant] = c.source.split("/");
  const d = reference[src];
  let cols: Record<string, (number | null)[]>;
  let y: number[];
  let train: number[];
  let test: number[];
  let levels = 0;
  if (src === "synthetic" || src === "planted") {
    cols = d.columns;
    y = src === "synthetic" ? d.targets[c.target] : d.y;
    const all = Array.from({ length: y.length }, (_, i) => i);
    train = c.train ?? (src === "synthetic" ? all.slice(0, d.nTrain) : d.train);
    test = src === "synthetic" ? all.slice(d.nTrain) : d.test;
    levels = d.levels;
  } else {
    const X: (number | null)[][] = variant === "missing" ? d.X_missing : d.X;
    cols = Object.fromEntries((d.features as string[]).map((f, j) => [f, X.map((r) => r[j])]));
    y = d.y;
    train = d.train;
    test = d.test;
  }
  const names = c.features ?? Object.keys(cols);
  const build = (idx: number[]): Frame => {
    const out: Record<string, Col> = {};
    for (const f of names) {
      const v = cols[f];
      if (c.categorical.includes(f)) {
        out[f] = { kind: "categorical", codes: Int32Array.from(idx, (i) => (v[i] === null ? -1 : (v[i] as number))), categories: Array.from({ length: levels }, (_, k) => `c${k}`) };
      } else out[f] = Float64Array.from(idx, (i) => v[i] ?? NaN);
    }
    out.y = c.task === "regression" ? Float64Array.from(idx, (i) => y[i]) : idx.map((i) => String(y[i]));
    return Frame.fromColumns(out as never);
  };
  const w: number[] | undefined = c.weighted ? d.weights : undefined;
  return { train: build(train), test: build(test), weights: w ? Float64Array.from(train, (i) => w[i]) : undefined };
}

async function predictions(c: Case, threads: number): Promise<Float64Array> {
  const { train, test, weights } = frames(c);
  const params = { ...c.params, earlyStopping: false, threads };
  if (c.task === "regression") {
    const m = await gbdtRegressor(params).fit(train, { target: "y", weights });
    expect(m.nIterations).toBe(c.nIter);
    return m.predict(test);
  }
  const m = await gbdtClassifier(params).fit(train, { target: "y", weights });
  expect(m.nIterations).toBe(c.nIter);
  const proba = m.predictProba(test);
  if (c.task === "multiclass") return proba;
  const pos = new Float64Array(test.nRows);
  for (let i = 0; i < pos.length; i++) pos[i] = proba[2 * i + 1];
  return pos;
}

/** Largest |a − b| / max(1, |b|). */
function worst(a: Float64Array, b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}

describe("gbdt predictions equal scikit-learn's HistGradientBoosting (1e-9)", () => {
  for (const c of reference.cases as Case[]) {
    it(c.name, async () => {
      const got = await predictions(c, 1);
      expect(got.length).toBe(c.prediction.length);
      expect(worst(got, c.prediction)).toBeLessThanOrEqual(TOL);
    });
  }

  // 40,000 rows: several row blocks per histogram, and worker threads with two
  describe("40,000 rows, on one and two threads", () => {
    const large = reference.large;
    const { cols, binary, value } = hashedRows(large.nTrain + large.nTest);
    const frame = (a: number, b: number, y: Float64Array | string[]) => Frame.fromColumns({ ...Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.slice(a, b)])), y });
    const trainEnd = large.nTrain;
    const end = trainEnd + large.nTest;

    it("the generated data are make_reference.py's", () => {
      expect([...cols.x0.slice(0, 3)]).toEqual(large.check.x0);
      expect([...cols.x4.slice(0, 20)].map((v) => (v !== v ? null : v))).toEqual(large.check.x4);
      expect(binary.reduce((a, b) => a + b, 0)).toBe(large.check.binary);
      expect(value[0]).toBe(large.check.value0);
    });

    it("binary", async () => {
      const labels = Array.from(binary, String);
      const got: Float64Array[] = [];
      for (const threads of [1, 2]) {
        const m = await gbdtClassifier({ earlyStopping: false, threads }).fit(frame(0, trainEnd, labels.slice(0, trainEnd)), { target: "y" });
        const proba = m.predictProba(frame(trainEnd, end, labels.slice(trainEnd, end)).drop(["y"]));
        got.push(Float64Array.from({ length: large.nTest }, (_, i) => proba[2 * i + 1]));
      }
      expect(worst(got[0], large.binary)).toBeLessThanOrEqual(TOL);
      expect([...got[1]]).toEqual([...got[0]]);
    });

    it("regression", async () => {
      const got: Float64Array[] = [];
      for (const threads of [1, 2]) {
        const m = await gbdtRegressor({ earlyStopping: false, threads }).fit(frame(0, trainEnd, value.slice(0, trainEnd)), { target: "y" });
        got.push(m.predict(frame(trainEnd, end, value.slice(trainEnd, end)).drop(["y"])));
      }
      expect(worst(got[0], large.regression)).toBeLessThanOrEqual(TOL);
      expect([...got[1]]).toEqual([...got[0]]);
    });
  });

  // above 200,000 rows scikit-learn bins on a random sample: Keel draws the same rows for seed = random_state
  describe("210,000 rows: bin edges from the rows scikit-learn samples", () => {
    const fit = (JSON.parse(readFileSync(new URL("../../fixtures/gbdt/binning_sample.json", import.meta.url), "utf8")) as { fit: { nTrain: number; nTest: number; maxIter: number; proba: Record<string, number[]> } }).fit;
    const n = fit.nTrain + fit.nTest;
    const u = (mult: number) => Float64Array.from({ length: n }, (_, i) => (Math.imul(i, mult) >>> 0) / 2 ** 32);
    const x0 = u(2654435761).map((v, i) => (i % 13 === 5 ? NaN : v));
    const x1 = u(2246822519);
    const noise = u(3266489917);
    const y = Array.from(x0, (v, i) => String(Number((v !== v ? 0.5 : v) + 0.5 * x1[i] + 0.3 * noise[i] > 0.9)));
    const train = Frame.fromColumns({ x0: x0.slice(0, fit.nTrain), x1: x1.slice(0, fit.nTrain), y: y.slice(0, fit.nTrain) });
    const test = Frame.fromColumns({ x0: x0.slice(fit.nTrain), x1: x1.slice(fit.nTrain) });
    for (const [seed, expected] of Object.entries(fit.proba)) {
      it(`seed ${seed} = random_state ${seed}, on one and two threads`, async () => {
        for (const threads of [1, 2]) {
          const m = await gbdtClassifier({ maxIter: fit.maxIter, earlyStopping: false, seed: Number(seed), threads }).fit(train, { target: "y" });
          const proba = m.predictProba(test);
          expect(worst(Float64Array.from({ length: fit.nTest }, (_, i) => proba[2 * i + 1]), expected), `${threads} threads`).toBeLessThanOrEqual(TOL);
        }
      });
    }
  });
});
