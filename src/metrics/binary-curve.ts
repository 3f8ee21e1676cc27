/**
 * The counts behind every threshold curve (scikit-learn's `_binary_clf_curve`): rows sorted by
 * score, largest first; at each distinct score t, the (weighted) true and false positives among
 * rows scoring ≥ t. With sample weights, rows of weight zero are left out first, as scikit-learn
 * does.
 */
import { InvalidInputError, show } from "../core/index.js";
import { sortDescending } from "./argsort.js";
import { type Numbers, classCodes, sameLength, weightsOf } from "./check.js";

/** Cumulative false and true positives at each distinct score threshold, highest first (scikit-learn's `_binary_clf_curve`). */
export interface BinaryCurve {
  /** False positives at each threshold (cumulative, non-decreasing). */
  readonly fps: Float64Array;
  /** True positives at each threshold. */
  readonly tps: Float64Array;
  /** Distinct scores, decreasing. */
  readonly thresholds: Float64Array;
}

/** Binary truth, scores and optional weights, checked. */
export interface BinaryInput {
  /** 1 for a positive row, 0 otherwise. */
  readonly positive: Uint8Array;
  readonly score: Float64Array;
  readonly weight: Float64Array | null;
}

/**
 * Binary truth and scores from class codes: positives are rows whose code is `posLabel`
 * (default 1). Without `posLabel`, codes must be 0 and 1 (as scikit-learn requires for an
 * implicit positive label).
 * @example
 * ```ts
 * const input = binaryInput([0, 1, 1], [0.2, 0.7, 0.6], undefined, undefined);
 * ```
 */
export function binaryInput(yTrue: Numbers, score: Numbers, sampleWeight: Numbers | undefined, posLabel: number | undefined, what = "y_score"): BinaryInput {
  const y = classCodes(yTrue, "y_true");
  const s = scoresOf(score, y.length, what);
  const weight = weightsOf(sampleWeight, y.length);
  const pos = posLabel ?? 1;
  const positive = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) {
    if (posLabel === undefined && y[i] > 1) {
      throw new InvalidInputError(`y_true[${i}] is class ${y[i]}, but a binary metric without posLabel needs classes 0 and 1; pass posLabel, or use a multiclass metric`, {
        path: `y_true[${i}]`,
        expected: "0 or 1",
        received: y[i],
      });
    }
    positive[i] = y[i] === pos ? 1 : 0;
  }
  return { positive, score: s, weight };
}

/** Binary scores: one per row; a rows × 2 matrix gives its second column. NaN is an error. */
export function scoresOf(score: Numbers, n: number, what: string): Float64Array {
  let s = score instanceof Float64Array ? score : Float64Array.from(score as ArrayLike<number>);
  if (s.length === 2 * n && n > 0) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = s[2 * i + 1];
    s = col;
  }
  sameLength(n, s.length, "y_true", what);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(s[i])) {
      throw new InvalidInputError(`${what}[${i}] is ${show(s[i])}; scores must be finite numbers`, { path: `${what}[${i}]`, expected: "a finite number", received: s[i] });
    }
  }
  return s;
}

/** A binary input's rows sorted by score, largest first (zero-weight rows dropped when weighted). */
export interface SortedInput {
  readonly score: Float64Array;
  readonly positive: Uint8Array;
  readonly weight: Float64Array | null;
}

export function sortByScore(input: BinaryInput): SortedInput {
  let { positive, score, weight } = input;
  if (weight) {
    let keep = 0;
    for (let i = 0; i < weight.length; i++) if (weight[i] !== 0) keep++;
    if (keep < weight.length) {
      const p2 = new Uint8Array(keep);
      const s2 = new Float64Array(keep);
      const w2 = new Float64Array(keep);
      for (let i = 0, j = 0; i < weight.length; i++) {
        if (weight[i] === 0) continue;
        p2[j] = positive[i];
        s2[j] = score[i];
        w2[j++] = weight[i];
      }
      positive = p2;
      score = s2;
      weight = w2;
    }
  }
  const n = score.length;
  const { sorted, order } = sortDescending(score);
  const pp = new Uint8Array(n);
  const ww = weight ? new Float64Array(n) : null;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    pp[k] = positive[i];
    if (ww) ww[k] = weight![i];
  }
  return { score: sorted, positive: pp, weight: ww };
}

/**
 * The curve counts of a binary input.
 * @example
 * ```ts
 * const { fps, tps, thresholds } = binaryCurve(binaryInput([0, 1, 1], [0.2, 0.7, 0.6], undefined, undefined));
 * ```
 */
export function binaryCurve(input: BinaryInput): BinaryCurve {
  const { score, positive, weight } = sortByScore(input);
  const n = score.length;
  let distinct = 0;
  for (let k = 0; k < n; k++) if (k === n - 1 || score[k] !== score[k + 1]) distinct++;
  const fps = new Float64Array(distinct);
  const tps = new Float64Array(distinct);
  const thresholds = new Float64Array(distinct);
  let tp = 0;
  let fp = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (weight) {
      if (positive[k]) tp += weight[k];
      else fp += weight[k];
    } else tp += positive[k];
    if (k === n - 1 || score[k] !== score[k + 1]) {
      tps[j] = tp;
      // unweighted, scikit-learn derives false positives from the position: same integers
      fps[j] = weight ? fp : k + 1 - tp;
      thresholds[j++] = score[k];
    }
  }
  return { fps, tps, thresholds };
}
