/**
 * Random forests and extra-trees against scikit-learn 1.2 (fixtures: forests.json, scores.json):
 * replayed tree by tree (scikit-learn's bootstrap counts and splitter seeds), each tree, the
 * forest's predictions, importances and OOB score must be scikit-learn's; with Keel's own seeds,
 * held-out scores and OOB scores must be close. Plus thread-count independence, persistence,
 * missing values and the bootstrap / class-weight options.
 */
import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/core/errors.js";
import { withObserver, type KeelEvent } from "../../../src/core/observe.js";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { artifactFromBytes, artifactToBytes, fittedFromArtifact } from "../../../src/estimator/index.js";
import { modelSignature } from "../../../src/estimator/input.js";
import {
  extraTreesClassifier,
  extraTreesRegressor,
  forestClassifier,
  type ForestClassifierModel,
  forestRegressor,
  type ForestRegressorModel,
  outOfBag,
} from "../../../src/models/forest/index.js";
import { concatTrees, forestImportances, growTree, prepareTraining, resolveGrowSettings, TreeEnsemble } from "../../../src/models/tree/index.js";
import { bundled, readFixture } from "../tree/fixtures.js";
import { accuracy, auc, mean, r2, seDiff } from "../tree/scores.js";
import { SklearnRand } from "../tree/sklearn-rand.js";

interface ReplayCase {
  name: string;
  dataset: string;
  task: "classification" | "regression";
  kind: string;
  params: Record<string, unknown>;
  trees: { seed: number; node_count: number; feature: number[]; threshold: number[]; counts?: number[] }[];
  proba?: number[];
  predict?: number[];
  feature_importances: number[];
  oob_score?: number;
  oob?: number[];
}

const replays = readFixture<{ cases: ReplayCase[] }>("forests.json").cases;
const sk = readFixture<{ scores: Record<string, Record<string, number[] | string>> }>("scores.json").scores;

describe("forests replayed tree by tree match scikit-learn", () => {
  for (const c of replays) {
    it(c.name, () => {
      const { train, test, task } = bundled(c.dataset);
      const extra = c.kind.startsWith("ExtraTrees");
      const spec = (task === "classification" ? (extra ? extraTreesClassifier : forestClassifier) : extra ? extraTreesRegressor : forestRegressor)(c.params);
      const td = prepareTraining(train, { target: "y" }, task, null);
      const trees = c.trees.map((t) => {
        const w = t.counts ? Float64Array.from(t.counts) : td.weight;
        const total = w.reduce((s, v) => s + v, 0);
        const tree = growTree(td, w, resolveGrowSettings(spec.params, td.n, td.p, total, extra), new SklearnRand(t.seed));
        expect(tree.nodeCount).toBe(t.node_count);
        expect(Array.from(tree.feature)).toEqual(t.feature.map((f) => (f < 0 ? -1 : f)));
        for (let i = 0; i < tree.nodeCount; i++) {
          if (tree.left[i] < 0) continue;
          // extra-trees draw thresholds as min + (max − min)·u; scikit-learn rounds ((max − min)·r)/R: an ulp apart
          if (extra) expect(Math.abs(tree.threshold[i] - t.threshold[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(t.threshold[i])));
          else expect(tree.threshold[i]).toBe(t.threshold[i]);
        }
        return tree;
      });
      const nOut = td.classes ? td.classes.length : 1;
      const { arrays, roots } = concatTrees(trees, nOut);
      const ensemble = new TreeEnsemble(arrays, roots, td.featureNames, td.nCats, modelSignature(train, "y", task, td.classes ?? undefined));
      const values = ensemble.values(test);
      const ref = c.proba ?? c.predict!;
      expect(values.length).toBe(ref.length);
      values.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 10));
      const imp = forestImportances(arrays, roots, td.p);
      imp.forEach((v, j) => expect(v).toBeCloseTo(c.feature_importances[j], 10));
      if (c.oob_score !== undefined) {
        const oob = outOfBag(arrays, roots, td.X, td.n, (t) => c.trees[t].counts!, td);
        expect(oob.score).toBeCloseTo(c.oob_score, 10);
        oob.prediction.forEach((v, i) => expect(v).toBeCloseTo(c.oob![i], 10));
      }
    });
  }
});

async function heldOut(name: string, kind: "forest" | "extra_trees", seed: number): Promise<{ score: number; oob?: number }> {
  const b = bundled(name);
  const opts = { target: "y", rng: new Rng(seed), threads: 1 };
  if (b.task === "regression") {
    const m = (await (kind === "forest" ? forestRegressor({ oobScore: true }) : extraTreesRegressor()).fit(b.train, opts)) as ForestRegressorModel;
    return { score: r2(b.yTest, m.predict(b.test)), oob: m.oobScore };
  }
  const m = (await (kind === "forest" ? forestClassifier({ oobScore: true }) : extraTreesClassifier()).fit(b.train, opts)) as ForestClassifierModel;
  if (name === "breast_cancer") {
    const p = m.predictProba(b.test);
    return { score: auc(b.yTest, Array.from({ length: b.test.nRows }, (_, i) => p[2 * i + 1])), oob: m.oobScore };
  }
  return { score: accuracy(b.yTest, m.predict(b.test)), oob: m.oobScore };
}

describe("held-out and OOB scores with Keel's own seeds (100 trees, 5 seeds)", () => {
  // Seed-to-seed spread is up to ±0.02 (iris: one test row is 0.026 of accuracy), so the means are
  // compared within 0.01, or 3 standard errors when the spread is larger than that.
  for (const name of ["breast_cancer", "iris", "diabetes"]) {
    for (const kind of ["forest", "extra_trees"] as const) {
      it(`${name}, ${kind === "forest" ? "random forest" : "extra-trees"}`, async () => {
        const runs = [];
        for (let s = 0; s < 5; s++) runs.push(await heldOut(name, kind, s));
        const ours = runs.map((r) => r.score);
        const theirs = sk[name][kind] as number[];
        expect(Math.abs(mean(ours) - mean(theirs))).toBeLessThanOrEqual(Math.max(0.01, 3 * seDiff(ours, theirs)));
        if (kind === "forest") {
          const oob = runs.map((r) => r.oob!);
          const skOob = sk[name].forest_oob as number[];
          expect(Math.abs(mean(oob) - mean(skOob))).toBeLessThanOrEqual(Math.max(0.01, 3 * seDiff(oob, skOob)));
        }
      }, 120_000);
    }
  }
});

/** Mixed data with missing values and a categorical column, for the structural tests. */
function mixed(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const shop: (string | null)[] = [];
  const yc: string[] = [];
  const yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 7 === 0 ? NaN : rng.normal();
    z[i] = rng.float();
    shop.push(i % 9 === 0 ? null : ["a", "b", "c", "d"][rng.int(4)]);
    const s = (Number.isNaN(x[i]) ? 1 : x[i]) + (shop[i] === "b" || shop[i] === "d" ? 1 : 0) + 0.3 * rng.normal();
    yc.push(s > 0.8 ? "up" : "down");
    yr[i] = 3 * s + z[i];
  }
  return Frame.fromColumns({ x, z, shop: categoricalFromValues(shop), yc, yr });
}

describe("forest mechanics", () => {
  it("1 and 2 worker threads give the same model", async () => {
    const data = mixed(400, 1);
    const cls = data.drop(["yr"]);
    const reg = data.drop(["yc"]);
    for (const [params, frame, target, make] of [
      [{ nEstimators: 16, oobScore: true }, cls, "yc", forestClassifier],
      [{ nEstimators: 16, maxFeatures: 0.5 }, reg, "yr", extraTreesRegressor],
    ] as const) {
      const one = await make({ ...params, threads: 1 }).fit(frame, { target, rng: new Rng(3) });
      const two = await make({ ...params, threads: 2 }).fit(frame, { target, rng: new Rng(3) });
      expect(one.save().buffers).toEqual(two.save().buffers);
      expect(one.save().state).toEqual(two.save().state);
      // and the same trees with no threads parameter (a small fit, built on this thread)
      const auto = await make(params).fit(frame, { target, rng: new Rng(3), threads: 2 });
      expect(auto.save().buffers).toEqual(one.save().buffers);
    }
  }, 120_000);

  it("save → load gives the same predictions, OOB results and importances", async () => {
    const data = mixed(300, 2).drop(["yr"]);
    const m = await forestClassifier({ nEstimators: 20, oobScore: true }).fit(data, { target: "yc", threads: 1 });
    const loaded = fittedFromArtifact(artifactFromBytes(artifactToBytes(m.save())).artifact) as ForestClassifierModel;
    expect(Array.from(loaded.predictProba(data))).toEqual(Array.from(m.predictProba(data)));
    expect(Array.from(loaded.apply(data))).toEqual(Array.from(m.apply(data)));
    expect(loaded.oobScore).toBe(m.oobScore);
    expect(Array.from(loaded.oobPrediction!)).toEqual(Array.from(m.oobPrediction!));
    expect(Array.from(loaded.featureImportances)).toEqual(Array.from(m.featureImportances));
    expect(loaded.nEstimators).toBe(20);
  });

  it("missing values and unseen categories at predict time follow the learned paths", async () => {
    const data = mixed(300, 4).drop(["yc"]);
    for (const spec of [forestRegressor({ nEstimators: 10 }), extraTreesRegressor({ nEstimators: 10 })]) {
      const m = await spec.fit(data, { target: "yr", threads: 1 });
      const probe = Frame.fromColumns({ x: [NaN, NaN, 0.5], z: [0.5, 0.5, NaN], shop: categoricalFromValues(["zzz-new", null, "b"]) });
      const p = m.predict(probe);
      for (const v of p) expect(Number.isFinite(v)).toBe(true);
      expect(p[0]).toBe(p[1]); // an unseen category takes the missing path
    }
  });

  it("bootstrap samples: each tree's root holds maxSamples draws; OOB needs bootstrap", async () => {
    const data = mixed(200, 5).drop(["yc"]);
    const m = await forestRegressor({ nEstimators: 8, maxSamples: 50 }).fit(data, { target: "yr", threads: 1 });
    for (const r of m.roots) {
      expect(m.trees.weight[r]).toBe(50);
      expect(m.trees.nSamples[r]).toBeLessThanOrEqual(50);
    }
    const f = await forestRegressor({ nEstimators: 8, maxSamples: 0.25 }).fit(data, { target: "yr", threads: 1 });
    for (const r of f.roots) expect(f.trees.weight[r]).toBe(50);
    const all = await extraTreesRegressor({ nEstimators: 4 }).fit(data, { target: "yr", threads: 1 });
    for (const r of all.roots) expect(all.trees.nSamples[r]).toBe(200);
    expect(() => forestRegressor({ oobScore: true, bootstrap: false })).toThrow(/oobScore/);
    await expect(forestRegressor({ maxSamples: 500 }).fit(data, { target: "yr", threads: 1 })).rejects.toThrow(/maxSamples/);
  });

  it('extra-trees thresholds lie between the node\'s min and max; "balanced_subsample" without bootstrap is "balanced"', async () => {
    const data = mixed(250, 6).drop(["yr"]);
    const et = await extraTreesClassifier({ nEstimators: 10, classWeight: "balanced_subsample" }).fit(data, { target: "yc", threads: 1, rng: new Rng(9) });
    const bal = await extraTreesClassifier({ nEstimators: 10, classWeight: "balanced" }).fit(data, { target: "yc", threads: 1, rng: new Rng(9) });
    expect(Array.from(et.predictProba(data))).toEqual(Array.from(bal.predictProba(data)));
    const names = et.featureNames;
    for (const r of et.roots) {
      const f = et.trees.feature[r];
      const t = et.trees.threshold[r];
      if (names[f] === "shop" || !Number.isFinite(t)) continue;
      const col = (data.column(names[f]) as { values: Float64Array }).values.filter((v) => !Number.isNaN(v));
      expect(t).toBeGreaterThanOrEqual(Math.min(...col));
      expect(t).toBeLessThan(Math.max(...col));
    }
  });

  it('"balanced_subsample" reweights each bootstrap sample', async () => {
    const rng = new Rng(12);
    const n = 300;
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const y = Array.from(x, (v) => (v > 1.2 ? "rare" : "common"));
    const data = Frame.fromColumns({ x, y });
    const sub = await forestClassifier({ nEstimators: 6, classWeight: "balanced_subsample" }).fit(data, { target: "y", threads: 1 });
    // every tree's root weight is the bootstrap size, split evenly between the two classes
    for (const r of sub.roots) {
      expect(sub.trees.weight[r]).toBeCloseTo(n, 9);
      expect(sub.trees.value[r * 2]).toBeCloseTo(0.5, 12);
    }
  });

  it("a cancelled fit stops with CancelledError; the OOB score is reported to the active observer", async () => {
    const data = mixed(200, 7).drop(["yc"]);
    const ctl = new AbortController();
    ctl.abort();
    await expect(forestRegressor({ nEstimators: 5 }).fit(data, { target: "yr", threads: 1, signal: ctl.signal })).rejects.toBeInstanceOf(CancelledError);
    const events: KeelEvent[] = [];
    const m = await withObserver({ onEvent: (e) => events.push(e) }, () => forestRegressor({ nEstimators: 10, oobScore: true }).fit(data, { target: "yr", threads: 1 }));
    expect(events).toContainEqual({ type: "metric", key: "oob_score", value: m.oobScore });
  });
});
