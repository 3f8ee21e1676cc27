/**
 * The feature matrix trees train and predict on: column-major doubles (feature j of row i at
 * `j * n + i`), NaN for missing. Numeric, boolean (0/1) and datetime (epoch ms) columns are used
 * as numbers; categorical columns as their codes, with the number of training categories kept
 * so that codes the model never saw (`alignInput` gives them codes ≥ that number) read as
 * missing. Text columns are refused.
 */
import { type Frame, toFloat64 } from "../../data/index.js";

export interface FeatureMatrix {
  n: number;
  p: number;
  /** Column-major values, length n × p. */
  X: Float64Array;
  featureNames: string[];
  /** Per feature: training categories of a categorical column, 0 for other kinds. */
  nCats: Int32Array;
}

/** A Float64Array, on a SharedArrayBuffer when `shared` (for worker threads). */
export function allocF64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

export function allocI32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

export function allocU32(length: number, shared: boolean): Uint32Array {
  return shared ? new Uint32Array(new SharedArrayBuffer(length * 4)) : new Uint32Array(length);
}

/**
 * The training matrix of `features` (in order). `nCats` records the training dictionary size of
 * each categorical column.
 */
export function trainingMatrix(data: Frame, features: readonly string[], shared = false): FeatureMatrix {
  const n = data.nRows;
  const p = features.length;
  const X = allocF64(n * p, shared);
  const nCats = new Int32Array(p);
  features.forEach((name, j) => {
    const col = data.column(name);
    if (col.kind === "categorical") nCats[j] = col.categories.length;
    X.set(toFloat64(col, name), j * n);
  });
  return { n, p, X, featureNames: [...features], nCats };
}

/**
 * The prediction matrix (row-major: feature j of row i at `i * p + j`, so a row's values share
 * cache lines while it walks a tree) of a frame already aligned to the model's signature
 * (`alignInput`). Categorical codes at or beyond the training dictionary (unseen categories)
 * become NaN, so they follow the same path as missing values.
 */
export function predictionMatrix(data: Frame, features: readonly string[], nCats: Int32Array): { X: Float64Array; n: number; p: number } {
  const n = data.nRows;
  const p = features.length;
  const X = new Float64Array(n * p);
  features.forEach((name, j) => {
    const col = data.column(name);
    if (col.kind === "categorical") {
      const known = nCats[j];
      const codes = col.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[i];
        X[i * p + j] = c < 0 || c >= known ? NaN : c;
      }
    } else {
      const v = toFloat64(col, name);
      for (let i = 0; i < n; i++) X[i * p + j] = v[i];
    }
  });
  return { X, n, p };
}
