/**
 * Training-time output: some transformers must give their own training rows a different output
 * from `transform` — scikit-learn's `fit_transform` ≠ `fit().transform()`. The target encoder is
 * the case in point: on its training rows it returns a *cross-fitted* encoding (each row encoded
 * by statistics from the other folds), so a model fitted next never sees a row's own target in
 * its features; `transform` on new rows uses the encoding learned from all training rows.
 *
 * A transformer's `fit` registers that output with `setTrainingOutput`; `fitTransform` is how a
 * pipeline (or a user) fits a transformer *and* gets the output later steps must be fitted on.
 * For transformers that register nothing, the training output is simply `transform(data)`.
 */
import type { Frame } from "../data/index.js";
import { type FitOptions, type Fitted, type Spec, type Transformer, isTransformer } from "../estimator/index.js";
import { InvalidInputError } from "../core/index.js";

const pending = new WeakMap<Fitted, () => Frame>();

/**
 * Register how `fitted` produces its training-time output (called inside a transformer's fit).
 * The function is called at most once, by `fitTransform`; it must not depend on mutable state.
 * @example
 * ```ts
 * setTrainingOutput(fitted, () => crossFittedOutput);
 * ```
 */
export function setTrainingOutput(fitted: Fitted, output: () => Frame): void {
  pending.set(fitted, output);
}

/**
 * Take (and forget) the training-output function `fitted` registered, if any. For composites
 * (pipelines, column transformers) that assemble their own training output from their parts.
 */
export function takeTrainingOutput(fitted: Fitted): (() => Frame) | undefined {
  const f = pending.get(fitted);
  if (f) pending.delete(fitted);
  return f;
}

/** What `fitTransform` returns. */
export interface FitTransformResult<T extends Transformer = Transformer> {
  fitted: T;
  /** The output later steps are fitted on: the feature columns (no target), one row per input row. */
  output: Frame;
  /** True when `output` differs from `fitted.transform(data)` by design (cross-fitting). */
  crossFitted: boolean;
}

/**
 * Fit a transformer spec and return it with its training-time output — the cross-fitted
 * encoding for a target encoder (and for any pipeline or column transformer containing one),
 * `fitted.transform(data)` for every other transformer. Use this, not `fit` then `transform`,
 * whenever the output feeds another estimator's fit.
 * @example
 * ```ts
 * const { fitted, output } = await fitTransform(pipeline(targetEncoder(), standardScaler()), frame, { target: "Status" });
 * ```
 */
export async function fitTransform<T extends Transformer = Transformer>(spec: Spec, data: Frame, options: FitOptions = {}): Promise<FitTransformResult<T>> {
  const fitted = await spec.fit(data, options);
  if (!isTransformer(fitted)) {
    throw new InvalidInputError(`${spec.kind} is not a transformer; only the last step of a pipeline may be a model`, { path: spec.kind, expected: "a transformer", received: spec.kind });
  }
  const special = takeTrainingOutput(fitted);
  if (special) {
    return { fitted: fitted as T, output: special(), crossFitted: true };
  }
  return { fitted: fitted as T, output: fitted.transform(data), crossFitted: false };
}
