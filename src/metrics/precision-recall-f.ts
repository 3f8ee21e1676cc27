/**
 * Precision, recall and F-beta (scikit-learn's `precision_recall_fscore_support`):
 * precision = TP / (TP + FP), recall = TP / (TP + FN), F_β = (1 + β²)·P·R / (β²·P + R)
 * (van Rijsbergen 1979). Averages: "binary" (the posLabel class only; targets must have at most
 * two labels), "macro" (unweighted mean over labels), "micro" (from summed counts), "weighted"
 * (mean weighted by each label's true count), or per label with `perLabel`. A 0/0 ratio gives
 * `zeroDivision` (default 0, scikit-learn's "warn" value).
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Numbers, WeightOption } from "./check.js";
import { labelPair } from "./labels.js";

/** How per-label precision, recall and F are averaged. */
export type Average = "binary" | "macro" | "micro" | "weighted";

/** Options of `precision`, `recall`, `f1` and `fbeta`. */
export interface PrfOptions extends WeightOption {
  /** Averaging (default "binary"). */
  average?: Average;
  /** Positive class code for average "binary" (default 1). */
  posLabel?: number;
  /** Labels to include (default: labels present in either input, ascending). */
  labels?: Numbers;
  /** Value of a 0/0 ratio: 0 (default) or 1. */
  zeroDivision?: 0 | 1;
}

/** Precision, recall, F and support per label. */
export interface PerLabelScores {
  readonly labels: Int32Array;
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f: Float64Array;
  /** (Weighted) count of true rows of each label. */
  readonly support: Float64Array;
}

interface Sums {
  labels: Int32Array;
  tp: Float64Array;
  pred: Float64Array;
  truth: Float64Array;
}

function sums(yTrue: Numbers, yPred: Numbers, options: PrfOptions): { s: Sums; average: Average | "none" } {
  const pair = labelPair(yTrue, yPred, options.sampleWeight);
  const average = options.average ?? "binary";
  if (!["binary", "macro", "micro", "weighted", "none"].includes(average)) {
    throw new InvalidInputError(`average must be "binary", "macro", "micro" or "weighted", got ${show(average)}`, { path: "average", expected: "binary | macro | micro | weighted", received: average });
  }
  let labels: Int32Array;
  if (average === "binary") {
    const pos = options.posLabel ?? 1;
    if (pair.present.length > 2) {
      throw new InvalidInputError(`the targets hold ${pair.present.length} classes but average is "binary"; choose "macro", "micro" or "weighted"`, { path: "average", expected: "macro | micro | weighted for multiclass targets", received: average });
    }
    if (!pair.present.includes(pos) && pair.present.length >= 2) {
      throw new InvalidInputError(`posLabel=${pos} is not a label of the targets; it should be one of ${show(Array.from(pair.present))}`, { path: "posLabel", expected: `one of ${Array.from(pair.present).join(", ")}`, received: pos });
    }
    labels = Int32Array.of(pos);
  } else labels = options.labels !== undefined ? Int32Array.from(options.labels as ArrayLike<number>) : pair.present;
  let max = 0;
  for (const l of labels) if (l > max) max = l;
  for (const l of pair.present) if (l > max) max = l;
  const tpAll = new Float64Array(max + 1);
  const predAll = new Float64Array(max + 1);
  const trueAll = new Float64Array(max + 1);
  const { yTrue: t, yPred: p, weight: w } = pair;
  for (let i = 0; i < t.length; i++) {
    const wi = w ? w[i] : 1;
    predAll[p[i]] += wi;
    trueAll[t[i]] += wi;
    if (t[i] === p[i]) tpAll[t[i]] += wi;
  }
  const L = labels.length;
  const s: Sums = { labels, tp: new Float64Array(L), pred: new Float64Array(L), truth: new Float64Array(L) };
  for (let j = 0; j < L; j++) {
    const l = labels[j];
    if (l < 0) throw new InvalidInputError(`labels[${j}] is ${l}; labels are class codes ≥ 0`, { path: `labels[${j}]`, expected: "an integer ≥ 0", received: l });
    s.tp[j] = tpAll[l];
    s.pred[j] = predAll[l];
    s.truth[j] = trueAll[l];
  }
  return { s, average };
}

function scores(tp: Float64Array, pred: Float64Array, truth: Float64Array, beta: number, zero: number): { precision: Float64Array; recall: Float64Array; f: Float64Array } {
  const L = tp.length;
  const precision = new Float64Array(L);
  const recall = new Float64Array(L);
  const f = new Float64Array(L);
  const b2 = beta * beta;
  for (let j = 0; j < L; j++) {
    precision[j] = pred[j] === 0 ? zero : tp[j] / pred[j];
    recall[j] = truth[j] === 0 ? zero : tp[j] / truth[j];
    if (beta === Infinity) f[j] = recall[j];
    else {
      let denom = b2 * precision[j] + recall[j];
      if (denom === 0) denom = 1;
      f[j] = ((1 + b2) * precision[j] * recall[j]) / denom;
    }
  }
  return { precision, recall, f };
}

function mean(v: Float64Array, w: Float64Array | null): number {
  let s = 0;
  let ws = 0;
  for (let j = 0; j < v.length; j++) {
    const wj = w ? w[j] : 1;
    s += v[j] * wj;
    ws += wj;
  }
  return s / ws;
}

/**
 * Averaged precision, recall and F-beta in one pass.
 * @example
 * ```ts
 * const { precision, recall, f } = precisionRecallF([0, 1, 1], [0, 1, 0], { beta: 1 });
 * ```
 */
export function precisionRecallF(yTrue: Numbers, yPred: Numbers, options: PrfOptions & { beta?: number } = {}): { precision: number; recall: number; f: number } {
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new InvalidInputError(`beta must be ≥ 0, got ${show(beta)}`, { path: "beta", expected: "a number ≥ 0", received: beta });
  const zero = options.zeroDivision ?? 0;
  if (zero !== 0 && zero !== 1) throw new InvalidInputError(`zeroDivision must be 0 or 1, got ${show(zero)}`, { path: "zeroDivision", expected: "0 or 1", received: zero });
  const { s, average } = sums(yTrue, yPred, options);
  let { tp, pred, truth } = s;
  if (average === "micro") {
    const sum = (a: Float64Array) => Float64Array.of(a.reduce((x, y) => x + y, 0));
    tp = sum(tp);
    pred = sum(pred);
    truth = sum(truth);
  }
  const r = scores(tp, pred, truth, beta, zero);
  if (average === "weighted") {
    let total = 0;
    let predTotal = 0;
    for (let j = 0; j < truth.length; j++) {
      total += truth[j];
      predTotal += pred[j];
    }
    if (total === 0) {
      return predTotal === 0 ? { precision: zero, recall: zero, f: zero } : { precision: 0, recall: zero, f: 0 };
    }
    return { precision: mean(r.precision, truth), recall: mean(r.recall, truth), f: mean(r.f, truth) };
  }
  return { precision: mean(r.precision, null), recall: mean(r.recall, null), f: mean(r.f, null) };
}

/**
 * Precision, recall, F-beta and support of each label (scikit-learn's `average=None`).
 * @example
 * ```ts
 * const s = perLabelScores([0, 1, 2, 2], [0, 2, 2, 1]); // s.precision[k] for s.labels[k]
 * ```
 */
export function perLabelScores(yTrue: Numbers, yPred: Numbers, options: Omit<PrfOptions, "average" | "posLabel"> & { beta?: number } = {}): PerLabelScores {
  const { s } = sums(yTrue, yPred, { ...options, average: "none" as Average });
  const r = scores(s.tp, s.pred, s.truth, options.beta ?? 1, options.zeroDivision ?? 0);
  return { labels: s.labels, ...r, support: s.truth };
}

/**
 * Precision: of the rows predicted positive, the fraction truly positive.
 * @example
 * ```ts
 * precision([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 * ```
 */
export function precision(yTrue: Numbers, yPred: Numbers, options: PrfOptions = {}): number {
  return precisionRecallF(yTrue, yPred, options).precision;
}

/**
 * Recall (sensitivity): of the truly positive rows, the fraction predicted positive.
 * @example
 * ```ts
 * recall([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 * ```
 */
export function recall(yTrue: Numbers, yPred: Numbers, options: PrfOptions = {}): number {
  return precisionRecallF(yTrue, yPred, options).recall;
}

/**
 * F1: harmonic mean of precision and recall.
 * @example
 * ```ts
 * f1([0, 1, 2, 2], [0, 2, 2, 1], { average: "macro" });
 * ```
 */
export function f1(yTrue: Numbers, yPred: Numbers, options: PrfOptions = {}): number {
  return precisionRecallF(yTrue, yPred, { ...options, beta: 1 }).f;
}

/**
 * F-beta: recall weighted β times as much as precision.
 * @example
 * ```ts
 * fbeta([0, 1, 1, 0], [1, 1, 0, 0], 2);
 * ```
 */
export function fbeta(yTrue: Numbers, yPred: Numbers, beta: number, options: PrfOptions = {}): number {
  return precisionRecallF(yTrue, yPred, { ...options, beta }).f;
}
