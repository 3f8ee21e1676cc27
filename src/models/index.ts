/**
 * models/: every model Keel trains. `MODEL_ESTIMATORS` lists their definitions; an entry point
 * registers it (`registerEstimators`) so specs rebuild from JSON and saved models load
 * (`specFromJson`, `loadModel`). Importing this module registers nothing.
 */
import type { EstimatorEntry } from "../estimator/index.js";
import { calibratedClassifier, decisionThreshold } from "./calibration/index.js";
import { dummyClassifier, dummyRegressor } from "./dummy/index.js";
import { extraTreesClassifier, extraTreesRegressor, forestClassifier, forestRegressor } from "./forest/index.js";
import { gbdtClassifier, gbdtRegressor } from "./gbdt/index.js";
import { knnClassifier, knnRegressor } from "./knn/index.js";
import { elasticNet, lasso, linearRegression, logistic, ridge } from "./linear/index.js";
import { categoricalNb, gaussianNb } from "./naive-bayes/index.js";
import { treeClassifier, treeRegressor } from "./tree/index.js";

export { dummyClassifier, dummyRegressor } from "./dummy/index.js";
export { linearRegression, ridge, lasso, elasticNet, logistic } from "./linear/index.js";
export { gaussianNb, categoricalNb } from "./naive-bayes/index.js";
export { knnClassifier, knnRegressor } from "./knn/index.js";
export { treeClassifier, treeRegressor, costComplexityPruningPath } from "./tree/index.js";
export { forestClassifier, forestRegressor, extraTreesClassifier, extraTreesRegressor } from "./forest/index.js";
export { gbdtClassifier, gbdtRegressor } from "./gbdt/index.js";
export { calibratedClassifier, decisionThreshold, fitCalibratedClassifier, withDecisionThreshold, decisionThresholdOf, CALIBRATION_METHODS, type CalibrationMethod } from "./calibration/index.js";
export type { FittedLogistic } from "./linear/index.js";
export type { FittedLinearRegressor } from "./linear/index.js";
export type { GbdtClassifierModel, GbdtRegressorModel, GbdtHistory } from "./gbdt/index.js";

/**
 * Every model kind of Keel, for `registerEstimators`.
 * @example
 * import { MODEL_ESTIMATORS, registerEstimators } from "keel";
 * registerEstimators(MODEL_ESTIMATORS);
 */
export const MODEL_ESTIMATORS: readonly EstimatorEntry[] = [
  dummyClassifier,
  dummyRegressor,
  linearRegression,
  ridge,
  lasso,
  elasticNet,
  logistic,
  gaussianNb,
  categoricalNb,
  knnClassifier,
  knnRegressor,
  treeClassifier,
  treeRegressor,
  forestClassifier,
  forestRegressor,
  extraTreesClassifier,
  extraTreesRegressor,
  gbdtClassifier,
  gbdtRegressor,
  calibratedClassifier,
  decisionThreshold,
];
