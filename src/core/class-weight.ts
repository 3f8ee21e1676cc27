/**
 * Class weights as scikit-learn's `compute_class_weight` — the one implementation behind every
 * classifier's `classWeight` parameter:
 * - null: every class weighs 1;
 * - "balanced": class c weighs n / (k · n_c), with n rows, n_c of them in class c and k the
 *   number of classes *present* in y (scikit-learn's `LabelEncoder().fit(y).classes_`); a class
 *   with no rows keeps weight 1 (it weighs nothing anyway). With per-row `counts` (bootstrap
 *   draws, for forests' "balanced_subsample") rows count that many times;
 * - { label: weight }: the named classes get their weight, the others 1.
 */
import { InvalidInputError, show } from "./errors.js";
import type { Json } from "./observe.js";

/** The `classWeight` parameter: null, "balanced", or { class label: weight ≥ 0 }. */
export type ClassWeightParam = null | "balanced" | Readonly<Record<string, number>>;

/**
 * Check a `classWeight` parameter value: null for a valid one, else what was expected.
 * `modes` are the accepted strings (forests add "balanced_subsample").
 * @example
 * ```ts
 * checkClassWeight({ "0": 1, "1": 5 }); // null: valid
 * checkClassWeight("equal"); // what was expected instead
 * ```
 */
export function checkClassWeight(v: Json, modes: readonly string[] = ["balanced"]): string | null {
  if (v === null || (typeof v === "string" && modes.includes(v))) return null;
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    for (const [label, w] of Object.entries(v)) if (typeof w !== "number" || !Number.isFinite(w) || w < 0) return `a finite weight ≥ 0 for class ${show(label)}`;
    return null;
  }
  return `null, ${modes.map((m) => show(m)).join(", ")} or an object mapping class labels to weights ≥ 0`;
}

/**
 * Weight of each class index 0..k−1 (`classes` are the labels, `y` each row's class index). Any
 * string mode is "balanced", computed over `counts` per row when given.
 * @param who the estimator, for error messages
 * @example classWeights("balanced", Int32Array.of(0, 0, 0, 1), ["a", "b"]) // [0.667, 2]
 */
export function classWeights(param: ClassWeightParam | string, y: ArrayLike<number>, classes: readonly string[], counts?: ArrayLike<number>, who = "classWeight"): Float64Array {
  const k = classes.length;
  const out = new Float64Array(k).fill(1);
  if (param === null) return out;
  if (typeof param === "string") {
    const freq = new Float64Array(k);
    let n = 0;
    for (let i = 0; i < y.length; i++) {
      const c = counts ? counts[i] : 1;
      freq[y[i]] += c;
      n += c;
    }
    let present = 0;
    for (let c = 0; c < k; c++) if (freq[c] > 0) present++;
    for (let c = 0; c < k; c++) if (freq[c] > 0) out[c] = n / (present * freq[c]);
    return out;
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  for (const [label, w] of Object.entries(param)) {
    const c = index.get(label);
    if (c === undefined) {
      throw new InvalidInputError(`${who}: classWeight names class ${show(label)}, which is not in the target; classes are ${show(classes, 200)}`, {
        path: `${who}.classWeight`,
        expected: `one of ${classes.join(", ")}`,
        received: label,
      });
    }
    out[c] = w;
  }
  return out;
}

/**
 * Per-row weights: `base` (sample weights, or 1) times the weight of each row's class
 * (scikit-learn's `compute_sample_weight` applied to sample weights). A new array.
 * @example
 * ```ts
 * const w = rowWeights(Float64Array.of(1, 3), [0, 1, 1]); // Float64Array [1, 3, 3]
 * ```
 */
export function rowWeights(perClass: Float64Array, y: ArrayLike<number>, base?: ArrayLike<number> | null): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = (base ? base[i] : 1) * perClass[y[i]];
  return out;
}
