/** Linear models: linear regression, ridge, lasso, elastic net, logistic regression. */
export { logistic, type FittedLogistic } from "./logistic.js";
export { lbfgs, type LbfgsOptions, type LbfgsResult, type Objective } from "./lbfgs.js";
export { linearRegression } from "./linear-regression.js";
export { ridge, solveRidge } from "./ridge.js";
export { elasticNet, lasso } from "./elastic-net.js";
export { type FittedLinearRegressor } from "./fitted-linear.js";
export { enetCoordinateDescent, type CdOptions, type CdResult } from "./coordinate-descent.js";
export { bfgs, type BfgsOptions, type BfgsResult } from "./bfgs.js";
