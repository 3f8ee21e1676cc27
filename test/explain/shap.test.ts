/**
 * SHAP for every model: linear SHAP against its closed form and against KernelSHAP (two different
 * algorithms for the same interventional game), KernelSHAP against a brute-force Shapley sum,
 * local accuracy (base + Σφ = the explained output) per method, one-hot parts summed per input
 * column through the preprocessing's feature provenance, and bad input refused by name.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { explain, explainAsync, shapExplainer, toShapJson } from "../../src/explain/index.js";
import { autoPipeline, featureSources } from "../../src/features/index.js";
import { gbdtClassifier, knnClassifier, knnRegressor, linearRegression, logistic } from "../../src/models/index.js";

function rows(n: number, seed: number, target: "binary" | "multiclass" | "regression", withCategory = true): Frame {
  const rng = new Rng(seed);
  const x = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => rng.float() * 4 - 2));
  const colour = Array.from({ length: n }, () => ["red", "green", "blue"][rng.int(3)]);
  const score = (i: number) => 1.5 * x[0][i] - x[1][i] + 0.5 * x[2][i] * x[3][i] + (colour[i] === "red" ? 1 : colour[i] === "blue" ? -0.7 : 0) + rng.normal() * 0.3;
  const cols: Record<string, Float64Array | string[]> = { a: x[0], b: x[1], c: x[2], d: x[3] };
  if (withCategory) cols.colour = colour;
  const s = Array.from({ length: n }, (_, i) => score(i));
  if (target === "regression") cols.y = Float64Array.from(s);
  else if (target === "binary") cols.y = s.map((v) => (v > 0 ? "yes" : "no"));
  else cols.y = s.map((v) => (v < -1 ? "low" : v < 1 ? "mid" : "high"));
  return Frame.fromColumns(cols);
}

const logit = (p: number) => Math.log(p / (1 - p));

/** Σ over the columns of values[(r·K + k)·M + ·] plus the base. */
function total(values: Float64Array, base: Float64Array, r: number, k: number, K: number, M: number): number {
  let s = base[k];
  for (let j = 0; j < M; j++) s += values[(r * K + k) * M + j];
  return s;
}

describe("linear SHAP", () => {
  it("regression: φ_j = w_j (x_j − mean_j) over the background; equals exhaustive KernelSHAP with the same background to 1e-9", async () => {
    const train = rows(300, 1, "regression", false);
    const model = await linearRegression().fit(train, { target: "y" });
    const test = rows(25, 2, "regression", false).drop(["y"]);
    const background = rows(40, 3, "regression", false).drop(["y"]);
    const lin = explain(model, test, { background });
    expect(lin.method).toBe("linear");
    expect(lin.link).toBe("identity");
    const kernel = explain(model, test, { background, method: "kernel", backgroundSize: 40 });
    expect(kernel.method).toBe("kernel");
    const pred = model.predict(test);
    const M = 4;
    const coef = (model as unknown as { coef: Float64Array }).coef;
    const names = ["a", "b", "c", "d"];
    for (let j = 0; j < M; j++) {
      const mu = (background.column(names[j]) as { values: Float64Array }).values.reduce((s, v) => s + v, 0) / 40;
      for (let r = 0; r < test.nRows; r++) {
        const x = (test.column(names[j]) as { values: Float64Array }).values[r];
        expect(Math.abs(lin.byColumn.values[r * M + j] - coef[j] * (x - mu))).toBeLessThan(1e-12);
        expect(Math.abs(kernel.byColumn.values[r * M + j] - lin.byColumn.values[r * M + j])).toBeLessThan(1e-9);
      }
    }
    for (let r = 0; r < test.nRows; r++) expect(Math.abs(total(lin.byColumn.values, lin.baseValues, r, 0, 1, M) - pred[r])).toBeLessThan(1e-9);
    expect(Math.abs(kernel.baseValues[0] - lin.baseValues[0])).toBeLessThan(1e-9);
  });

  it("binary logistic in a pipeline: log-odds; one-hot parts summed into their column; per-feature values sum to the same", async () => {
    const train = rows(400, 4, "binary");
    const model = await autoPipeline(logistic()).fit(train, { target: "y" });
    const test = rows(30, 5, "binary");
    const e = explain(model, test, { perFeature: true });
    expect(e.method).toBe("linear");
    expect(e.link).toBe("logit");
    expect(e.outputNames).toEqual(["yes"]);
    expect(e.byColumn.featureNames).toEqual(["a", "b", "c", "d", "colour"]);
    const proba = model.predictProba(test);
    const f = e.byFeature!;
    const F = f.featureNames.length;
    expect(f.sources.filter((s) => s === "colour").length).toBe(3);
    for (let r = 0; r < test.nRows; r++) {
      expect(Math.abs(total(e.byColumn.values, e.baseValues, r, 0, 1, 5) - logit(proba[2 * r + 1]))).toBeLessThan(1e-9);
      let colour = 0;
      for (let j = 0; j < F; j++) if (f.sources[j] === "colour") colour += f.values[r * F + j];
      expect(Math.abs(e.byColumn.values[r * 5 + 4] - colour)).toBeLessThan(1e-12);
    }
    const json = toShapJson(e);
    expect(json.feature_names).toEqual(["a", "b", "c", "d", "colour"]);
    expect((json.values as number[][])[3][4]).toBe(e.byColumn.values[3 * 5 + 4]);
    expect(json.base_values).toHaveLength(30);
    expect(json.importance).toHaveLength(5);
  });

  it("multinomial logistic: one output per class (softmax link), base_k + Σφ = the class's decision value", async () => {
    const train = rows(500, 6, "multiclass");
    const model = await autoPipeline(logistic()).fit(train, { target: "y" });
    const test = rows(20, 7, "multiclass");
    const e = explain(model, test);
    expect(e.link).toBe("softmax");
    expect(e.nOutputs).toBe(3);
    const proba = model.predictProba(test);
    for (let r = 0; r < test.nRows; r++) {
      const raw = [0, 1, 2].map((k) => total(e.byColumn.values, e.baseValues, r, k, 3, 5));
      const mx = Math.max(...raw);
      const z = raw.reduce((s, v) => s + Math.exp(v - mx), 0);
      for (let k = 0; k < 3; k++) expect(Math.abs(Math.exp(raw[k] - mx) / z - proba[r * 3 + k])).toBeLessThan(1e-9);
    }
  });
});

/** Brute-force interventional Shapley values of one row for `value(S)` over P players. */
function shapley(P: number, value: (S: number) => number): number[] {
  const fact = [1];
  for (let i = 1; i <= P; i++) fact.push(fact[i - 1] * i);
  const v = Array.from({ length: 1 << P }, (_, S) => value(S));
  return Array.from({ length: P }, (_, j) => {
    let phi = 0;
    for (let S = 0; S < 1 << P; S++) {
      if (S & (1 << j)) continue;
      let size = 0;
      for (let b = S; b; b &= b - 1) size++;
      phi += ((fact[size] * fact[P - size - 1]) / fact[P]) * (v[S | (1 << j)] - v[S]);
    }
    return phi;
  });
}

describe("KernelSHAP", () => {
  it("k-NN regressor: with every coalition enumerated, equals the brute-force Shapley sum of the same game to 1e-9", async () => {
    const train = rows(200, 8, "regression", false);
    const model = await knnRegressor({ nNeighbors: 7 }).fit(train, { target: "y" });
    const test = rows(6, 9, "regression", false).drop(["y"]);
    const background = rows(12, 10, "regression", false).drop(["y"]);
    const e = explain(model, test, { background, backgroundSize: 12 });
    expect(e.method).toBe("kernel");
    const names = ["a", "b", "c", "d"];
    for (let r = 0; r < test.nRows; r++) {
      const value = (S: number) => {
        const cols: Record<string, Float64Array> = {};
        names.forEach((n, j) => {
          const own = (test.column(n) as { values: Float64Array }).values[r];
          const bg = (background.column(n) as { values: Float64Array }).values;
          cols[n] = Float64Array.from(bg, (b) => (S & (1 << j) ? own : b));
        });
        const p = model.predict(Frame.fromColumns(cols));
        return p.reduce((s, v) => s + v, 0) / p.length;
      };
      const exact = shapley(4, value);
      for (let j = 0; j < 4; j++) expect(Math.abs(e.byColumn.values[r * 4 + j] - exact[j])).toBeLessThan(1e-9);
      expect(Math.abs(e.baseValues[0] - value(0))).toBeLessThan(1e-12);
    }
  });

  it("k-NN classifier in a pipeline: players are input columns; sampled coalitions keep local accuracy exactly and repeat with the seed", async () => {
    const train = rows(300, 11, "binary");
    const model = await autoPipeline(knnClassifier({ nNeighbors: 9 })).fit(train, { target: "y" });
    const test = rows(5, 12, "binary");
    const opts = { background: train, backgroundSize: 20, nSamples: 12, seed: 4, perFeature: true };
    const e = explain(model, test, opts);
    const again = explain(model, test, opts);
    expect(Array.from(again.byColumn.values)).toEqual(Array.from(e.byColumn.values));
    expect(e.link).toBe("identity");
    const proba = model.predictProba(test);
    for (let r = 0; r < 5; r++) expect(Math.abs(total(e.byColumn.values, e.baseValues, r, 0, 1, 5) - proba[2 * r + 1])).toBeLessThan(1e-9);
    const F = e.byFeature!.featureNames.length;
    for (let r = 0; r < 5; r++) expect(Math.abs(total(e.byFeature!.values, e.baseValues, r, 0, 1, F) - proba[2 * r + 1])).toBeLessThan(1e-9);
  });
});

describe("TreeSHAP through explain()", () => {
  it("GBDT pipeline: per-column values are the one-hot parts summed; base + Σφ = the log-odds", async () => {
    const train = rows(500, 13, "binary");
    const model = await autoPipeline(gbdtClassifier({ maxIter: 10 })).fit(train, { target: "y", rng: new Rng(2) });
    const test = rows(25, 14, "binary");
    const e = explain(model, test, { perFeature: true });
    expect(e.method).toBe("tree");
    expect(e.link).toBe("logit");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const m = model as any;
    const raw: Float64Array = m.steps[m.steps.length - 1].rawScores(m.features(test));
    const f = e.byFeature!;
    const F = f.featureNames.length;
    for (let r = 0; r < 25; r++) {
      expect(Math.abs(total(e.byColumn.values, e.baseValues, r, 0, 1, 5) - raw[r])).toBeLessThan(1e-9);
      for (let c = 0; c < 5; c++) {
        let s = 0;
        for (let j = 0; j < F; j++) if (f.sources[j] === e.byColumn.featureNames[c]) s += f.values[r * F + j];
        expect(Math.abs(e.byColumn.values[r * 5 + c] - s)).toBeLessThan(1e-12);
      }
    }
  });
});

describe("explainAsync and per-request use", () => {
  it("TreeSHAP on worker threads gives the same values as on the calling thread; one explainer serves single rows", async () => {
    const train = rows(500, 17, "binary");
    const model = await autoPipeline(gbdtClassifier({ maxIter: 8 })).fit(train, { target: "y", rng: new Rng(2) });
    const test = rows(1200, 18, "binary");
    const sync = explain(model, test, { perFeature: true });
    const threaded = await explainAsync(model, test, { perFeature: true, threads: 2 });
    expect(Array.from(threaded.byColumn.values)).toEqual(Array.from(sync.byColumn.values));
    expect(Array.from(threaded.byFeature!.values)).toEqual(Array.from(sync.byFeature!.values));
    const explainer = shapExplainer(model);
    for (const r of [5, 700]) {
      const one = explainer.explain(test.slice(r, r + 1));
      expect(Array.from(one.byColumn.values)).toEqual(Array.from(sync.byColumn.values.subarray(r * 5, r * 5 + 5)));
    }
  });
});

describe("feature provenance", () => {
  it("default preprocessing: each encoded feature names its input column (one-hot parts, scaled numbers)", async () => {
    const train = rows(200, 15, "binary");
    const model = await autoPipeline(logistic()).fit(train, { target: "y" });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pre = (model as any).steps[0];
    const names: string[] = pre.featureNames;
    const sources = featureSources(pre);
    expect(sources).toHaveLength(names.length);
    names.forEach((n, j) => expect(sources[j]).toBe(n.startsWith("cat__") ? "colour" : n.replace(/^num__/, "")));
  });
});

describe("bad input", () => {
  it("names a row out of range and a method the model cannot use", async () => {
    const train = rows(100, 16, "regression", false);
    const model = await knnRegressor().fit(train, { target: "y" });
    expect(() => explain(model, train, { rows: [100] })).toThrow(/row 100 is out of range: the data has 100 rows/);
    expect(() => explain(model, train, { method: "linear" })).toThrow(/method "linear" needs a linear model; knn-regressor is not one/);
    expect(() => explain(model, train, { backgroundSize: 0 })).toThrow(/backgroundSize must be a whole number ≥ 1, got 0/);
  });
});

describe("models saved with a decision threshold (keel run's problem.threshold)", () => {
  it("are explained through the threshold: the same method and values as the model it wraps", async () => {
    const { withDecisionThreshold } = await import("../../src/models/index.js");
    const train = rows(300, 7, "binary");
    for (const spec of [gbdtClassifier({ maxIter: 20 }), logistic()]) {
      const base = await autoPipeline(spec).fit(train, { target: "y" });
      const wrapped = withDecisionThreshold(base as never, 0.3, "yes");
      const a = explain(base, train, { rows: [0, 1, 2, 3] });
      const b = explain(wrapped, train, { rows: [0, 1, 2, 3] });
      expect(b.method).toBe(a.method);
      expect(a.method).toBe(spec.kind === "logistic" ? "linear" : "tree");
      expect(Array.from(b.byColumn.values)).toEqual(Array.from(a.byColumn.values));
      expect(Array.from(b.baseValues)).toEqual(Array.from(a.baseValues));
    }
  });
});
