/**
 * Conformance cases for models/tree and models/forest: CART classifier and regressor, random
 * forests and extra-trees, on data with numeric, categorical (with missing values), boolean and
 * datetime columns; three classes for the classifiers.
 */
import { Rng } from "../../../../src/core/rng.js";
import { Frame } from "../../../../src/data/frame.js";
import { extraTreesClassifier, extraTreesRegressor, forestClassifier, forestRegressor } from "../../../../src/models/forest/index.js";
import { treeClassifier, treeRegressor } from "../../../../src/models/tree/index.js";
import type { EstimatorCase } from "../case.js";

const SHOPS = ["north", "south", "east", "west", "centre"];

/** 90 deterministic rows: numeric, categorical, boolean and datetime features, two targets. */
function rows(): Frame {
  const rng = new Rng(77);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 90; i++) {
    const x = rng.normal();
    const z = Math.round(rng.float() * 500) / 10;
    const shop = i % 17 === 4 ? null : SHOPS[rng.int(SHOPS.length)];
    const promo = i % 11 === 7 ? null : rng.float() < 0.5;
    const day = new Date(Date.UTC(2023, 0, 1) + rng.int(365) * 86_400_000);
    const signal = x + (shop === "south" || shop === "west" ? 1.2 : 0) + (promo ? 0.8 : 0) + 0.4 * rng.normal();
    out.push({ x, z, shop, promo, day, grade: signal > 1.2 ? "high" : signal > 0 ? "mid" : "low", sales: 10 * signal + z / 10 });
  }
  return Frame.fromRows(out, { kinds: { x: "numeric", z: "numeric", shop: "categorical", promo: "boolean", day: "datetime", grade: "categorical", sales: "numeric" } });
}

const classification = () => rows().drop(["sales"]);
const regression = () => rows().drop(["grade"]);

const treeBad = [{ maxDepth: "deep" }, { criterion: "median" }, { maxFeatures: -1 }, { minSamplesSplit: 1 }, { ccpAlpha: -0.1 }];
const forestBad = [{ nEstimators: 0 }, { bootstrap: "yes" }, { maxFeatures: 2.5 }, { maxSamples: -3 }, { threads: 0 }];

export const cases: EstimatorCase[] = [
  { name: "tree-classifier (gini)", spec: () => treeClassifier(), role: "classifier", data: classification, target: "grade", badParams: treeBad, random: true },
  {
    name: "tree-classifier (entropy, maxLeafNodes, ccpAlpha, balanced)",
    spec: () => treeClassifier({ criterion: "entropy", maxLeafNodes: 8, ccpAlpha: 0.01, classWeight: "balanced" }),
    role: "classifier",
    data: classification,
    target: "grade",
    badParams: [...treeBad, { classWeight: "balanced_subsample" }],
    random: true,
  },
  { name: "tree-regressor (squared error)", spec: () => treeRegressor(), role: "regressor", data: regression, target: "sales", badParams: [...treeBad, { criterion: "gini" }], random: true },
  {
    name: "tree-regressor (absolute error, maxFeatures sqrt)",
    spec: () => treeRegressor({ criterion: "absolute_error", maxFeatures: "sqrt", minSamplesLeaf: 2 }),
    role: "regressor",
    data: regression,
    target: "sales",
    badParams: treeBad,
    random: true,
  },
  {
    name: "forest-classifier (oob, balanced_subsample)",
    spec: () => forestClassifier({ nEstimators: 12, oobScore: true, classWeight: "balanced_subsample" }),
    role: "classifier",
    data: classification,
    target: "grade",
    badParams: [...forestBad, { oobScore: true, bootstrap: false }],
    random: true,
  },
  { name: "forest-regressor (oob, maxSamples 0.7)", spec: () => forestRegressor({ nEstimators: 12, oobScore: true, maxSamples: 0.7 }), role: "regressor", data: regression, target: "sales", badParams: forestBad, random: true },
  { name: "extra-trees-classifier", spec: () => extraTreesClassifier({ nEstimators: 12 }), role: "classifier", data: classification, target: "grade", badParams: [...forestBad, { maxSamples: 0.5 }], random: true },
  { name: "extra-trees-regressor (maxDepth 4)", spec: () => extraTreesRegressor({ nEstimators: 12, maxDepth: 4 }), role: "regressor", data: regression, target: "sales", badParams: forestBad, random: true },
];
