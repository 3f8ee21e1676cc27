/**
 * Scoring a fitted model on labelled rows with scikit-learn-named metrics. One place turns a
 * model's output into what each scorer needs (labels, positive-class scores, probabilities,
 * values), so cross-validation folds, `keel train --test` and the final evaluation of `keel run`
 * give the same numbers.
 */
import { KeelError, isKeelError, show } from "../core/index.js";
import type { Frame } from "../data/index.js";
import { classTarget, numericTarget, type Fitted, isClassifier, isRegressor } from "../estimator/index.js";
import { type MetricTask, scorer } from "../metrics/index.js";

/** What to score: the target, the task, the classes in code order, the metrics. */
export interface ScoreJob {
  target: string;
  task: MetricTask;
  /**
   * Class labels in code order (classification). For a binary task the second is the positive
   * class: scores are its probability and `precision`/`recall`/`f1` are about it.
   */
  classes: readonly string[] | null;
  metrics: readonly string[];
}

/** A model's predictions on rows, as the metric functions take them. */
export interface Predictions {
  /** True class codes (in `classes` order) or true values. */
  yTrue: Int32Array | Float64Array;
  /** Predicted class codes; `classes.length` marks a prediction no row truly has (counts as wrong). */
  labels?: Int32Array;
  /** Binary: positive-class probability per row; multiclass: rows × classes probabilities. */
  scores?: Float64Array;
  /** Rows × classes probabilities, binary included (the model's own columns). */
  proba?: Float64Array;
  /** Regression: predicted values. */
  values?: Float64Array;
}

/**
 * Predict `rows` (which hold the target column) and line the output up with `job.classes`.
 * @example
 * ```ts
 * const p = predictionsFor(model, test, { target: "Status", task: "binary", classes: ["bad", "good"] });
 * ```
 */
export function predictionsFor(fitted: Fitted, rows: Frame, job: Pick<ScoreJob, "target" | "task" | "classes">): Predictions {
  const features = rows.drop([job.target]);
  if (job.task === "regression") {
    if (!isRegressor(fitted)) throw notA(fitted, "regressor");
    return { yTrue: numericTarget(rows, job.target), values: fitted.predict(features) };
  }
  if (!isClassifier(fitted)) throw notA(fitted, "classifier");
  const classes = job.classes!;
  const K = classes.length;
  const yTrue = classTarget(rows, job.target, classes).y;
  const index = new Map(classes.map((c, i) => [c, i]));
  // the model may know fewer classes than the target (a class absent from its training rows)
  const modelToGlobal = fitted.classes.map((c) => {
    const k = index.get(c);
    if (k === undefined) throw new KeelError("INTERNAL", `model class ${show(c)} is not a class of the target`);
    return k;
  });
  const pred = fitted.predict(features);
  const labels = new Int32Array(pred.codes.length);
  const predMap = pred.categories.map((c) => index.get(c) ?? -1);
  for (let i = 0; i < labels.length; i++) {
    const code = pred.codes[i];
    const g = code < 0 ? -1 : predMap[code];
    labels[i] = g < 0 ? K : g;
  }
  const proba = fitted.predictProba(features);
  const km = fitted.classes.length;
  const n = rows.nRows;
  const full = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let c = 0; c < km; c++) full[i * K + modelToGlobal[c]] = proba[i * km + c];
  let scores = full;
  if (K === 2) {
    scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = full[2 * i + 1];
  }
  return { yTrue, labels, scores, proba: full };
}

/** Metric values, and the metrics that could not be computed with the reason for each. */
export interface Scores {
  /** Every metric asked for; NaN exactly for those in `unavailable`. */
  metrics: Record<string, number>;
  /** Metric → why it is not available on these rows (e.g. a class absent, for ROC AUC). */
  unavailable: Record<string, string>;
}

/**
 * Every metric of `metrics` on predictions (optionally on a subset of rows). A metric that
 * cannot be computed on them (ROC AUC with a class absent) is NaN in `metrics` and reported in
 * `unavailable` with the reason, naming the absent classes when `classes` (labels in code order)
 * are given.
 * @example
 * ```ts
 * const { metrics, unavailable } = scorePredictions(predictionsFor(model, test, job), ["roc_auc", "accuracy"]);
 * ```
 */
export function scorePredictions(p: Predictions, metrics: readonly string[], rows?: Int32Array, classes?: readonly string[] | null): Scores {
  const pick = <T extends Int32Array | Float64Array>(a: T | undefined, width = 1): T | undefined => {
    if (!a || !rows) return a;
    const out = new (a.constructor as new (n: number) => T)(rows.length * width);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < width; j++) out[i * width + j] = a[rows[i] * width + j];
    return out;
  };
  const n = p.yTrue.length;
  const yTrue = pick(p.yTrue)!;
  const labels = pick(p.labels);
  const scores = p.scores ? pick(p.scores, p.scores.length / Math.max(1, n)) : undefined;
  const values = pick(p.values);
  const proba = p.proba ? pick(p.proba, p.proba.length / Math.max(1, n)) : undefined;
  const out: Record<string, number> = {};
  const unavailable: Record<string, string> = {};
  for (const name of metrics) {
    const s = scorer(name);
    const prediction = s.input === "labels" ? labels : s.input === "values" ? values : s.input === "proba" ? proba : scores;
    try {
      if (!prediction) throw new KeelError("INVALID_INPUT", `metric ${show(name)} needs ${s.input}, which this model does not give`);
      out[name] = s.score(yTrue, prediction);
      if (Number.isNaN(out[name])) unavailable[name] = `${name} is undefined on these ${yTrue.length} rows`;
    } catch (e) {
      if (!isKeelError(e)) throw e;
      out[name] = NaN;
      const absent = classes && s.input !== "values" ? absentClasses(yTrue as Int32Array, classes) : [];
      unavailable[name] = absent.length > 0 ? `${name} is not available: class${absent.length > 1 ? "es" : ""} ${absent.map((c) => show(c)).join(", ")} ${absent.length > 1 ? "are" : "is"} absent from these ${yTrue.length} rows (${e.message})` : `${name} is not available: ${e.message}`;
    }
  }
  return { metrics: out, unavailable };
}

/** Labels of the classes no row of `yTrue` (codes into `classes`) holds. */
function absentClasses(yTrue: Int32Array, classes: readonly string[]): string[] {
  const seen = new Uint8Array(classes.length);
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] >= 0 && yTrue[i] < classes.length) seen[yTrue[i]] = 1;
  return classes.filter((_, c) => !seen[c]);
}

/**
 * Predict and score in one step.
 * @example
 * ```ts
 * const { metrics } = scoreFitted(model, test, { target: "Status", task: "binary", classes: ["bad", "good"], metrics: ["roc_auc"] });
 * ```
 */
export function scoreFitted(fitted: Fitted, rows: Frame, job: ScoreJob): Scores {
  return scorePredictions(predictionsFor(fitted, rows, job), job.metrics, undefined, job.classes);
}

/**
 * Class labels in code order for a binary or multiclass target: sorted as scikit-learn sorts
 * them, except that a binary task's `positive` class, when given, is put second (code 1).
 * @example
 * ```ts
 * orderClasses(["yes", "no"], "yes"); // ["no", "yes"]: the positive class second
 * ```
 */
export function orderClasses(classes: readonly string[], positive?: string | null): string[] {
  if (positive == null || classes.length !== 2) return [...classes];
  if (!classes.includes(positive)) {
    throw new KeelError("INVALID_INPUT", `positive class ${show(positive)} is not a class of the target; classes are ${show(classes)}`, { path: "positive", expected: `one of ${classes.join(", ")}`, received: positive });
  }
  return [classes.find((c) => c !== positive)!, positive];
}

function notA(fitted: Fitted, what: string): KeelError {
  return new KeelError("INVALID_INPUT", `a ${fitted.spec.kind} is not a ${what}; the target calls for one`, { path: "spec", expected: `a ${what}`, received: fitted.spec.kind });
}
