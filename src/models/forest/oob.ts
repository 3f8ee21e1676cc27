/**
 * Out-of-bag estimates (Breiman, "Out-of-bag estimation", 1996): each training row is predicted
 * by the trees whose bootstrap sample left it out, and scored — accuracy for classifiers, R² for
 * regressors, unweighted, as scikit-learn's `oob_score_`. `drawCounts(t)` gives tree t's bootstrap
 * draw count per row (the forest replays them from the trees' generator states). Rows that every
 * tree saw (rare with many trees) get NaN and are left out of the score.
 */
import { leafOf, type TreeArrays } from "../tree/index.js";

export interface OobResult {
  /** Per row: mean out-of-bag class proportions (rows × classes) or prediction (rows); NaN if none. */
  prediction: Float64Array;
  score: number;
}

export function outOfBag(
  arrays: TreeArrays,
  roots: Int32Array,
  X: Float64Array,
  n: number,
  drawCounts: (tree: number) => ArrayLike<number>,
  target: { yClass: Int32Array | null; yValue: Float64Array },
): OobResult {
  const k = arrays.nOutputs;
  const sum = new Float64Array(n * k);
  const count = new Int32Array(n);
  for (let t = 0; t < roots.length; t++) {
    const counts = drawCounts(t);
    const root = roots[t];
    for (let i = 0; i < n; i++) {
      if (counts[i] !== 0) continue;
      const leaf = leafOf(arrays, root, X, i, n); // the training matrix is column-major
      for (let c = 0; c < k; c++) sum[i * k + c] += arrays.value[leaf * k + c];
      count[i]++;
    }
  }
  const prediction = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) prediction[i * k + c] = count[i] > 0 ? sum[i * k + c] / count[i] : NaN;
  let score: number;
  if (target.yClass) {
    let right = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      if (count[i] === 0) continue;
      seen++;
      let best = 0;
      for (let c = 1; c < k; c++) if (prediction[i * k + c] > prediction[i * k + best]) best = c;
      if (best === target.yClass[i]) right++;
    }
    score = seen > 0 ? right / seen : NaN;
  } else {
    const y = target.yValue;
    let mean = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      if (count[i] === 0) continue;
      mean += y[i];
      seen++;
    }
    mean /= seen;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
      if (count[i] === 0) continue;
      ssRes += (y[i] - prediction[i]) ** 2;
      ssTot += (y[i] - mean) ** 2;
    }
    score = seen === 0 ? NaN : ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  }
  return { prediction, score };
}
