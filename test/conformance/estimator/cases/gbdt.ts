/**
 * Conformance cases for models/gbdt: the classifier (binary and multiclass) and the regressor
 * (several losses), on rows with numeric, categorical (with missing values), boolean and datetime
 * columns.
 */
import { Rng } from "../../../../src/core/rng.js";
import { Frame } from "../../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../../src/models/gbdt/index.js";
import type { EstimatorCase } from "../case.js";

const STORES = ["harbour", "market", "station", "airport", "campus", "mall"];

/** 120 deterministic rows and three targets: a label, a grade (3 classes) and a positive amount. */
function rows(): Frame {
  const rng = new Rng(505);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 120; i++) {
    const x = rng.normal();
    const z = i % 13 === 6 ? null : Math.round(rng.float() * 800) / 10;
    const store = i % 19 === 2 ? null : STORES[rng.int(STORES.length)];
    const member = i % 23 === 9 ? null : rng.float() < 0.4;
    const day = new Date(Date.UTC(2024, 0, 1) + rng.int(300) * 86_400_000);
    const s = x + (store === "market" || store === "mall" ? 1 : 0) + (member ? 0.7 : 0) + (z ?? 40) / 80 + 0.3 * rng.normal();
    out.push({ x, z, store, member, day, label: s > 1.1 ? "buy" : "skip", grade: s > 1.8 ? "A" : s > 0.6 ? "B" : "C", amount: Math.exp(0.5 * s) * 10 });
  }
  return Frame.fromRows(out, { kinds: { x: "numeric", z: "numeric", store: "categorical", member: "boolean", day: "datetime", label: "categorical", grade: "categorical", amount: "numeric" } });
}

const binary = () => rows().drop(["grade", "amount"]);
const multiclass = () => rows().drop(["label", "amount"]);
const regression = () => rows().drop(["label", "grade"]);

const bad = [
  { maxIter: 0 },
  { learningRate: "fast" },
  { maxBins: 256 },
  { maxLeaves: 1 },
  { subsample: 0 },
  { categorical: 3 },
  { monotonic: { x: 2 } },
  { earlyStopping: "sometimes" },
  { threads: 0 },
];
const small = { maxIter: 15, minSamplesLeaf: 5 };

export const cases: EstimatorCase[] = [
  { name: "gbdt-classifier (binary)", spec: () => gbdtClassifier(small), role: "classifier", data: binary, target: "label", badParams: [...bad, { loss: "squared_error" }, { classWeight: "even" }], random: true },
  {
    name: "gbdt-classifier (3 classes, balanced, subsampled, early stopping)",
    spec: () => gbdtClassifier({ ...small, classWeight: "balanced", subsample: 0.8, colsampleByTree: 0.8, earlyStopping: true, validationFraction: 0.2, nIterNoChange: 3 }),
    role: "classifier",
    data: multiclass,
    target: "grade",
    badParams: bad,
    random: true,
  },
  { name: "gbdt-regressor (squared error, monotonic x)", spec: () => gbdtRegressor({ ...small, monotonic: { x: 1 } }), role: "regressor", data: regression, target: "amount", badParams: [...bad, { loss: "log_loss" }, { quantile: 1.5 }], random: true },
  { name: "gbdt-regressor (absolute error, ordinal categories)", spec: () => gbdtRegressor({ ...small, loss: "absolute_error", categorical: [] }), role: "regressor", data: regression, target: "amount", badParams: bad, random: true },
  { name: "gbdt-regressor (quantile 0.9)", spec: () => gbdtRegressor({ ...small, loss: "quantile", quantile: 0.9 }), role: "regressor", data: regression, target: "amount", badParams: [...bad, { huberDelta: -1 }], random: true },
  { name: "gbdt-regressor (huber)", spec: () => gbdtRegressor({ ...small, loss: "huber", huberDelta: 2 }), role: "regressor", data: regression, target: "amount", badParams: bad, random: true },
  { name: "gbdt-regressor (poisson, l2)", spec: () => gbdtRegressor({ ...small, loss: "poisson", l2Regularization: 1 }), role: "regressor", data: regression, target: "amount", badParams: bad, random: true },
];
