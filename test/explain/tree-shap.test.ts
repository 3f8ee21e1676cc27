/**
 * Exact TreeSHAP against its definition: on small GBDT models (≤ 8 features) every row's values
 * equal a brute-force Shapley sum over all feature subsets with the same path-dependent
 * conditional expectation (a split on a feature outside the subset takes both branches, weighted
 * by cover) to 1e-9; base + Σ φ equals the model's raw output (local accuracy) on every model kind;
 * a feature no tree splits on gets exactly 0.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import type { TreeEnsembleView } from "../../src/estimator/tree-view.js";
import { treeShap } from "../../src/explain/index.js";
import { forestClassifier, forestRegressor } from "../../src/models/forest/index.js";
import { gbdtClassifier, gbdtRegressor } from "../../src/models/gbdt/index.js";
import { treeClassifier, treeRegressor } from "../../src/models/tree/index.js";

/** Synthetic rows: numeric features with interactions, some missing values, a categorical column, a feature with no signal. */
function data(n: number, seed: number, target: "binary" | "multiclass" | "regression", unseen = false): Frame {
  const rng = new Rng(seed);
  const cols: Record<string, Float64Array | string[]> = {};
  const X: number[][] = [];
  for (let j = 0; j < 5; j++) X.push(Array.from({ length: n }, () => rng.float() * 4 - 2));
  const cat = Array.from({ length: n }, () => ["a", "b", "c", "d"][Math.floor(rng.float() * 4)]);
  for (let j = 0; j < 5; j++) cols[`x${j}`] = Float64Array.from(X[j], (v, i) => (j === 2 && i % 17 === 0 ? NaN : v));
  cols.colour = unseen ? cat.map((c, i) => (i % 13 === 0 ? "never-seen" : c)) : cat;
  cols.noise = Float64Array.from({ length: n }, () => 7); // constant: never split on
  const score = (i: number) => X[0][i] * X[1][i] + Math.sin(X[2][i] * 2) + (cat[i] === "b" ? 1 : cat[i] === "d" ? -1 : 0) + 0.3 * X[3][i] + (rng.float() - 0.5) * 0.6;
  if (target === "regression") cols.y = Float64Array.from({ length: n }, (_, i) => score(i));
  else if (target === "binary") cols.y = Array.from({ length: n }, (_, i) => (score(i) > 0.2 ? "yes" : "no"));
  else cols.y = Array.from({ length: n }, (_, i) => { const s = score(i); return s < -0.7 ? "low" : s < 0.9 ? "mid" : "high"; });
  return Frame.fromColumns(cols);
}

/** The path-dependent expectation of one tree's value given the features in `S` (a bit mask) for the row's directions. */
function expectation(v: TreeEnsembleView, node: number, left: Uint8Array, S: number, k: number, single: boolean): number {
  if (v.feature[node] < 0) return single ? v.value[node] : v.value[node * v.valueStride + k];
  const f = v.feature[node];
  if (S & (1 << f)) return expectation(v, left[node] ? v.left[node] : v.right[node], left, S, k, single);
  const c = v.cover[node];
  return (v.cover[v.left[node]] / c) * expectation(v, v.left[node], left, S, k, single) + (v.cover[v.right[node]] / c) * expectation(v, v.right[node], left, S, k, single);
}

function bruteForce(v: TreeEnsembleView, r: number): Float64Array {
  const M = v.featureNames.length;
  const K = v.nOutputs;
  const left = new Uint8Array(v.feature.length);
  v.goesLeft(r, left);
  const fact = [1];
  for (let i = 1; i <= M; i++) fact.push(fact[i - 1] * i);
  const phi = new Float64Array(K * M);
  // value(S) per output, for every subset
  const value = new Float64Array((1 << M) * K);
  for (let S = 0; S < 1 << M; S++) {
    for (let t = 0; t < v.nTrees; t++) {
      const out = v.treeOutput[t];
      for (let k = 0; k < K; k++) {
        if (out >= 0 && out !== k) continue;
        value[S * K + k] += v.treeScale * expectation(v, v.treeRoot[t], left, S, k, out >= 0);
      }
    }
  }
  for (let j = 0; j < M; j++) {
    for (let S = 0; S < 1 << M; S++) {
      if (S & (1 << j)) continue;
      let size = 0;
      for (let b = S; b; b &= b - 1) size++;
      const w = (fact[size] * fact[M - size - 1]) / fact[M];
      for (let k = 0; k < K; k++) phi[k * M + j] += w * (value[(S | (1 << j)) * K + k] - value[S * K + k]);
    }
  }
  return phi;
}

describe("treeShap on GBDT", () => {
  const cases = [
    { task: "binary" as const, spec: gbdtClassifier({ maxIter: 12, maxLeaves: 7, learningRate: 0.3 }) },
    { task: "multiclass" as const, spec: gbdtClassifier({ maxIter: 6, maxLeaves: 5, learningRate: 0.3 }) },
    { task: "regression" as const, spec: gbdtRegressor({ maxIter: 10, maxLeaves: 9, learningRate: 0.2 }) },
  ];
  for (const { task, spec } of cases) {
    it(`${task}: equals the brute-force Shapley sum over all subsets to 1e-9; base + Σφ = raw output; unused features get 0`, async () => {
      const train = data(600, 1, task);
      const model = await spec.fit(train, { target: "y", rng: new Rng(3) });
      const test = data(40, 2, task);
      const view = model.treeView(test);
      const shap = treeShap(view);
      const recursion = treeShap(view, { algorithm: "recursion" });
      for (let i = 0; i < shap.values.length; i++) expect(Math.abs(shap.values[i] - recursion.values[i])).toBeLessThan(1e-12);
      const M = view.featureNames.length;
      const K = view.nOutputs;
      const raw = model.rawScores(test);
      const noise = view.featureNames.indexOf("noise");
      for (let r = 0; r < test.nRows; r++) {
        const exact = bruteForce(view, r);
        for (let i = 0; i < K * M; i++) expect(Math.abs(shap.values[r * K * M + i] - exact[i])).toBeLessThan(1e-9);
        for (let k = 0; k < K; k++) {
          let sum = shap.baseValues[k];
          for (let j = 0; j < M; j++) sum += shap.values[(r * K + k) * M + j];
          expect(Math.abs(sum - raw[r * K + k])).toBeLessThan(1e-9);
          expect(shap.values[(r * K + k) * M + noise]).toBe(0);
        }
      }
      expect(shap.link).toBe(task === "binary" ? "logit" : task === "multiclass" ? "softmax" : "identity");
    });
  }

  it("a feature no tree splits on gets exactly 0, whatever the data", async () => {
    const model = await gbdtRegressor({ maxIter: 5 }).fit(data(300, 4, "regression"), { target: "y" });
    const view = model.treeView(data(30, 5, "regression"));
    const j = view.featureNames.indexOf("noise");
    const shap = treeShap(view);
    for (let r = 0; r < 30; r++) expect(shap.values[r * view.featureNames.length + j]).toBe(0);
  });

  it("refuses a row out of range, naming it", async () => {
    const model = await gbdtRegressor({ maxIter: 2 }).fit(data(100, 1, "regression"), { target: "y" });
    expect(() => treeShap(model.treeView(data(5, 2, "regression")), { rows: Int32Array.from([7]) })).toThrow(/row 7 is out of range: the data has 5 rows/);
  });
});

describe("treeShap on decision trees and forests", () => {
  const cases = [
    { name: "tree classifier", task: "binary" as const, fit: () => treeClassifier({ maxDepth: 6 }), raw: "proba" },
    { name: "tree regressor", task: "regression" as const, fit: () => treeRegressor({ maxDepth: 7 }), raw: "values" },
    { name: "forest classifier (multiclass)", task: "multiclass" as const, fit: () => forestClassifier({ nEstimators: 6, maxDepth: 5 }), raw: "proba" },
    { name: "forest regressor", task: "regression" as const, fit: () => forestRegressor({ nEstimators: 5, maxDepth: 6 }), raw: "values" },
  ];
  for (const c of cases) {
    it(`${c.name}: brute-force Shapley to 1e-9; base + Σφ = the model's output (mean of the trees' leaf values)`, async () => {
      const model = await c.fit().fit(data(400, 7, c.task), { target: "y", rng: new Rng(5) });
      const test = data(25, 8, c.task);
      const view = model.treeView(test);
      const shap = treeShap(view);
      const recursion = treeShap(view, { algorithm: "recursion" });
      const M = view.featureNames.length;
      const K = view.nOutputs;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const out: Float64Array = c.raw === "proba" ? (model as any).predictProba(test) : (model as any).predict(test);
      for (let r = 0; r < test.nRows; r++) {
        const exact = bruteForce(view, r);
        for (let i = 0; i < K * M; i++) {
          expect(Math.abs(shap.values[r * K * M + i] - exact[i])).toBeLessThan(1e-9);
          expect(Math.abs(recursion.values[r * K * M + i] - exact[i])).toBeLessThan(1e-9);
        }
        for (let k = 0; k < K; k++) {
          let sum = shap.baseValues[k];
          for (let j = 0; j < M; j++) sum += shap.values[(r * K + k) * M + j];
          expect(Math.abs(sum - out[r * K + k])).toBeLessThan(1e-9);
        }
      }
      expect(shap.link).toBe("identity");
    });
  }
});

describe("explainTrees", () => {
  it("looks through a pipeline to its model: values over the preprocessed features, base + Σφ = the model's raw score", async () => {
    const { autoPipeline } = await import("../../src/features/index.js");
    const { explainTrees } = await import("../../src/explain/index.js");
    const model = await autoPipeline(gbdtClassifier({ maxIter: 8 })).fit(data(400, 9, "binary"), { target: "y", rng: new Rng(1) });
    const test = data(20, 10, "binary");
    const shap = explainTrees(model, test);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const m = model as any;
    const raw: Float64Array = m.steps[m.steps.length - 1].rawScores(m.features(test));
    const M = shap.featureNames.length;
    for (let r = 0; r < 20; r++) {
      let sum = shap.baseValues[0];
      for (let j = 0; j < M; j++) sum += shap.values[r * M + j];
      expect(Math.abs(sum - raw[r])).toBeLessThan(1e-9);
    }
  });

  it("refuses a model without trees, saying which models it explains", async () => {
    const { explainTrees } = await import("../../src/explain/index.js");
    const { logistic } = await import("../../src/models/index.js");
    const { autoPipeline } = await import("../../src/features/index.js");
    const train = data(200, 11, "binary");
    const model = await autoPipeline(logistic()).fit(train, { target: "y" });
    expect(() => explainTrees(model, train)).toThrow(/has no trees: TreeSHAP explains decision trees, forests and gradient boosting/);
  });
});

describe("treeShapParallel", () => {
  it("on 2 threads equals the single-thread values bit for bit (GBDT, forest with per-class leaves, a subset of rows)", async () => {
    const { treeShapParallel } = await import("../../src/explain/index.js");
    const gbdt = await gbdtClassifier({ maxIter: 15, maxLeaves: 15 }).fit(data(800, 21, "multiclass"), { target: "y", rng: new Rng(4) });
    const forest = await forestClassifier({ nEstimators: 4, maxDepth: 6 }).fit(data(800, 22, "binary"), { target: "y", rng: new Rng(4) });
    const rows = data(1500, 23, "multiclass");
    for (const model of [gbdt, forest]) {
      const one = treeShap(model.treeView(rows));
      const two = await treeShapParallel(model, rows, { threads: 2 });
      expect(two.values.length).toBe(one.values.length);
      expect(Buffer.from(two.values.buffer, two.values.byteOffset, two.values.byteLength).equals(Buffer.from(one.values.buffer))).toBe(true);
      expect(Array.from(two.baseValues)).toEqual(Array.from(one.baseValues));
    }
    const subset = Int32Array.from([1400, 3, 77, 3]);
    const part = await treeShapParallel(gbdt, rows, { threads: 2, rows: subset });
    const all = treeShap(gbdt.treeView(rows));
    const KM = all.values.length / rows.nRows;
    subset.forEach((r, i) => expect(Array.from(part.values.subarray(i * KM, (i + 1) * KM))).toEqual(Array.from(all.values.subarray(r * KM, (r + 1) * KM))));
  });
});

describe("treeShapParallel plans", () => {
  it("a worker's plan kept for a model follows the calling thread's tree kinds (tables, recursion, tables again)", async () => {
    const { layoutTreeShap, treeShapGroups } = await import("../../src/explain/tree-shap.js");
    const { sharedViewOf } = await import("../../src/explain/tree-shap-pool.js");
    const kernel = (await import("../../src/explain/tree-shap-kernel.js")).default;
    const model = await gbdtClassifier({ maxIter: 12, maxLeaves: 15 }).fit(data(800, 51, "binary"), { target: "y", rng: new Rng(5) });
    const rows = data(700, 52, "binary");
    const view = model.treeView(rows);
    const KM = view.nOutputs * view.featureNames.length;
    const n = rows.nRows;
    const G = treeShapGroups(view.nTrees).length - 1;
    const shared = sharedViewOf(view);
    // what the calling thread does with the kernel's group runner: every group, then the sums in group order
    const viaKernel = (algorithm: "tables" | "recursion") => {
      const job = { modelId: "kernel-test", rows: Int32Array.from({ length: n }, (_, i) => i), values: new Float64Array(0), shared, codes: view.binned!.codes, nRows: n, kinds: layoutTreeShap(view, algorithm).kinds, groupOut: new Float64Array(G * n * KM), spanRows: n, span: Int32Array.from([0, n]) };
      const run = kernel(job);
      for (let g = G - 1; g >= 0; g--) run(g);
      const values = new Float64Array(n * KM);
      for (let g = 0; g < G; g++) for (let x = 0; x < n * KM; x++) values[x] += job.groupOut[g * n * KM + x];
      return values;
    };
    const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    const tables = treeShap(view).values;
    const recursion = treeShap(view, { algorithm: "recursion" }).values;
    // the two algorithms round differently: a plan of the wrong kind would show
    expect(same(tables, recursion)).toBe(false);
    expect(same(viaKernel("tables"), tables)).toBe(true);
    expect(same(viaKernel("recursion"), recursion)).toBe(true);
    expect(same(viaKernel("tables"), tables)).toBe(true);
  });

  it("the layout's sizes are those of the built tables, and the tree groups cover every tree once, whatever the thread count", async () => {
    const { tableSizes } = await import("../../src/explain/tree-shap-tables.js");
    const { KIND_MASKED, KIND_PATTERN, layoutTreeShap, planTree, treeShapGroups } = await import("../../src/explain/tree-shap.js");
    const model = await gbdtClassifier({ maxIter: 6, maxLeaves: 31 }).fit(data(900, 61, "multiclass"), { target: "y", rng: new Rng(6) });
    const view = model.treeView(data(10, 62, "multiclass"));
    const plan = layoutTreeShap(view);
    let masked = 0;
    for (let t = 0; t < view.nTrees; t++) {
      planTree(view, plan, t);
      const sizes = tableSizes(view, view.treeRoot[t]);
      if (plan.kinds[t] === KIND_MASKED) {
        masked++;
        expect(plan.masked[t]!.weights.length).toBe(sizes.masked);
      } else if (plan.kinds[t] === KIND_PATTERN) expect(plan.tables[t]!.weights.length).toBe(sizes.pattern);
    }
    expect(masked).toBe(view.nTrees);
    for (const n of [1, 3, 4, 5, 18, 100, 1000]) {
      const g = treeShapGroups(n);
      expect(g[0]).toBe(0);
      expect(g[g.length - 1]).toBe(n);
      for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
      expect(g.length - 1).toBeLessThanOrEqual(32);
    }
  });
});

describe("treeShap table kinds", () => {
  it("trees with more than 10 distinct features keep pattern-indexed tables, equal to the recursion to 1e-12", async () => {
    const { planTreeShap } = await import("../../src/explain/index.js");
    const rng = new Rng(31);
    const n = 3000;
    const cols: Record<string, Float64Array> = {};
    for (let j = 0; j < 14; j++) cols[`f${j}`] = Float64Array.from({ length: n }, () => rng.float());
    cols.y = Float64Array.from({ length: n }, (_, i) => { let s = 0; for (let j = 0; j < 14; j++) s += Math.sin(6 * cols[`f${j}`][i] + j); return s; });
    const model = await gbdtRegressor({ maxIter: 4, maxLeaves: 63, minSamplesLeaf: 5 }).fit(Frame.fromColumns(cols), { target: "y" });
    const test = Frame.fromColumns(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.slice(0, 60)])));
    const view = model.treeView(test);
    const plan = planTreeShap(view);
    expect(plan.masked.some((m) => m === null)).toBe(true);
    expect(plan.tables.some((t) => t !== null)).toBe(true);
    const tables = treeShap(view, { plan });
    const recursion = treeShap(view, { algorithm: "recursion" });
    for (let i = 0; i < tables.values.length; i++) expect(Math.abs(tables.values[i] - recursion.values[i])).toBeLessThan(1e-12);
  });
});

describe("treeShap routing", () => {
  it("a GBDT view's bins send every row where goesLeft does (missing values, unseen categories), and give the same values bit for bit", async () => {
    const model = await gbdtClassifier({ maxIter: 10, maxLeaves: 15 }).fit(data(600, 41, "binary"), { target: "y", rng: new Rng(2) });
    const test = data(200, 42, "binary", true);
    const view = model.treeView(test);
    const binned = view.binned!;
    expect(binned).toBeDefined();
    const M = view.featureNames.length;
    const left = new Uint8Array(view.feature.length);
    let splits = 0;
    for (let r = 0; r < test.nRows; r++) {
      view.goesLeft(r, left);
      for (let n = 0; n < view.feature.length; n++) {
        const f = view.feature[n];
        if (f < 0) continue;
        const c = binned.codes[r * M + f];
        expect((binned.leftCodes[n * 8 + (c >>> 5)] >>> (c & 31)) & 1).toBe(left[n]);
        splits++;
      }
    }
    expect(splits).toBeGreaterThan(1000);
    const withBins = treeShap(view);
    const withoutBins = treeShap({ ...view, binned: undefined });
    expect(Buffer.from(withBins.values.buffer).equals(Buffer.from(withoutBins.values.buffer))).toBe(true);
  });
});
