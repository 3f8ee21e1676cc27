/**
 * One entry of the estimator conformance suite (as scikit-learn's `check_estimator`): every
 * transformer and model in Keel is listed in a file under `cases/` and run through the same
 * checks by `estimator.test.ts`. A new estimator is added to a cases file, not given a test file
 * of its own for the same things.
 */
import type { Frame } from "../../../src/data/frame.js";
import type { Spec } from "../../../src/estimator/types.js";

export interface EstimatorCase {
  /** Shown in test names, e.g. "logistic (l2)". */
  name: string;
  /** A fresh spec each call. */
  spec: () => Spec;
  role: "transformer" | "classifier" | "regressor";
  /** Training data (with the target column for supervised estimators). Deterministic. */
  data: () => Frame;
  /** Target column for models and supervised transformers. */
  target?: string;
  /**
   * Parameters that must be rejected with a KeelError naming the parameter: give at least one
   * ill-typed value (e.g. `{ alpha: "big" }`). An unknown parameter is always checked.
   */
  badParams: Record<string, unknown>[];
  /** True when the estimator uses randomness (the suite then fits with two seeds too). */
  random?: boolean;
}
