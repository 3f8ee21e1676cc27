/**
 * models/: every model Keel trains. Importing this module registers each estimator kind, so
 * specs rebuild from JSON and saved models load (`specFromJson`, `loadModel`).
 */
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
