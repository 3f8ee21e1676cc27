/**
 * What every fitted tree model shares — one tree or a forest: the flat node arrays, the roots,
 * the feature names and category counts, and the way a frame becomes predictions (align it to the
 * training signature, build the column-major matrix, walk each tree, average the leaf values).
 */
import type { CategoricalColumn } from "../../data/column.js";
import type { Frame } from "../../data/frame.js";
import { alignInput } from "../../estimator/input.js";
import type { Signature } from "../../estimator/types.js";
import { predictionMatrix } from "./matrix.js";
import { accumulateLeafValues, applyTree, argmaxRows, type FeatureRows } from "./predict.js";
import type { TreeArrays } from "./tree-arrays.js";

export class TreeEnsemble {
  readonly arrays: TreeArrays;
  readonly roots: Int32Array;
  readonly featureNames: readonly string[];
  readonly nCats: Int32Array;
  readonly signature: Signature;

  constructor(arrays: TreeArrays, roots: Int32Array, featureNames: readonly string[], nCats: Int32Array, signature: Signature) {
    this.arrays = arrays;
    this.roots = roots;
    this.featureNames = featureNames;
    this.nCats = nCats;
    this.signature = signature;
  }

  /** The row-major prediction matrix of `data` (the target column, if present, is ignored). */
  matrix(data: Frame): FeatureRows {
    const out = this.signature.output;
    const ignore = out.type === "frame" ? [] : [out.target];
    const aligned = alignInput(this.signature.inputs, data, { ignore });
    return predictionMatrix(aligned, this.featureNames, this.nCats);
  }

  /** Mean over trees of the leaf values: rows × outputs, row-major. */
  values(data: Frame): Float64Array {
    return this.valuesOf(this.matrix(data));
  }

  valuesOf(rows: FeatureRows): Float64Array {
    const k = this.arrays.nOutputs;
    const out = new Float64Array(rows.n * k);
    accumulateLeafValues(this.arrays, this.roots, rows, out, 1);
    const trees = this.roots.length;
    if (trees > 1) for (let i = 0; i < out.length; i++) out[i] /= trees;
    return out;
  }

  /** Leaf reached by each row in each tree: rows × trees, row-major. */
  apply(data: Frame): Int32Array {
    const rows = this.matrix(data);
    const n = rows.n;
    const trees = this.roots.length;
    const out = new Int32Array(n * trees);
    const leaves = new Int32Array(n);
    for (let t = 0; t < trees; t++) {
      applyTree(this.arrays, this.roots[t], rows, leaves);
      for (let i = 0; i < n; i++) out[i * trees + t] = leaves[i] - this.roots[t];
    }
    return out;
  }
}

/** Predicted labels: the most probable class of each row, as a categorical column. */
export function labelsFromProba(proba: Float64Array, n: number, classes: readonly string[]): CategoricalColumn {
  return { kind: "categorical", codes: argmaxRows(proba, n, classes.length), categories: classes };
}
