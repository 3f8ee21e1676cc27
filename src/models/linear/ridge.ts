/**
 * `ridge`: L2-penalised least squares, as scikit-learn's `Ridge`: minimises
 * Σᵢ sᵢ·(yᵢ − xᵢ·w − b)² + α·‖w‖² (the intercept is not penalised). Closed form on the centred
 * data: `cholesky` solves (XᵀX + αI)·w = Xᵀy; `qr` solves the same problem as least squares on
 * X stacked over √α·I (better conditioned); `auto` uses Cholesky and falls back to QR when the
 * system is not positive definite (α = 0 with dependent columns).
 */
import { z } from "zod";
import { defineEstimator, modelSignature, featureNames, numericFeatures, regressionTarget } from "../../estimator/index.js";
import { centerData } from "./center.js";
import { cholesky, choleskySolve, leastSquares } from "./dense.js";
import { type FittedLinearRegressor, LinearRegressorModel } from "./fitted-linear.js";

const KIND = "ridge";

/**
 * Spec factory for "ridge": least squares with an L2 penalty α‖w‖²₂ (Hoerl & Kennard 1970), closed form, as scikit-learn's `Ridge`.
 * @example
 * ```ts
 * const model = await autoPipeline(ridge({ alpha: 10 })).fit(frame, { target: "price" });
 * ```
 */
export const ridge = defineEstimator<FittedLinearRegressor>({
  kind: KIND,
  role: "regressor",
  doc: "Ridge regression (L2-penalised least squares)",
  needsTarget: true,
  schema: {
    alpha: z.number().min(0).default(1).describe("L2 penalty strength α"),
    fitIntercept: z.boolean().default(true).describe("fit an intercept"),
    solver: z.enum(["auto", "cholesky", "qr"]).default("auto").describe("closed-form solver"),
  },
  async fit(params, data, options, spec) {
    const target = options.target!;
    const names = featureNames(data, target);
    const X = numericFeatures(data, names, KIND);
    const y = regressionTarget(data, target, KIND);
    const fitIntercept = params.fitIntercept as boolean;
    const alpha = params.alpha as number;
    const c = centerData(X.columns, y, options.weights ?? null, fitIntercept);
    const coef = solveRidge(c.cols, c.y, alpha, params.solver as string);
    let intercept = 0;
    if (fitIntercept) {
      intercept = c.yOffset;
      for (let j = 0; j < coef.length; j++) intercept -= c.xOffset[j] * coef[j];
    }
    return new LinearRegressorModel(spec, modelSignature(data, target, "regression"), coef, intercept, 0);
  },
  load: (artifact, spec) => LinearRegressorModel.load(artifact, spec),
});

/** w = argmin ‖y − Xw‖² + α‖w‖² for column-major X. */
export function solveRidge(cols: readonly Float64Array[], y: Float64Array, alpha: number, solver: string): Float64Array {
  const p = cols.length;
  const n = y.length;
  if (solver !== "qr") {
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      const ci = cols[i];
      let s = 0;
      for (let r = 0; r < n; r++) s += ci[r] * y[r];
      b[i] = s;
      for (let j = 0; j <= i; j++) {
        const cj = cols[j];
        let t = 0;
        for (let r = 0; r < n; r++) t += ci[r] * cj[r];
        A[i * p + j] = t;
        A[j * p + i] = t;
      }
      A[i * p + i] += alpha;
    }
    if (cholesky(A, p)) {
      choleskySolve(A, p, b);
      return b;
    }
  }
  // least squares on [X; √α·I] and [y; 0]
  const root = Math.sqrt(alpha);
  const aug = cols.map((c, j) => {
    const a = new Float64Array(n + p);
    a.set(c);
    a[n + j] = root;
    return a;
  });
  const yy = new Float64Array(n + p);
  yy.set(y);
  return leastSquares(aug, yy).x;
}
