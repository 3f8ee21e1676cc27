/**
 * The one evaluation on the sealed test set, which `keel run`'s "evaluate" step runs
 * (final-evaluation.ts): every metric with a bootstrap 95% interval, the confusion matrix,
 * subgroup metrics for each protected column with the largest gap between groups, and the
 * numbers the verdict is made of.
 */
import { Rng } from "../../core/rng.js";
import type { Frame } from "../../data/frame.js";
import type { Fitted } from "../../estimator/types.js";
import { bootstrapIntervals } from "../../evaluate/bootstrap.js";
import { type Predictions, type ScoreJob, predictionsFor, scorePredictions } from "../../evaluate/score.js";
import { groupsOf, subgroupMetrics } from "../../evaluate/subgroups.js";
import { averagePrecision, brierScore, calibrationCurve, expectedCalibrationError, precisionRecallCurve, rocAuc, rocCurve } from "../../metrics/index.js";

export interface TestEvaluation {
  rows: number;
  metrics: Record<string, number>;
  /** Bootstrap percentile intervals (95%), resampling rows plainly (never within classes). */
  intervals: Record<string, { low: number; high: number }>;
  bootstrapRounds: number;
  /** Classification: true class by row, predicted class by column, in `labels` order. */
  confusion?: { labels: string[]; matrix: number[][] };
  /** Per protected column: group → metrics and n. */
  subgroups: Record<string, Record<string, Record<string, number>>>;
  /** Per protected column and metric: the largest gap between groups of at least `MIN_GAP_GROUP` rows. */
  gaps: Record<string, Record<string, { gap: number; highest: string; lowest: string }>>;
  /** Binary tasks: ROC, precision–recall and reliability curves of the positive class on the test rows. */
  curves?: TestCurves;
  /** Per protected column with fewer than two groups big enough to compare: that, said plainly with the sizes. */
  subgroupNotes: Record<string, string>;
}

/** Curves as parallel arrays, at most `MAX_CURVE_POINTS` points each (the web UI draws them). */
export interface TestCurves {
  roc: { fpr: number[]; tpr: number[]; auc: number };
  pr: { recall: number[]; precision: number[]; average_precision: number };
  /** Ten uniform bins (scikit-learn's `calibration_curve`), the expected calibration error and the Brier score. */
  calibration: { predicted: number[]; observed: number[]; count: number[]; ece: number; brier: number };
}

/** Points kept per curve: evenly spaced by index, the first and last always. */
export const MAX_CURVE_POINTS = 1000;

/** Groups smaller than this are reported but left out of the largest gap: a handful of rows moves a metric too far to compare. */
export const MIN_GAP_GROUP = 30;

/** Bootstrap rounds by test size: intervals stay affordable on large test sets. */
export function bootstrapRoundsFor(n: number): number {
  return n <= 20_000 ? 1000 : n <= 100_000 ? 300 : 100;
}

/**
 * Evaluate a fitted model once on the test rows. `subgroupMetricNames` are computed per group;
 * for binary tasks the predicted-positive rate (`selection_rate`, demographic parity) is added.
 */
export function evaluateOnTest(fitted: Fitted, test: Frame, job: ScoreJob, protectedColumns: readonly string[], options: { seed: number; subgroupMetricNames: readonly string[] }): TestEvaluation {
  const p = predictionsFor(fitted, test, job);
  const { metrics } = scorePredictions(p, job.metrics);
  const n = test.nRows;
  const rounds = bootstrapRoundsFor(n);
  const ci = bootstrapIntervals(n, (rows) => scorePredictions(p, job.metrics, rows).metrics, { rounds, rng: new Rng(options.seed) });
  const intervals: TestEvaluation["intervals"] = Object.fromEntries(job.metrics.map((m) => [m, { low: ci[m].low, high: ci[m].high }]));

  let confusion: TestEvaluation["confusion"];
  if (job.task !== "regression" && job.classes && p.labels) {
    const K = job.classes.length;
    const matrix = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    const y = p.yTrue as Int32Array;
    for (let i = 0; i < n; i++) if (p.labels[i] < K) matrix[y[i]][p.labels[i]]++;
    confusion = { labels: [...job.classes], matrix };
  }

  const subgroups: TestEvaluation["subgroups"] = {};
  const gaps: TestEvaluation["gaps"] = {};
  const subgroupNotes: TestEvaluation["subgroupNotes"] = {};
  for (const col of protectedColumns) {
    if (!test.has(col)) continue;
    const report = subgroupMetrics(groupsOf(test.column(col)), (rows) => groupMetrics(p, job, options.subgroupMetricNames, rows), { minGroupSize: MIN_GAP_GROUP });
    subgroups[col] = report.groups;
    gaps[col] = report.gaps;
    if (report.note) subgroupNotes[col] = report.note;
  }
  const curves = job.task === "binary" && p.scores ? binaryCurves(p.yTrue as Int32Array, p.scores) : undefined;
  return { rows: n, metrics, intervals, bootstrapRounds: rounds, ...(confusion ? { confusion } : {}), subgroups, gaps, subgroupNotes, ...(curves ? { curves } : {}) };
}

/** The curves of positive-class scores, or undefined when the test rows hold one class only (no curve is defined). */
function binaryCurves(y: Int32Array, scores: Float64Array): TestCurves | undefined {
  let pos = 0;
  for (const v of y) pos += v === 1 ? 1 : 0;
  if (pos === 0 || pos === y.length) return undefined;
  const roc = rocCurve(y, scores);
  const pr = precisionRecallCurve(y, scores);
  const cal = calibrationCurve(y, scores, { nBins: 10 });
  const rocKeep = thin(roc.fpr.length);
  const prKeep = thin(pr.recall.length);
  return {
    roc: { fpr: rocKeep.map((i) => roc.fpr[i]), tpr: rocKeep.map((i) => roc.tpr[i]), auc: rocAuc(y, scores) },
    pr: { recall: prKeep.map((i) => pr.recall[i]), precision: prKeep.map((i) => pr.precision[i]), average_precision: averagePrecision(y, scores) },
    calibration: { predicted: [...cal.predicted], observed: [...cal.observed], count: [...cal.count], ece: expectedCalibrationError(y, scores), brier: brierScore(y, scores) },
  };
}

function thin(n: number): number[] {
  if (n <= MAX_CURVE_POINTS) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < MAX_CURVE_POINTS; k++) out.push(Math.round((k * (n - 1)) / (MAX_CURVE_POINTS - 1)));
  return out;
}

function groupMetrics(p: Predictions, job: ScoreJob, names: readonly string[], rows: Int32Array): Record<string, number> {
  const out = scorePredictions(p, names, rows).metrics;
  if (job.task === "binary" && p.labels) {
    let pos = 0;
    for (const i of rows) if (p.labels[i] === 1) pos++;
    out.selection_rate = rows.length ? pos / rows.length : NaN;
  }
  return out;
}

