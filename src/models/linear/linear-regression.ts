/**
 * `linear-regression`: ordinary least squares, as scikit-learn's `LinearRegression`: minimises
 * Σᵢ sᵢ·(yᵢ − xᵢ·w − b)². Solved by Householder QR with column pivoting on the centred (and
 * √s-scaled) data; a rank-deficient design gives the minimum-norm solution, as LAPACK's
 * `gelsd` does for scikit-learn.
 */
import { z } from "zod";
import { defineEstimator, modelSignature, featureNames, numericFeatures, regressionTarget } from "../../estimator/index.js";
import { centerData } from "./center.js";
import { leastSquares } from "./dense.js";
import { type FittedLinearRegressor, LinearRegressorModel } from "./fitted-linear.js";

const KIND = "linear-regression";

/**
 * Spec factory for "linear-regression": ordinary least squares, as scikit-learn's `LinearRegression`.
 * @example
 * ```ts
 * const model = await autoPipeline(linearRegression()).fit(frame, { target: "price" });
 * ```
 */
export const linearRegression = defineEstimator<FittedLinearRegressor>({
  kind: KIND,
  role: "regressor",
  doc: "Ordinary least squares linear regression",
  needsTarget: true,
  schema: {
    fitIntercept: z.boolean().default(true).describe("fit an intercept"),
  },
  async fit(params, data, options, spec) {
    const target = options.target!;
    const names = featureNames(data, target);
    const X = numericFeatures(data, names, KIND);
    const y = regressionTarget(data, target, KIND);
    const fitIntercept = params.fitIntercept as boolean;
    const c = centerData(X.columns, y, options.weights ?? null, fitIntercept);
    const { x: coef, rank } = leastSquares(c.cols, c.y);
    let intercept = 0;
    if (fitIntercept) {
      intercept = c.yOffset;
      for (let j = 0; j < coef.length; j++) intercept -= c.xOffset[j] * coef[j];
    }
    return new LinearRegressorModel(spec, modelSignature(data, target, "regression"), coef, intercept, 0, { rank });
  },
  load: (artifact, spec) => LinearRegressorModel.load(artifact, spec),
});
