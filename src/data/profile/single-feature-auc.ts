/**
 * Single-feature ROC AUC for a binary target, direction-free (max(AUC, 1 − AUC)): how well one
 * column alone ranks the positives above the negatives. A numeric or datetime column is ranked by
 * its own values (rows where it is missing left out) — scikit-learn's `roc_auc_score(y, x)`; a
 * categorical, boolean or text column by the share of positives of its category in the other
 * folds (out of fold, so a unique identifier scores 0.5, not 1). AUC by the Mann–Whitney
 * statistic on average ranks, which equals the trapezoidal area with ties.
 */
import { averageRanks } from "./correlation.js";

/** Direction-free AUC of scores `s` for 0/1 labels `y` over the rows where `s` is finite; NaN without both classes. */
export function directionFreeAuc(y: Int32Array, s: Float64Array): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === s[i]) m++;
  const x = new Float64Array(m);
  const pos = new Uint8Array(m);
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== s[i]) continue;
    x[k] = s[i];
    pos[k++] = y[i] === 1 ? 1 : 0;
  }
  const ranks = averageRanks(x);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < m; i++) {
    if (pos[i]) {
      nPos++;
      rankSum += ranks[i];
    }
  }
  const nNeg = m - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  const auc = (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
  return Math.max(auc, 1 - auc);
}

/**
 * Out-of-fold share of positives of each row's category: for each fold, the share among the
 * other folds' rows of the same category (missing is a category; an unseen one gets the overall
 * share of those rows).
 */
export function outOfFoldShare(codes: Int32Array, levels: number, y: Int32Array, trainSets: readonly Int32Array[], testSets: readonly Int32Array[]): Float64Array {
  const out = new Float64Array(codes.length).fill(NaN);
  const slots = levels + 1;
  for (let f = 0; f < trainSets.length; f++) {
    const pos = new Float64Array(slots);
    const cnt = new Float64Array(slots);
    let allPos = 0;
    for (const i of trainSets[f]) {
      const s = codes[i] < 0 ? levels : codes[i];
      cnt[s]++;
      pos[s] += y[i];
      allPos += y[i];
    }
    const overall = trainSets[f].length ? allPos / trainSets[f].length : 0.5;
    for (const i of testSets[f]) {
      const s = codes[i] < 0 ? levels : codes[i];
      out[i] = cnt[s] > 0 ? pos[s] / cnt[s] : overall;
    }
  }
  return out;
}
