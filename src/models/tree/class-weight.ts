/**
 * Class weights, as scikit-learn's `compute_class_weight` / `compute_sample_weight`:
 * "balanced" gives class c the weight n / (k · n_c) (n rows, k classes present, n_c rows of c);
 * an object gives named classes their weight and the others 1.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";

/**
 * Weight of each class. `counts` (optional) are bootstrap draw counts per row: "balanced" is then
 * computed on the drawn sample ("balanced_subsample").
 */
export function classWeights(spec: Json, y: Int32Array, classes: readonly string[], counts?: ArrayLike<number>): Float64Array {
  const k = classes.length;
  const out = new Float64Array(k).fill(1);
  if (spec === null) return out;
  if (typeof spec === "string") {
    const freq = new Float64Array(k);
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      const c = counts ? counts[i] : 1;
      freq[y[i]] += c;
      total += c;
    }
    let present = 0;
    for (let c = 0; c < k; c++) if (freq[c] > 0) present++;
    for (let c = 0; c < k; c++) out[c] = freq[c] > 0 ? total / (present * freq[c]) : 1;
    return out;
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  for (const [label, w] of Object.entries(spec as Record<string, Json>)) {
    const c = index.get(label);
    if (c === undefined) {
      throw new InvalidInputError(`parameter "classWeight": class ${show(label)} is not in the target; classes are ${show(classes, 200)}`, {
        path: "classWeight",
        expected: `classes among ${classes.join(", ")}`,
        received: label,
      });
    }
    out[c] = w as number;
  }
  return out;
}
