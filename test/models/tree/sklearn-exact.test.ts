/**
 * Keel's CART against scikit-learn 1.2, node for node. With scikit-learn's splitter RNG replayed
 * (`SklearnRand`), growth must visit features in the same order and so build the same tree: same
 * node count, split features, thresholds, children, node sizes and impurities, the same
 * predictions on held-out rows and the same feature importances (fixtures: exact.json).
 */
import { describe, expect, it } from "vitest";
import { categorical } from "../../../src/data/column.js";
import { modelSignature } from "../../../src/estimator/input.js";
import {
  growTree,
  prepareTraining,
  resolveGrowSettings,
  treeClassifier,
  treeImportances,
  TreeEnsemble,
  treeRegressor,
  labelsFromProba,
} from "../../../src/models/tree/index.js";
import { exactCases } from "./fixtures.js";
import { SklearnRand } from "./sklearn-rand.js";

function growWithSklearnDraws(c: ReturnType<typeof exactCases>[number]["c"], train: import("../../../src/data/frame.js").Frame) {
  const spec = c.task === "classification" ? treeClassifier(c.params) : treeRegressor(c.params);
  const options = { target: "y", weights: c.sample_weight ? Float64Array.from(c.sample_weight) : undefined };
  const td = prepareTraining(train, options, c.task, (spec.params.classWeight ?? null) as never);
  let total = 0;
  for (const w of td.weight) total += w;
  const settings = resolveGrowSettings(spec.params, td.n, td.p, total, false);
  const arrays = growTree(td, td.weight, settings, new SklearnRand(c.splitter_seed));
  const ensemble = new TreeEnsemble(arrays, Int32Array.of(0), td.featureNames, td.nCats, modelSignature(train, "y", c.task, td.classes ?? undefined));
  return { arrays, ensemble, td };
}

describe("CART matches scikit-learn 1.2 node for node", () => {
  for (const { c, train, test } of exactCases()) {
    it(c.name, () => {
      const { arrays, ensemble, td } = growWithSklearnDraws(c, train);
      const t = c.tree;
      expect(arrays.nodeCount).toBe(t.node_count);
      expect(Array.from(arrays.left)).toEqual(t.children_left);
      expect(Array.from(arrays.right)).toEqual(t.children_right);
      expect(Array.from(arrays.feature)).toEqual(t.feature.map((f) => (f < 0 ? -1 : f)));
      for (let i = 0; i < t.node_count; i++) {
        if (t.children_left[i] >= 0) expect(arrays.threshold[i]).toBe(t.threshold[i]);
        expect(arrays.nSamples[i]).toBe(t.n_node_samples[i]);
        expect(arrays.weight[i]).toBe(t.weighted_n_node_samples[i]);
        expect(arrays.impurity[i]).toBeCloseTo(t.impurity[i], 12);
      }
      const imp = treeImportances(arrays, td.p);
      for (let j = 0; j < td.p; j++) expect(imp[j]).toBeCloseTo(t.feature_importances[j], 12);
      if (c.task === "classification") {
        const proba = ensemble.values(test);
        const labels = labelsFromProba(proba, test.nRows, td.classes!);
        expect(Array.from(labels.codes, (k) => labels.categories[k])).toEqual(c.predict);
        proba.forEach((v, i) => expect(v).toBeCloseTo(c.proba![i], 12));
      } else {
        const pred = ensemble.values(test);
        expect(Array.from(pred)).toEqual(c.predict);
      }
      void categorical;
    });
  }
});
