/**
 * Scorers by scikit-learn scorer name, so metric keys read the same in Keel, in scikit-learn and
 * in MLflow. Each entry says what it needs from a model (`labels`: predicted class codes;
 * `scores`: binary positive-class scores or multiclass rows × classes scores; `probabilities`:
 * the same but calibrated probabilities; `proba`: rows × classes probabilities for binary tasks
 * too, as `predict_proba` gives them; `values`: regression predictions), whether greater is
 * better, and the tasks it applies to. Names starting with `neg_` return the negated loss (as
 * scikit-learn's scorers do, so that greater is better); the plain names (`log_loss`, `rmse`,
 * `mae`, ...) return the loss itself, with `greaterIsBetter: false`.
 */
import { InvalidInputError, NotFoundError, show } from "../core/index.js";
import { accuracy, balancedAccuracy } from "./accuracy.js";
import { brierScore } from "./brier.js";
import type { Numbers } from "./check.js";
import { cohenKappa } from "./cohen-kappa.js";
import { logLoss } from "./log-loss.js";
import { matthewsCorrcoef } from "./matthews.js";
import { medianAbsoluteError } from "./median-absolute-error.js";
import { type Average, precisionRecallF } from "./precision-recall-f.js";
import { averagePrecision } from "./precision-recall.js";
import {
  explainedVariance,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanPoissonDeviance,
  meanSquaredError,
  r2,
  rootMeanSquaredError,
} from "./regression.js";
import { rocAuc } from "./roc.js";

/** The task a scorer applies to. */
export type MetricTask = "binary" | "multiclass" | "regression";
/** What a scorer reads from a model: labels, scores, probabilities or values. */
export type ScorerInput = "labels" | "scores" | "probabilities" | "proba" | "values";

/** Options of `Scorer.score`. */
export interface ScoreOptions {
  sampleWeight?: Numbers;
}

/** A named metric as scikit-learn names it (`roc_auc`, `neg_log_loss`, …): what it reads, whether greater is better, the tasks it applies to. */
export interface Scorer {
  /** The scikit-learn scorer name. */
  readonly name: string;
  /** What `score` needs as its second argument. */
  readonly input: ScorerInput;
  readonly greaterIsBetter: boolean;
  readonly tasks: readonly MetricTask[];
  /** One line for help and reports. */
  readonly doc: string;
  /**
   * The metric. `yTrue`: class codes (classification) or numbers (regression). `prediction`:
   * predicted class codes (`labels`), scores or probabilities (binary: one per row; multiclass:
   * rows × classes, row-major), rows × classes probabilities (`proba`), or predicted values (`values`).
   */
  score(yTrue: Numbers, prediction: Numbers, options?: ScoreOptions): number;
}

type Fn = (yTrue: Numbers, prediction: Numbers, options: ScoreOptions) => number;

const CLASS: readonly MetricTask[] = ["binary", "multiclass"];
const BINARY: readonly MetricTask[] = ["binary"];
const REGRESSION: readonly MetricTask[] = ["regression"];

const entries: Scorer[] = [];

function add(name: string, input: ScorerInput, greaterIsBetter: boolean, tasks: readonly MetricTask[], doc: string, fn: Fn): void {
  entries.push(Object.freeze({ name, input, greaterIsBetter, tasks, doc, score: (y: Numbers, p: Numbers, o: ScoreOptions = {}) => fn(y, p, o) }));
}

/** A loss registered twice: plainly (lower is better) and as `neg_…` (negated, greater is better). */
function addLoss(plain: string, neg: string, input: ScorerInput, tasks: readonly MetricTask[], doc: string, fn: Fn): void {
  add(plain, input, false, tasks, doc, fn);
  add(neg, input, true, tasks, `${doc} (negated)`, (y, p, o) => -fn(y, p, o));
}

add("accuracy", "labels", true, CLASS, "fraction of rows predicted right", (y, p, o) => accuracy(y, p, o));
add("balanced_accuracy", "labels", true, CLASS, "mean recall over classes", (y, p, o) => balancedAccuracy(y, p, o));
for (const metric of ["precision", "recall", "f1"] as const) {
  const pick = (r: { precision: number; recall: number; f: number }) => (metric === "precision" ? r.precision : metric === "recall" ? r.recall : r.f);
  add(metric, "labels", true, BINARY, `${metric} of the positive class (code 1)`, (y, p, o) => pick(precisionRecallF(y, p, { ...o, average: "binary" })));
  for (const avg of ["macro", "micro", "weighted"] as Average[]) {
    add(`${metric}_${avg}`, "labels", true, CLASS, `${metric}, ${avg}-averaged over classes`, (y, p, o) => pick(precisionRecallF(y, p, { ...o, average: avg })));
  }
}
add("roc_auc", "scores", true, BINARY, "area under the ROC curve", (y, p, o) => rocAuc(y, p, o));
add("roc_auc_ovr", "probabilities", true, CLASS, "one-vs-rest ROC AUC, macro-averaged", (y, p, o) => rocAuc(y, p, { ...o, average: "macro" }));
add("roc_auc_ovr_weighted", "probabilities", true, CLASS, "one-vs-rest ROC AUC, weighted by class support", (y, p, o) => rocAuc(y, p, { ...o, average: "weighted" }));
add("average_precision", "scores", true, BINARY, "average precision (step-wise area under the PR curve)", (y, p, o) => averagePrecision(y, p, o));
// from both columns of a binary model, as scikit-learn's scorer (see log-loss.ts)
addLoss("log_loss", "neg_log_loss", "proba", CLASS, "log loss (cross-entropy)", (y, p, o) => logLoss(y, p, o));
addLoss("brier_score", "neg_brier_score", "probabilities", BINARY, "Brier score (mean squared error of the probability)", (y, p, o) => brierScore(y, p, o));
add("matthews_corrcoef", "labels", true, CLASS, "Matthews correlation coefficient", (y, p, o) => matthewsCorrcoef(y, p, o));
add("cohen_kappa", "labels", true, CLASS, "Cohen's kappa (agreement beyond chance)", (y, p, o) => cohenKappa(y, p, o));
addLoss("mae", "neg_mean_absolute_error", "values", REGRESSION, "mean absolute error", (y, p, o) => meanAbsoluteError(y, p, o));
addLoss("mse", "neg_mean_squared_error", "values", REGRESSION, "mean squared error", (y, p, o) => meanSquaredError(y, p, o));
addLoss("rmse", "neg_root_mean_squared_error", "values", REGRESSION, "root mean squared error", (y, p, o) => rootMeanSquaredError(y, p, o));
add("r2", "values", true, REGRESSION, "coefficient of determination R²", (y, p, o) => r2(y, p, o));
addLoss("mape", "neg_mean_absolute_percentage_error", "values", REGRESSION, "mean absolute percentage error (a fraction)", (y, p, o) => meanAbsolutePercentageError(y, p, o));
addLoss("median_absolute_error", "neg_median_absolute_error", "values", REGRESSION, "median absolute error", (y, p, o) => medianAbsoluteError(y, p, o));
add("explained_variance", "values", true, REGRESSION, "explained variance score", (y, p, o) => explainedVariance(y, p, o));
addLoss("poisson_deviance", "neg_mean_poisson_deviance", "values", REGRESSION, "mean Poisson deviance", (y, p, o) => meanPoissonDeviance(y, p, o));

const byName = new Map(entries.map((s) => [s.name, s]));

/**
 * Every scorer, in registration order.
 * @example
 * ```ts
 * for (const s of scorers()) console.log(s.name, s.greaterIsBetter);
 * ```
 */
export function scorers(): readonly Scorer[] {
  return entries;
}

/**
 * Names of every scorer.
 * @example
 * ```ts
 * scorerNames().includes("roc_auc"); // true
 * ```
 */
export function scorerNames(): string[] {
  return entries.map((s) => s.name);
}

/**
 * The scorer called `name`; NOT_FOUND lists the valid names.
 * @example
 * ```ts
 * const auc = scorer("roc_auc");
 * auc.greaterIsBetter; // true
 * ```
 */
export function scorer(name: string): Scorer {
  const s = byName.get(name);
  if (!s) {
    throw new NotFoundError(`unknown metric ${show(name)}; valid names: ${scorerNames().join(", ")}`, { path: "metric", expected: "a scikit-learn scorer name", received: name });
  }
  return s;
}

/**
 * Check that every name is a scorer applying to `task`; returns the scorers.
 * @example
 * ```ts
 * const list = scorersFor(["roc_auc", "accuracy"], "binary");
 * ```
 */
export function scorersFor(names: readonly string[], task: MetricTask): Scorer[] {
  return names.map((n) => {
    const s = scorer(n);
    if (!s.tasks.includes(task)) {
      throw new InvalidInputError(`metric ${show(n)} applies to ${s.tasks.join(" and ")} tasks, not ${task}`, { path: "metrics", expected: `a metric for ${task} tasks`, received: n });
    }
    return s;
  });
}

const DEFAULTS: Record<MetricTask, readonly string[]> = {
  binary: ["roc_auc", "average_precision", "log_loss", "accuracy", "f1", "balanced_accuracy"],
  multiclass: ["accuracy", "balanced_accuracy", "f1_macro", "log_loss", "roc_auc_ovr"],
  regression: ["rmse", "mae", "r2", "median_absolute_error"],
};

/**
 * The metrics Keel reports by default for a task.
 * @example
 * ```ts
 * defaultMetrics("regression"); // ["rmse", "mae", "r2", "median_absolute_error"]
 * ```
 */
export function defaultMetrics(task: MetricTask): string[] {
  const d = DEFAULTS[task];
  if (!d) throw new InvalidInputError(`task must be "binary", "multiclass" or "regression", got ${show(task)}`, { path: "task", expected: "binary | multiclass | regression", received: task });
  return [...d];
}
