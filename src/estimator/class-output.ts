/**
 * What classifiers return: predicted labels as a categorical column over `classes`, chosen as the
 * first class of largest probability or score per row (NumPy's `argmax`).
 */
import type { CategoricalColumn } from "../data/index.js";

/**
 * Row-wise argmax of a row-major `rows × K` matrix (first maximum wins).
 * @example
 * ```ts
 * argmaxRows(Float64Array.of(0.2, 0.8, 0.6, 0.4), 2, 2); // Int32Array [1, 0]
 * ```
 */
export function argmaxRows(m: Float64Array, rows: number, K: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * K;
    let best = 0;
    let bv = m[o];
    for (let k = 1; k < K; k++) {
      if (m[o + k] > bv) {
        bv = m[o + k];
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * Class indices as a categorical column whose categories are the classes.
 * @example
 * ```ts
 * const labels = labelColumn(["bad", "good"], Int32Array.of(1, 0, 1));
 * ```
 */
export function labelColumn(classes: readonly string[], codes: Int32Array): CategoricalColumn {
  return { kind: "categorical", codes, categories: [...classes] };
}
