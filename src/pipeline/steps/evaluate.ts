/**
 * The one evaluation on the sealed test set, which `keel run`'s "evaluate" step runs
 * (final-evaluation.ts): every metric with a bootstrap 95% interval, the confusion matrix,
 * subgroup metrics for each protected column with the largest gap between groups, and the
 * numbers the verdict is made of.
 */
import { Rng } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import type { Fitted } from "../../estimator/index.js";
import { bootstrapIntervals, bootstrapRoundsFor, type Predictions, type ScoreJob, predictionsFor, scorePredictions, groupsOf, subgroupMetrics, binaryCurves, type TestCurves } from "../../evaluate/index.js";

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

export { bootstrapRoundsFor } from "../../evaluate/index.js";
export { MAX_CURVE_POINTS, type TestCurves } from "../../evaluate/index.js";

/** Groups smaller than this are reported but left out of the largest gap: a handful of rows moves a metric too far to compare. */
export const MIN_GAP_GROUP = 30;

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

function groupMetrics(p: Predictions, job: ScoreJob, names: readonly string[], rows: Int32Array): Record<string, number> {
  const out = scorePredictions(p, names, rows).metrics;
  if (job.task === "binary" && p.labels) {
    let pos = 0;
    for (const i of rows) if (p.labels[i] === 1) pos++;
    out.selection_rate = rows.length ? pos / rows.length : NaN;
  }
  return out;
}

