/**
 * Test-side scores for comparing with scikit-learn's: ROC AUC (Mann–Whitney, ties averaged),
 * accuracy and R², written out here so the tree tests do not depend on another module.
 */
import type { CategoricalColumn } from "../../../src/data/column.js";

export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && score[idx[j]] === score[idx[i]]) j++;
    const r = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (y[idx[k]] === 1) {
        rankSum += r;
        pos++;
      } else neg++;
    }
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function accuracy(y: ArrayLike<number>, labels: CategoricalColumn): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (labels.categories[labels.codes[i]] === String(y[i])) ok++;
  return ok / y.length;
}

export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - pred[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return 1 - ssRes / ssTot;
}

export function mean(a: readonly number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

/** Standard error of the difference of two sample means. */
export function seDiff(a: readonly number[], b: readonly number[]): number {
  const v = (x: readonly number[]) => {
    const m = mean(x);
    return x.reduce((s, t) => s + (t - m) ** 2, 0) / (x.length - 1) / x.length;
  };
  return Math.sqrt(v(a) + v(b));
}
