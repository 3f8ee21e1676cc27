/**
 * models/tree: CART decision trees (classification and regression), and the building blocks the
 * forests reuse — growth on presorted features, flat node arrays, prediction, importances,
 * cost-complexity pruning.
 */
export {
  treeClassifier,
  treeRegressor,
  costComplexityPruningPath,
  DecisionTreeClassifierModel,
  DecisionTreeRegressorModel,
} from "./decision-tree.js";
export type { TreeArrays } from "./tree-arrays.js";
export { concatTrees, countLeaves, treeDepth } from "./tree-arrays.js";
export type { PruningPath } from "./prune.js";
export { pruningPath, pruneTree } from "./prune.js";
export type { RandomSource } from "./random-source.js";
export type { CriterionName, GrowData, GrowSettings } from "./grow.js";
export { growTree } from "./grow.js";
export { CLASSIFIER_CRITERIA, REGRESSOR_CRITERIA, checkGrowParams, classWeightParam, growParamSchema, maxFeaturesParam, resolveGrowSettings, resolveMaxFeatures } from "./params.js";
/** Class weights (core/class-weight), for the forest's per-tree "balanced_subsample". */
export { classWeights } from "../../core/index.js";
export type { TrainingData } from "./training-data.js";
export { prepareTraining } from "./training-data.js";
export { treeImportances, forestImportances } from "./importance.js";
export { accumulateLeafValues, applyTree, argmaxRows, leafOf } from "./predict.js";
export type { FeatureRows } from "./predict.js";
export { TreeEnsemble, labelsFromProba } from "./tree-ensemble.js";
export type { PackedTrees } from "./packed.js";
export { accumulatePacked, packTrees } from "./packed.js";
export { accumulateParallel, sharedF64, warmPredictPool } from "./predict-pool.js";
export { treeBuffers, treesFromArtifact } from "./tree-artifact.js";
export { predictionMatrix, trainingMatrix } from "./matrix.js";
export type { FeatureMatrix } from "./matrix.js";
