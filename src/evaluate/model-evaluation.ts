/**
 * `evaluateModel`: everything a model-risk reviewer asks of a fitted model on labelled rows, in
 * one object with stable names (what `keel evaluate --json` prints and its HTML report draws):
 * every metric of the task with a bootstrap 95% interval; for classifiers the confusion matrix at
 * the decision threshold; for binary ones the threshold table (precision, recall, F1, cost per
 * threshold) and the threshold chosen by a rule, ROC / PR / reliability curves with ECE and
 * Brier; for regressors the residuals by predicted value and by feature; fairness per protected
 * column (Fairlearn's definitions); and the error slices found over all columns (Slice Finder).
 */
import { InvalidInputError, show, Rng } from "../core/index.js";
import { isMissing, type Frame } from "../data/index.js";
import type { Fitted } from "../estimator/index.js";
import { type MetricTask, scorer, scorers } from "../metrics/index.js";
import { ThresholdClassifier, decisionThresholdOf } from "../models/calibration/index.js";
import { bootstrapIntervals, bootstrapRoundsFor } from "./bootstrap.js";
import { type TestCurves, binaryCurves } from "./curves.js";
import { type ErrorSliceReport, errorSlices } from "./error-slices.js";
import { type FairnessReport, fairnessReport } from "./fairness.js";
import { type Predictions, orderClasses, predictionsFor, scorePredictions } from "./score.js";
import { type GroupMetrics, MIN_GROUP_SIZE, groupsOf } from "./subgroups.js";
import { type ChosenThreshold, type ThresholdPoint, type ThresholdRule, chooseThreshold, thresholdAnalysis } from "./threshold.js";

export interface EvaluateModelOptions {
  /** Columns whose groups get a fairness report. */
  protected?: readonly string[];
  /** Binary: how to turn scores into decisions (default: the model's own labels, probability ≥ 0.5 for the positive class). */
  threshold?: ThresholdRule;
  /** Binary: the positive class (default: the one the model's saved decision threshold is for, else the second of its classes). */
  positive?: string;
  /** The metric reported per group (default: the task's first default — roc_auc, accuracy, rmse). */
  metric?: string;
  /** Bootstrap rounds (default by rows: 1000 up to 20,000 rows, 300 up to 100,000, else 100) and seed (default 0). */
  rounds?: number;
  seed?: number;
  /** Look for error slices (default true). */
  slices?: boolean;
}

export interface MetricValue {
  value: number;
  /** 95% bootstrap percentile interval; NaN when unavailable. */
  low: number;
  high: number;
  /** Why the metric or its interval is not available. */
  unavailable?: string;
}

export interface ResidualGroup {
  group: string;
  count: number;
  /** Mean of truth − prediction. */
  mean_residual: number;
  mean_absolute_error: number;
}

export interface ModelEvaluation {
  model: { kind: string; target: string; task: MetricTask; classes: string[] | null; positive: string | null };
  rows: number;
  /** Rows left out because their label is missing. */
  missing_target: number;
  /** The metric reported per group and used for the summary. */
  primary: string;
  metrics: Record<string, MetricValue>;
  bootstrap: { rounds: number; level: number; method: "percentile"; seed: number };
  /** Binary: the threshold the decisions use (the rule, or "model": the model's own labels). */
  threshold?: (ChosenThreshold & { note: string | null }) | { by: "model"; threshold: number; note: string };
  /** Binary: every threshold's counts, rates and (with costs) cost, thinned to at most 201 points. */
  thresholds?: ThresholdPoint[];
  /** Classifiers: true class by row, predicted class by column, at the threshold. */
  confusion?: { labels: string[]; matrix: number[][] };
  curves?: TestCurves;
  /** Regression: residuals (truth − prediction) by decile of the prediction and by each feature's groups. */
  residuals?: {
    by_prediction: ResidualGroup[];
    by_feature: Record<string, ResidualGroup[]>;
    /** Up to 1000 (prediction, residual) pairs, evenly spaced over the rows, for a scatter. */
    sample: { prediction: number[]; residual: number[] };
  };
  /** Per protected column: Fairlearn's group metrics (binary), else the primary metric per group. */
  fairness: Record<string, FairnessReport | { column: string; groups: Record<string, GroupMetrics> }>;
  slices?: ErrorSliceReport;
}

/** Every metric Keel has for a task (the plain names; `neg_*` twins left out). */
export function metricsOfTask(task: MetricTask): string[] {
  return scorers()
    .filter((s) => s.tasks.includes(task) && !s.name.startsWith("neg_"))
    .map((s) => s.name);
}

const FIRST_METRIC: Record<MetricTask, string> = { binary: "roc_auc", multiclass: "accuracy", regression: "rmse" };
const MAX_THRESHOLD_POINTS = 201;

/**
 * Evaluate `model` on `data` (which holds the model's target column).
 *
 * @example
 * const ev = evaluateModel(await loadFitted("credit-model"), test, { protected: ["sex"], threshold: { by: "cost", fp: 1, fn: 5 } });
 * ev.metrics.roc_auc          // { value: 0.81, low: 0.77, high: 0.85 }
 * ev.fairness.sex.demographic_parity_ratio
 */
export function evaluateModel(model: Fitted, data: Frame, options: EvaluateModelOptions = {}): ModelEvaluation {
  const out = model.signature.output;
  if (out.type === "frame") throw new InvalidInputError(`${show(model.spec.kind)} is a transformer, not a model; nothing to evaluate`, { path: "model", expected: "a classifier or regressor", received: model.spec.kind });
  const target = out.target;
  if (!data.has(target)) throw new InvalidInputError(`the data has no column ${show(target)}, the model's target; evaluation needs labelled rows`, { path: "target", expected: `a column ${target}`, received: data.names });
  for (const c of options.protected ?? []) {
    if (!data.has(c)) throw new InvalidInputError(`protected column ${show(c)} is not in the data; columns are ${show(data.names)}`, { path: "protected", expected: `columns of ${data.names.join(", ")}`, received: c });
  }
  const labelled: number[] = [];
  const tcol = data.column(target);
  for (let i = 0; i < data.nRows; i++) if (!isMissing(tcol, i)) labelled.push(i);
  if (labelled.length === 0) throw new InvalidInputError(`every row's ${show(target)} is missing; evaluation needs labelled rows`, { path: target, expected: "labels", received: "all missing" });
  const rows = labelled.length === data.nRows ? data : data.take(labelled);
  const task: MetricTask = out.type === "regression" ? "regression" : out.classes.length === 2 ? "binary" : "multiclass";
  if (options.positive !== undefined && task !== "binary") throw new InvalidInputError(`a positive class is for binary models; this one is ${task}`, { path: "positive", expected: "no positive class", received: options.positive });
  if (options.threshold !== undefined && task !== "binary") throw new InvalidInputError(`a threshold is for binary models; this one is ${task}`, { path: "threshold", expected: "no threshold", received: options.threshold });
  // a model from keel run may carry its decision threshold (and the positive class it is for)
  const saved = decisionThresholdOf(model);
  const savedPositive = model instanceof ThresholdClassifier ? model.positive : undefined;
  const classes = out.type === "classification" ? orderClasses(out.classes, options.positive ?? savedPositive) : null;
  const primary = options.metric ?? FIRST_METRIC[task];
  if (!scorer(primary).tasks.includes(task)) throw new InvalidInputError(`metric ${show(primary)} is not a ${task} metric`, { path: "metric", expected: metricsOfTask(task).join(" | "), received: primary });
  const metricNames = metricsOfTask(task);
  // columns the model does not take (a protected column, an id) are not passed to it
  const modelColumns = [...model.signature.inputs.map((c) => c.name).filter((c) => c !== target && rows.has(c)), target];
  const p: Predictions = predictionsFor(model, rows.select(modelColumns), { target, task, classes });
  const n = rows.nRows;

  let threshold: ModelEvaluation["threshold"];
  let thresholds: ThresholdPoint[] | undefined;
  if (task === "binary") {
    const y = p.yTrue as Int32Array;
    const costs = options.threshold !== undefined && typeof options.threshold === "object" && options.threshold.by === "cost" ? { fp: options.threshold.fp, fn: options.threshold.fn } : undefined;
    const table = thresholdAnalysis(y, p.scores!, { costs });
    thresholds = thinPoints(table, MAX_THRESHOLD_POINTS);
    if (options.threshold === undefined) {
      threshold =
        saved !== null && savedPositive === classes![1]
          ? { by: "model", threshold: saved, note: `the decision threshold saved with the model (on the probability of ${savedPositive})` }
          : { by: "model", threshold: saved ?? 0.5, note: saved !== null ? `the model's own decisions (its saved threshold ${saved} is on the probability of ${savedPositive})` : "the model's own decisions (the most probable class)" };
    }
    else {
      const chosen = chooseThreshold(y, p.scores!, options.threshold);
      threshold = { ...chosen, note: chosen.by === "fixed" ? null : "chosen on these same rows, so its metrics are optimistic; keel run chooses it on out-of-fold training predictions" };
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = p.scores![i] >= chosen.threshold ? 1 : 0;
      p.labels = labels;
    }
  }

  const { metrics: values, unavailable } = scorePredictions(p, metricNames, undefined, classes);
  const rounds = options.rounds ?? bootstrapRoundsFor(n);
  const seed = options.seed ?? 0;
  const ci = bootstrapIntervals(n, (r) => scorePredictions(p, metricNames, r).metrics, { rounds, rng: new Rng(seed) });
  const metrics: Record<string, MetricValue> = {};
  for (const m of metricNames) {
    const why = unavailable[m] ?? ci[m].unavailable;
    metrics[m] = { value: values[m], low: ci[m].low, high: ci[m].high, ...(why ? { unavailable: why } : {}) };
  }

  let confusion: ModelEvaluation["confusion"];
  if (classes && p.labels) {
    const K = classes.length;
    const matrix = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    const y = p.yTrue as Int32Array;
    for (let i = 0; i < n; i++) if (p.labels[i] < K) matrix[y[i]][p.labels[i]]++;
    confusion = { labels: [...classes], matrix };
  }
  const curves = task === "binary" ? binaryCurves(p.yTrue as Int32Array, p.scores!) : undefined;
  const residuals = task === "regression" ? residualsOf(rows.drop([target]), p.yTrue as Float64Array, p.values!) : undefined;

  const fairness: ModelEvaluation["fairness"] = {};
  const groupMetricNames = [...new Set([primary, ...(task === "regression" ? ["mae"] : ["accuracy"])])];
  const perGroup = (r: Int32Array) => scorePredictions(p, groupMetricNames, r).metrics;
  for (const c of options.protected ?? []) {
    const groups = groupsOf(rows.column(c));
    if (task === "binary") fairness[c] = fairnessReport(c, groups, p.yTrue as Int32Array, p.labels!, perGroup, { minGroupSize: MIN_GROUP_SIZE });
    else {
      const byGroup: Record<string, GroupMetrics> = {};
      groups.labels.forEach((label, g) => {
        const members: number[] = [];
        for (let i = 0; i < n; i++) if (groups.group[i] === g) members.push(i);
        if (members.length > 0) byGroup[label] = { ...perGroup(Int32Array.from(members)), n: members.length } as GroupMetrics;
      });
      fairness[c] = { column: c, groups: byGroup };
    }
  }

  let slices: ErrorSliceReport | undefined;
  if (options.slices ?? true) {
    const loss = new Float64Array(n);
    if (task === "regression") for (let i = 0; i < n; i++) loss[i] = Math.abs(p.yTrue[i] - p.values![i]);
    else for (let i = 0; i < n; i++) loss[i] = p.labels![i] === p.yTrue[i] ? 0 : 1;
    slices = errorSlices(rows.drop([target]), loss, task === "regression" ? "absolute_error" : "error");
  }

  return {
    model: { kind: model.spec.kind, target, task, classes, positive: task === "binary" ? classes![1] : null },
    rows: n,
    missing_target: data.nRows - n,
    primary,
    metrics,
    bootstrap: { rounds, level: 0.95, method: "percentile", seed },
    ...(threshold ? { threshold } : {}),
    ...(thresholds ? { thresholds } : {}),
    ...(confusion ? { confusion } : {}),
    ...(curves ? { curves } : {}),
    ...(residuals ? { residuals } : {}),
    fairness,
    ...(slices ? { slices } : {}),
  };
}

function thinPoints<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  return Array.from({ length: max }, (_, k) => xs[Math.round((k * (xs.length - 1)) / (max - 1))]);
}

function residualGroups(labels: string[], group: Int32Array, y: Float64Array, yHat: Float64Array): ResidualGroup[] {
  const G = labels.length;
  const count = new Float64Array(G);
  const sum = new Float64Array(G);
  const abs = new Float64Array(G);
  for (let i = 0; i < y.length; i++) {
    const g = group[i];
    if (g < 0) continue;
    const r = y[i] - yHat[i];
    count[g]++;
    sum[g] += r;
    abs[g] += Math.abs(r);
  }
  return labels.map((label, g) => ({ group: label, count: count[g], mean_residual: sum[g] / count[g], mean_absolute_error: abs[g] / count[g] })).filter((r) => r.count > 0);
}

function residualsOf(features: Frame, y: Float64Array, yHat: Float64Array): NonNullable<ModelEvaluation["residuals"]> {
  const byPred = groupsOf({ kind: "numeric", values: yHat }, { bins: 10, maxValues: 10 });
  const by_feature: Record<string, ResidualGroup[]> = {};
  for (const name of features.names) {
    const col = features.column(name);
    if (col.kind === "text") continue;
    const g = groupsOf(col);
    by_feature[name] = residualGroups(g.labels, g.group, y, yHat);
  }
  const keep = thinPoints(Array.from({ length: y.length }, (_, i) => i), 1000);
  return { by_prediction: residualGroups(byPred.labels, byPred.group, y, yHat), by_feature, sample: { prediction: keep.map((i) => yHat[i]), residual: keep.map((i) => y[i] - yHat[i]) } };
}
