/** Baselines: models that ignore the features, to beat before anything else. */
export { dummyClassifier, type FittedDummyClassifier } from "./dummy-classifier.js";
export { dummyRegressor, type FittedDummyRegressor } from "./dummy-regressor.js";
