/**
 * What every fitted tree model shares — one tree or a forest: the flat node arrays, the roots,
 * the feature names and category counts, and the way a frame becomes predictions (align it to the
 * training signature, build the column-major matrix, walk each tree, average the leaf values).
 */
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { availableThreads } from "../../core/index.js";
import { alignInput, type Signature, type TreeEnsembleView } from "../../estimator/index.js";
import { predictionMatrix } from "./matrix.js";
import { accumulateLeafValues, applyTree, argmaxRows, type FeatureRows, goesLeft } from "./predict.js";
import { accumulatePacked, packTrees, type PackedTrees } from "./packed.js";
import { accumulateParallel, PARALLEL_PREDICT_WORK, sharedF64 } from "./predict-pool.js";
import type { TreeArrays } from "./tree-arrays.js";

/**
 * Packing a node costs about what one row-tree costs to walk divided by this. Batches walk the
 * node arrays until the row-trees walked, times this, reach the node count (packing would have
 * paid for itself); from then on, or once `prepare` ran, they walk the packed layout.
 */
const PACK_AFTER = 8;

export class TreeEnsemble {
  readonly arrays: TreeArrays;
  readonly roots: Int32Array;
  readonly featureNames: readonly string[];
  readonly nCats: Int32Array;
  readonly signature: Signature;
  /** The predict-time layout (`packTrees`), built once on demand. */
  private packed: PackedTrees | null = null;
  /** Row-trees predicted by the plain walk so far. */
  private plainWork = 0;

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

  /**
   * Mean over trees of the leaf values of row-major `rows`. Small batches walk the node arrays
   * directly until packing has paid for itself; then batches walk the packed layout, large ones
   * on several threads. Every path sums each row's trees in the same order: same bits.
   */
  valuesOf(rows: FeatureRows): Float64Array {
    const k = this.arrays.nOutputs;
    const { n, p } = rows;
    const trees = this.roots.length;
    let out: Float64Array;
    if (!this.packed && (this.plainWork + n * trees) * PACK_AFTER < this.arrays.nodeCount) {
      this.plainWork += n * trees;
      out = new Float64Array(n * k);
      accumulateLeafValues(this.arrays, this.roots, rows, out, 1);
    } else {
      const packed = this.prepare();
      const threads = availableThreads();
      if (threads > 1 && n * trees >= PARALLEL_PREDICT_WORK && packed.f.buffer instanceof SharedArrayBuffer) {
        let X = rows.X;
        if (!(X.buffer instanceof SharedArrayBuffer)) {
          X = sharedF64(n * p);
          X.set(rows.X.subarray(0, n * p));
        }
        const shared = sharedF64(n * k);
        accumulateParallel(packed, X, n, p, shared, threads);
        // callers get ordinary memory, never shared buffers
        out = new Float64Array(n * k);
        out.set(shared);
      } else {
        out = new Float64Array(n * k);
        accumulatePacked(packed, rows.X, p, out, 0, n);
      }
    }
    if (trees > 1) for (let i = 0; i < out.length; i++) out[i] /= trees;
    return out;
  }

  /**
   * Build the packed predict-time layout now rather than on the first large batch (on shared
   * memory when several threads are available). Returns it.
   */
  prepare(): PackedTrees {
    this.packed ??= packTrees(this.arrays, this.roots, availableThreads() > 1);
    return this.packed;
  }

  /**
   * The trees as TreeSHAP reads them, for the rows of `data`: covers are the training weight that
   * reached each node (scikit-learn's `weighted_n_node_samples`, as SHAP takes it); the output is
   * the mean over trees of the leaf values (class shares or values), so `link` is the identity.
   */
  treeView(data: Frame): TreeEnsembleView {
    const rows = this.matrix(data);
    const t = this.arrays;
    const nodes = t.nodeCount;
    const trees = this.roots.length;
    const K = t.nOutputs;
    return {
      featureNames: this.featureNames,
      nOutputs: K,
      nTrees: trees,
      treeRoot: this.roots,
      treeOutput: new Int32Array(trees).fill(-1),
      treeScale: 1 / trees,
      feature: t.feature.subarray(0, nodes),
      left: t.left.subarray(0, nodes),
      right: t.right.subarray(0, nodes),
      cover: t.weight.subarray(0, nodes),
      value: t.value.subarray(0, nodes * K),
      valueStride: K,
      base: new Float64Array(K),
      link: "identity",
      nRows: rows.n,
      goesLeft(r: number, out: Uint8Array) {
        const base = r * rows.p;
        for (let i = 0; i < nodes; i++) {
          const f = t.feature[i];
          out[i] = f >= 0 && goesLeft(t, i, rows.X[base + f]) ? 1 : 0;
        }
      },
    };
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
