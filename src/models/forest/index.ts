/**
 * models/forest: random forests and extra-trees, classifier and regressor, built in parallel on
 * worker threads from the CART trees of models/tree.
 */
export {
  forestClassifier,
  forestRegressor,
  extraTreesClassifier,
  extraTreesRegressor,
  ForestClassifierModel,
  ForestRegressorModel,
} from "./forest.js";
export { bootstrapDraws, forestSchema } from "./params.js";
export { bootstrapCounts } from "./tree-job.js";
export type { OobResult } from "./oob.js";
export { outOfBag } from "./oob.js";
