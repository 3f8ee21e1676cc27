/**
 * Minimal cost-complexity pruning against scikit-learn 1.2 (fixtures: pruning.json): the path's
 * effective alphas and subtree impurities, and the pruned trees' node counts and predictions at
 * alphas between path steps — both on the internal arrays (with scikit-learn's feature draws
 * replayed) and through the public `ccpAlpha` / `costComplexityPruningPath` API.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { modelSignature } from "../../../src/estimator/input.js";
import {
  costComplexityPruningPath,
  growTree,
  labelsFromProba,
  prepareTraining,
  pruneTree,
  pruningPath,
  resolveGrowSettings,
  treeClassifier,
  TreeEnsemble,
  treeRegressor,
} from "../../../src/models/tree/index.js";
import { bundled, readFixture, type Task } from "./fixtures.js";
import { SklearnRand } from "./sklearn-rand.js";

interface PruneCase {
  dataset: string;
  task: Task;
  splitter_seed: number;
  ccp_alphas: number[];
  impurities: number[];
  pruned: { ccp_alpha: number; node_count: number; predict: (string | number)[] }[];
}

const cases = readFixture<{ cases: PruneCase[] }>("pruning.json").cases;

function closeRel(a: number, b: number, rel = 1e-9): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1e-12, Math.abs(b)));
}

describe("cost-complexity pruning matches scikit-learn", () => {
  for (const pc of cases) {
    const { train, test, task } = bundled(pc.dataset);
    const spec = task === "classification" ? treeClassifier({}) : treeRegressor({});
    const td = prepareTraining(train, { target: "y" }, task, null);
    const settings = resolveGrowSettings(spec.params, td.n, td.p, td.n, false);
    const full = growTree(td, td.weight, settings, new SklearnRand(pc.splitter_seed));
    const signature = modelSignature(train, "y", task, td.classes ?? undefined);

    it(`${pc.dataset}: pruning path alphas and impurities`, () => {
      const path = pruningPath(full);
      expect(path.ccpAlphas.length).toBe(pc.ccp_alphas.length);
      expect(pc.ccp_alphas.length).toBeGreaterThan(5);
      pc.ccp_alphas.forEach((a, i) => closeRel(path.ccpAlphas[i], a));
      pc.impurities.forEach((r, i) => closeRel(path.impurities[i], r));
    });

    it(`${pc.dataset}: pruned trees' node counts and predictions`, () => {
      for (const p of pc.pruned) {
        const pruned = pruneTree(full, p.ccp_alpha, td.nCats);
        expect(pruned.nodeCount).toBe(p.node_count);
        const values = new TreeEnsemble(pruned, Int32Array.of(0), td.featureNames, td.nCats, signature).values(test);
        if (task === "classification") {
          const labels = labelsFromProba(values, test.nRows, td.classes!);
          expect(Array.from(labels.codes, (k) => labels.categories[k])).toEqual(p.predict);
        } else expect(Array.from(values)).toEqual(p.predict);
      }
    });

    it(`${pc.dataset}: the public API prunes the same way`, async () => {
      const path = await costComplexityPruningPath(spec, train, { target: "y", rng: new Rng(3) });
      // a different random source grows a different full tree; the path is still a valid weakest-link sequence
      expect(path.ccpAlphas[0]).toBe(0);
      for (let i = 1; i < path.ccpAlphas.length; i++) expect(path.ccpAlphas[i]).toBeGreaterThanOrEqual(path.ccpAlphas[i - 1] - 1e-15);
      for (let i = 1; i < path.impurities.length; i++) expect(path.impurities[i]).toBeGreaterThanOrEqual(path.impurities[i - 1] - 1e-12);
      const mid = (path.ccpAlphas[path.ccpAlphas.length >> 1] + path.ccpAlphas[(path.ccpAlphas.length >> 1) + 1]) / 2;
      const model = await spec.with({ ccpAlpha: mid }).fit(train, { target: "y", rng: new Rng(3) });
      const unpruned = await spec.fit(train, { target: "y", rng: new Rng(3) });
      expect(model.nodeCount).toBeLessThan(unpruned.nodeCount);
      expect(model.nodeCount).toBe(pruneTree(unpruned.tree, mid, td.nCats).nodeCount);
      // the pruned tree's total leaf impurity is the path's at that step
      let leafImpurity = 0;
      const t = model.tree;
      for (let i = 0; i < t.nodeCount; i++) if (t.left[i] < 0) leafImpurity += (t.weight[i] * t.impurity[i]) / t.weight[0];
      closeRel(leafImpurity, path.impurities[(path.ccpAlphas.length >> 1)], 1e-9);
    });
  }
});
