/**
 * Class weights as scikit-learn's `compute_class_weight`: `"balanced"` gives class k the weight
 * n / (K · n_k) from the (unweighted) class counts; a record maps class labels to weights (other
 * classes weigh 1); null gives all ones.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";

/** The `classWeight` parameter: null, "balanced", or { label: weight }. */
export type ClassWeightParam = null | "balanced" | Record<string, number>;

/** Check a `classWeight` parameter value; a message when it is wrong, else null. */
export function checkClassWeight(v: Json): string | null {
  if (v === null || v === "balanced") return null;
  if (typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0)) return null;
  return `null, "balanced" or an object of class label → weight ≥ 0`;
}

/**
 * Weight of each class index 0..K−1. `y` holds class indices; `classes` the labels (for records).
 * @param who the estimator kind, for error messages
 */
export function classWeights(param: ClassWeightParam, classes: readonly string[], y: Int32Array | Float64Array, who: string): Float64Array {
  const K = classes.length;
  const out = new Float64Array(K).fill(1);
  if (param === null) return out;
  if (param === "balanced") {
    const counts = new Float64Array(K);
    for (let i = 0; i < y.length; i++) counts[y[i]]++;
    for (let k = 0; k < K; k++) out[k] = counts[k] > 0 ? y.length / (K * counts[k]) : 1;
    return out;
  }
  for (const [label, w] of Object.entries(param)) {
    const k = classes.indexOf(label);
    if (k < 0) {
      throw new InvalidInputError(`${who}: classWeight names class ${show(label)}, which is not in the target; classes are ${show(classes)}`, {
        path: `${who}.classWeight.${label}`,
        expected: `one of ${classes.join(", ")}`,
        received: label,
      });
    }
    out[k] = w;
  }
  return out;
}
