/**
 * Decision thresholds for binary classifiers: the table of what every threshold gives
 * (precision, recall, F1, false positive rate, selection rate, cost) and the choice of one
 * threshold — the one of least expected cost `fp · FP + fn · FN` (Elkan, "The foundations of
 * cost-sensitive learning", IJCAI 2001), or the one maximising a metric (F1, balanced accuracy,
 * Youden's J, accuracy, MCC). A row is predicted positive when its score ≥ threshold; every
 * distinct score is a candidate, and +∞ (no positive at all). Counts come from one sort of the
 * scores (`binaryCurve`, scikit-learn's `_binary_clf_curve`), so the analysis is O(n log n).
 *
 * `chooseThreshold` is the one threshold choice of Keel: `keel evaluate` calls it, and `keel run`'s
 * calibrate step on out-of-fold training predictions; a metric's maximum is `metrics/bestThreshold`'s.
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Numbers, THRESHOLD_METRICS, type ThresholdMetric, bestThreshold, binaryCurve, binaryInput, metricFromCounts } from "../metrics/index.js";

/** How to pick a threshold: a fixed number, the least cost, or the best value of a metric. */
export type ThresholdRule = number | { by: "cost"; fp: number; fn: number } | { by: ThresholdMetric };

/** Cost of one false positive and of one false negative (any unit; only their ratio matters to the choice). */
export interface Costs {
  fp: number;
  fn: number;
}

/** One threshold and what it gives on the rows. */
export interface ThresholdPoint {
  /** Positive when score ≥ threshold (+∞: never positive). */
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** TP / (TP + FP); 0 when nothing is predicted positive (scikit-learn's zero_division=0). */
  precision: number;
  /** TP / (TP + FN), the true positive rate; 0 without positives. */
  recall: number;
  /** 2TP / (2TP + FP + FN); 0 when undefined. */
  f1: number;
  /** FP / (FP + TN); 0 without negatives. */
  fpr: number;
  /** Share of rows predicted positive. */
  selection_rate: number;
  /** fp · FP + fn · FN, per row (the mean cost); only with costs. */
  cost?: number;
}

/** The chosen threshold, the rule that chose it and what it gives. */
export interface ChosenThreshold extends ThresholdPoint {
  /** "fixed", "cost" or the metric maximised. */
  by: "fixed" | "cost" | ThresholdMetric;
  /** The value the rule optimised: the mean cost for "cost", the metric for a metric, NaN for "fixed". */
  value: number;
}

/** Rows: 0/1 truth (1 = positive class) and the positive class's score, as `binaryInput` reads them. */
function curveOf(yTrue: Numbers, scores: Numbers) {
  const { fps, tps, thresholds } = binaryCurve(binaryInput(yTrue, scores, undefined, undefined));
  const m = fps.length;
  return { fps, tps, thresholds, P: m > 0 ? tps[m - 1] : 0, N: m > 0 ? fps[m - 1] : 0 };
}

function point(threshold: number, tp: number, fp: number, P: number, N: number, costs?: Costs): ThresholdPoint {
  const fn = P - tp;
  const tn = N - fp;
  const n = P + N;
  const out: ThresholdPoint = {
    threshold,
    tp,
    fp,
    tn,
    fn,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: P === 0 ? 0 : tp / P,
    f1: metricFromCounts("f1", tp, fp, tn, fn),
    fpr: N === 0 ? 0 : fp / N,
    selection_rate: n === 0 ? 0 : (tp + fp) / n,
  };
  if (costs) out.cost = n === 0 ? 0 : (costs.fp * fp + costs.fn * fn) / n;
  return out;
}

/** Check a cost pair: both finite and > 0 (as keel.yaml's `problem.threshold` requires). */
export function checkCosts(costs: Costs, path = "cost"): Costs {
  for (const k of ["fp", "fn"] as const) {
    const v = costs[k];
    if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) throw new InvalidInputError(`${path}.${k} is ${show(v)}; a cost must be a finite number > 0`, { path: `${path}.${k}`, expected: "a finite number > 0", received: v });
  }
  return costs;
}

/**
 * Every threshold's counts and rates: +∞ first (no positive), then each distinct score,
 * decreasing. With `costs`, each point carries its mean cost.
 *
 * @example
 * const table = thresholdAnalysis(y, proba, { costs: { fp: 1, fn: 5 } });
 * table[10]  // { threshold: 0.91, tp: 12, fp: 1, ..., precision: 0.923, recall: 0.1, f1: 0.18, cost: 0.53 }
 */
export function thresholdAnalysis(yTrue: Numbers, scores: Numbers, options: { costs?: Costs } = {}): ThresholdPoint[] {
  const costs = options.costs ? checkCosts(options.costs) : undefined;
  const { fps, tps, thresholds, P, N } = curveOf(yTrue, scores);
  const out = [point(Infinity, 0, 0, P, N, costs)];
  for (let j = 0; j < fps.length; j++) out.push(point(thresholds[j], tps[j], fps[j], P, N, costs));
  return out;
}

/**
 * Pick the decision threshold for 0/1 truth `yTrue` (1 = positive) and positive-class scores:
 * - a number: that threshold, as given (checked to be finite);
 * - `{ by: "cost", fp, fn }`: the least mean cost (fp · FP + fn · FN) / n;
 * - `{ by: metric }` (f1, balanced_accuracy, youden, accuracy, matthews_corrcoef): the largest metric.
 * Ties go to the highest threshold (the fewest positives). Candidates are the distinct scores and +∞.
 * `keel run` chooses with this function too (on out-of-fold predictions of the training rows).
 *
 * @example
 * chooseThreshold(oofY, oofProba, { by: "cost", fp: 1, fn: 5 })   // { by: "cost", threshold: 0.17, value: 0.41, tp, fp, tn, fn, ... }
 * chooseThreshold(oofY, oofProba, { by: "f1" })
 * chooseThreshold(y, proba, 0.5)
 */
export function chooseThreshold(yTrue: Numbers, scores: Numbers, rule: ThresholdRule): ChosenThreshold {
  if (typeof rule === "number") {
    if (!Number.isFinite(rule)) throw new InvalidInputError(`threshold is ${show(rule)}; expected a finite number`, { path: "threshold", expected: "a finite number", received: rule });
    const { fps, tps, thresholds, P, N } = curveOf(yTrue, scores);
    // the last distinct score ≥ rule gives the counts at rule
    let j = -1;
    while (j + 1 < thresholds.length && thresholds[j + 1] >= rule) j++;
    return { ...point(rule, j < 0 ? 0 : tps[j], j < 0 ? 0 : fps[j], P, N), by: "fixed", value: NaN };
  }
  if (rule === null || typeof rule !== "object" || typeof rule.by !== "string") {
    throw new InvalidInputError(`threshold rule ${show(rule)} is not valid`, { path: "threshold", expected: `a number, { by: "cost", fp, fn } or { by: ${THRESHOLD_METRICS.join(" | ")} }`, received: rule });
  }
  if (rule.by === "cost") {
    const costs = checkCosts({ fp: (rule as Costs).fp, fn: (rule as Costs).fn }, "threshold");
    // the least mean cost; ties to the highest threshold (the table runs from +∞ down)
    const table = thresholdAnalysis(yTrue, scores, { costs });
    let best = table[0];
    for (const p of table) if (p.cost! < best.cost!) best = p;
    return { ...best, by: "cost", value: best.cost! };
  }
  const metric = rule.by as ThresholdMetric;
  if (!THRESHOLD_METRICS.includes(metric)) {
    throw new InvalidInputError(`threshold rule by ${show(rule.by)} is not known`, { path: "threshold.by", expected: ["cost", ...THRESHOLD_METRICS].join(" | "), received: rule.by });
  }
  const best = bestThreshold(yTrue, scores, metric);
  const { P, N } = curveOf(yTrue, scores);
  return { ...point(best.threshold, best.tp, best.fp, P, N), by: metric, value: best.value };
}

/**
 * Parse a CLI cost option "fp=1,fn=5" (either order; both required).
 *
 * @example parseCosts("fp=1,fn=5") // { fp: 1, fn: 5 }
 */
export function parseCosts(text: string): Costs {
  const out: Partial<Costs> = {};
  for (const part of text.split(",")) {
    const m = /^\s*(fp|fn)\s*=\s*([^\s]+)\s*$/.exec(part);
    if (!m) throw new InvalidInputError(`cost ${show(text)} is not valid: expected "fp=<cost>,fn=<cost>"`, { path: "cost", expected: "fp=<number>,fn=<number>", received: text });
    out[m[1] as "fp" | "fn"] = Number(m[2]);
  }
  if (out.fp === undefined || out.fn === undefined) throw new InvalidInputError(`cost ${show(text)} needs both fp and fn, e.g. fp=1,fn=5`, { path: "cost", expected: "fp=<number>,fn=<number>", received: text });
  return checkCosts(out as Costs);
}
