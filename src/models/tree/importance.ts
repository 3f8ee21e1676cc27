/**
 * Impurity-based feature importance (mean decrease in impurity; Breiman et al. 1984, §5.3.4;
 * Breiman, "Random forests", 2001), computed as scikit-learn does: each split adds
 * N_t·impurity_t − N_left·impurity_left − N_right·impurity_right (weighted node sizes) to its
 * feature; totals are divided by the root's weight and normalised to sum to 1 (all zeros when the
 * tree is a single leaf).
 */
import type { TreeArrays } from "./tree-arrays.js";

/** Importances of the tree whose nodes are [from, to) with root `from`, over `nFeatures` features. */
export function treeImportances(t: TreeArrays, nFeatures: number, from = 0, to = t.nodeCount): Float64Array {
  const out = new Float64Array(nFeatures);
  if (to <= from) return out;
  const { left, right, feature, weight, impurity } = t;
  for (let i = from; i < to; i++) {
    const l = left[i];
    if (l < 0) continue;
    const r = right[i];
    out[feature[i]] += weight[i] * impurity[i] - weight[l] * impurity[l] - weight[r] * impurity[r];
  }
  const root = weight[from];
  for (let j = 0; j < nFeatures; j++) out[j] /= root;
  let sum = 0;
  for (let j = 0; j < nFeatures; j++) sum += out[j];
  if (sum > 0) for (let j = 0; j < nFeatures; j++) out[j] /= sum;
  return out;
}

/**
 * A forest's importances: the mean of its trees' normalised importances (trees that are a single
 * leaf left out), normalised again — scikit-learn's `feature_importances_`.
 */
export function forestImportances(t: TreeArrays, roots: Int32Array, nFeatures: number): Float64Array {
  const mean = new Float64Array(nFeatures);
  let used = 0;
  for (let k = 0; k < roots.length; k++) {
    const from = roots[k];
    const to = k + 1 < roots.length ? roots[k + 1] : t.nodeCount;
    if (to - from <= 1) continue;
    const imp = treeImportances(t, nFeatures, from, to);
    for (let j = 0; j < nFeatures; j++) mean[j] += imp[j];
    used++;
  }
  if (used === 0) return mean;
  let sum = 0;
  for (let j = 0; j < nFeatures; j++) {
    mean[j] /= used;
    sum += mean[j];
  }
  if (sum > 0) for (let j = 0; j < nFeatures; j++) mean[j] /= sum;
  return mean;
}
