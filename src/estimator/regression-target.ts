/**
 * A regression target for models: finite numbers (from `numericTarget`), and
 * not constant — a constant target leaves nothing to learn and is refused naming the column.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Frame } from "../data/index.js";
import { numericTarget } from "./input.js";

/**
 * A regression target as doubles for the estimator `kind`: INVALID_INPUT naming the column and first bad row when a value is missing or not a number.
 * @example
 * ```ts
 * const y = regressionTarget(frame, "price", "ridge");
 * ```
 */
export function regressionTarget(data: Frame, target: string, kind: string): Float64Array {
  const y = numericTarget(data, target);
  let constant = true;
  for (let i = 1; i < y.length; i++) {
    if (y[i] !== y[0]) {
      constant = false;
      break;
    }
  }
  if (constant && y.length > 1) {
    throw new InvalidInputError(`${kind}: target column ${show(target)} is constant (every row is ${show(y[0])}); there is nothing to learn`, {
      path: target,
      expected: "at least two distinct values",
      received: y[0],
    });
  }
  return y;
}
