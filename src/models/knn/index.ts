/** k-nearest neighbours: classification and regression (k-d tree in few dimensions, else brute force). */
export { knnClassifier, type FittedKnnClassifier } from "./knn-classifier.js";
export { knnRegressor, type FittedKnnRegressor } from "./knn-regressor.js";
export { kNearest, NeighborIndex, neighborWeights, type Metric, type NeighborResult } from "./neighbors.js";
export { KdTree } from "./kd-tree.js";
