/**
 * Conformance cases for the simple and linear models: dummy baselines, least-squares regressors,
 * logistic regression (every solver and multiclass scheme), naive Bayes and k-NN.
 */
import { Rng } from "../../../../src/core/rng.js";
import { categoricalFromValues } from "../../../../src/data/column.js";
import { Frame } from "../../../../src/data/frame.js";
import { dummyClassifier, dummyRegressor } from "../../../../src/models/dummy/index.js";
import { knnClassifier, knnRegressor } from "../../../../src/models/knn/index.js";
import { elasticNet, lasso, linearRegression, logistic, ridge } from "../../../../src/models/linear/index.js";
import { categoricalNb, gaussianNb } from "../../../../src/models/naive-bayes/index.js";
import type { EstimatorCase } from "../case.js";

const N = 80;

/** Three numeric features, a boolean one, a regression target and 2- and 3-class labels. */
function numericData(target: "reg" | "bin" | "multi"): Frame {
  const rng = new Rng(2024);
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  const c = new Float64Array(N);
  const flag: boolean[] = [];
  const reg = new Float64Array(N);
  const bin: string[] = [];
  const multi: string[] = [];
  for (let i = 0; i < N; i++) {
    a[i] = rng.normal();
    b[i] = rng.normal() * 2 + 1;
    c[i] = rng.float() * 10;
    flag.push(rng.float() < 0.4);
    const z = a[i] - 0.5 * b[i] + 0.2 * c[i] + (flag[i] ? 1 : 0);
    reg[i] = 3 * z + rng.normal();
    bin.push(z + rng.normal() > 0 ? "yes" : "no");
    multi.push(z + rng.normal() < -0.5 ? "low" : z < 1.5 ? "mid" : "high");
  }
  const cols: Record<string, unknown> = { a, b, c, flag };
  if (target === "reg") cols.target = reg;
  else cols.target = categoricalFromValues(target === "bin" ? bin : multi);
  return Frame.fromColumns(cols as never);
}

/** Two categorical features and a numeric-code one, with a 2-class label. */
function categoricalData(): Frame {
  const rng = new Rng(77);
  const colour: string[] = [];
  const size: string[] = [];
  const code = new Float64Array(N);
  const label: string[] = [];
  for (let i = 0; i < N; i++) {
    colour.push(["red", "green", "blue"][rng.int(3)]);
    size.push(["S", "M", "L", "XL"][rng.int(4)]);
    code[i] = rng.int(3);
    label.push((colour[i] === "red") !== rng.float() < 0.25 ? "A" : "B");
  }
  return Frame.fromColumns({ colour: categoricalFromValues(colour), size: categoricalFromValues(size), code, target: categoricalFromValues(label) });
}

const clf = (name: string, spec: () => EstimatorCase["spec"] extends () => infer S ? S : never, badParams: Record<string, unknown>[], multi = false, random = false): EstimatorCase => ({
  name,
  spec,
  role: "classifier",
  data: () => numericData(multi ? "multi" : "bin"),
  target: "target",
  badParams,
  random,
});

const reg = (name: string, spec: () => EstimatorCase["spec"] extends () => infer S ? S : never, badParams: Record<string, unknown>[]): EstimatorCase => ({
  name,
  spec,
  role: "regressor",
  data: () => numericData("reg"),
  target: "target",
  badParams,
});

export const cases: EstimatorCase[] = [
  clf("dummy-classifier (prior)", () => dummyClassifier(), [{ strategy: "mode" }, { constant: 3 }]),
  clf("dummy-classifier (stratified)", () => dummyClassifier({ strategy: "stratified" }), [{ strategy: 1 }], true, true),
  clf("dummy-classifier (constant)", () => dummyClassifier({ strategy: "constant", constant: "mid" }), [{ strategy: "constant", constant: null }], true),
  reg("dummy-regressor (median)", () => dummyRegressor({ strategy: "median" }), [{ strategy: "mode" }, { quantile: 2 }]),
  reg("dummy-regressor (quantile)", () => dummyRegressor({ strategy: "quantile", quantile: 0.3 }), [{ quantile: "high" }]),
  reg("linear-regression", () => linearRegression(), [{ fitIntercept: "yes" }]),
  reg("ridge", () => ridge({ alpha: 0.5 }), [{ alpha: "big" }, { alpha: -1 }, { solver: "svd" }]),
  reg("ridge (qr)", () => ridge({ alpha: 0.5, solver: "qr" }), [{ solver: 1 }]),
  reg("lasso", () => lasso({ alpha: 0.05 }), [{ alpha: "big" }, { maxIter: 0.5 }, { selection: "shuffle" }]),
  reg("lasso (random selection)", () => lasso({ alpha: 0.05, selection: "random" }), [{ tol: "tight" }]),
  reg("elastic-net", () => elasticNet({ alpha: 0.05, l1Ratio: 0.3, positive: true }), [{ l1Ratio: 2 }, { positive: "no" }]),
  clf("logistic (l2, lbfgs)", () => logistic(), [{ C: "big" }, { C: 0 }, { penalty: "l3" }, { maxIter: 1.5 }]),
  clf("logistic (multinomial)", () => logistic({ C: 2 }), [{ multiClass: "softmax" }], true),
  clf("logistic (ovr, balanced)", () => logistic({ multiClass: "ovr", classWeight: "balanced" }), [{ classWeight: "even" }], true),
  clf("logistic (l1, proximal-newton)", () => logistic({ penalty: "l1", C: 0.5 }), [{ solver: "saga" }, { penalty: "l1", solver: "lbfgs" }]),
  clf("logistic (elasticnet, multinomial)", () => logistic({ penalty: "elasticnet", l1Ratio: 0.5 }), [{ penalty: "elasticnet", l1Ratio: null }], true),
  clf("logistic (newton-cholesky)", () => logistic({ solver: "newton-cholesky", tol: 1e-8 }), [{ tol: "small" }]),
  clf("gaussian-nb", () => gaussianNb(), [{ varSmoothing: "tiny" }, { priors: "flat" }], true),
  {
    name: "categorical-nb",
    spec: () => categoricalNb({ alpha: 0.5 }),
    role: "classifier",
    data: categoricalData,
    target: "target",
    badParams: [{ alpha: "one" }, { minCategories: 0 }],
  },
  clf("knn-classifier (distance)", () => knnClassifier({ nNeighbors: 5, weights: "distance" }), [{ nNeighbors: 0 }, { weights: "inverse" }, { metric: "cosine" }], true),
  clf("knn-classifier (manhattan)", () => knnClassifier({ nNeighbors: 3, metric: "manhattan" }), [{ p: "two" }]),
  reg("knn-regressor", () => knnRegressor({ nNeighbors: 4, p: 3 }), [{ nNeighbors: 2.5 }, { p: 0.5 }]),
];
