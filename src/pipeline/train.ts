/**
 * `keel train`: the steps of `keel run` without the sealed-test-set ceremony — read the file,
 * cross-validate the model (optionally), fit it on every row, score it on a held-out file
 * (optionally), save it. The task comes from the target (binary, multiclass, regression); one seed
 * reaches the folds and every random part of the fit. Not cached and not tracked: there is no
 * project folder.
 */
import { InvalidInputError, show, type Json } from "../core/index.js";
import { frameHash } from "../data/index.js";
import type { ReadOptions } from "../data/io/index.js";
import { saveModel, inferTask, loadEstimators } from "../estimator/index.js";
import type { MetricTask } from "../metrics/index.js";
import { StepRunner } from "./step-runner.js";
import { candidateLabel } from "./steps/candidates.js";
import { type CrossValidateOutput, crossValidateStep } from "./steps/cross-validate.js";
import { fitStep } from "./steps/fit.js";
import { labelledRows } from "./steps/load.js";
import { readStep } from "./steps/read.js";

export interface TrainOptions {
  /** The training file. */
  file: string;
  target: string;
  /** A catalog model name (`gbdt`, `logistic`, ...). */
  model: string;
  /** `--set key=value,...`: the model's parameters, typed by its schema. */
  set?: string;
  /** Score the fitted model on this file. */
  test?: string;
  /** Folds of cross-validation (default 5 when there is no test file). */
  cv?: number;
  /** Save the fitted model (preprocessing included) here. */
  out?: string;
  threads?: number;
  /** Seed of the folds and of the fit (default 0). */
  seed?: number;
  /** Binary targets: the class of interest, which binary metrics (F1, precision, recall, average precision) score (default: the second in sorted order). */
  positive?: string;
  /** A column whose groups (a customer, a patient) never straddle two folds; it is not a feature. */
  group?: string;
  /** How both files are read: forced column kinds, a SQL query over the file. */
  read?: ReadOptions;
}

export interface TrainResult {
  task: MetricTask;
  target: string;
  model: string;
  kind: string;
  params: Record<string, Json>;
  rows: number;
  /** Rows left out because their target was missing. */
  missingTarget: number;
  fitSeconds: number;
  /** The scored metrics: test metrics with a test file, else the CV means. */
  metrics: Record<string, number>;
  /** Metric names, in report order. */
  metricNames: string[];
  test?: { file: string; rows: number; metrics: Record<string, number> };
  cv?: { description: string; mean: Record<string, number>; std: Record<string, number>; folds: Record<string, number>[] };
  out?: string;
}

/**
 * Train one model on a file; see the module comment.
 *
 * @example
 * const r = await trainModel({ file: "credit.csv", target: "Status", model: "forest", seed: 7, out: "credit-model" });
 */
export async function trainModel(o: TrainOptions): Promise<TrainResult> {
  const [{ catalogLookup, parseModelSet }, { orderClasses, scoreFitted }, { defaultMetrics }] = await Promise.all([import("../project/index.js"), import("../evaluate/index.js"), import("../metrics/index.js"), loadEstimators()]);
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidInputError(`seed ${show(seed)} is not valid: expected an integer ≥ 0`, { path: "seed", expected: "an integer ≥ 0", received: seed });
  const runner = new StepRunner({ threads: o.threads });
  runner.plan(2 + (o.test ? 1 : 0));
  const read = o.read ?? {};
  const all = await runner.run(readStep, { source: o.file, dir: process.cwd(), options: read });
  if (!all.has(o.target)) {
    throw new InvalidInputError(`target column ${show(o.target)} is not in ${show(o.file)}; the columns are ${show(all.names, 300)}`, { path: "--target", expected: `one of ${all.names.join(", ")}`, received: o.target });
  }
  if (o.group !== undefined && (!all.has(o.group) || o.group === o.target)) {
    throw new InvalidInputError(`--group ${show(o.group)} is not a feature column of ${show(o.file)}; the columns are ${show(all.names, 300)}`, { path: "--group", expected: "a column other than the target", received: o.group });
  }
  const labelled = labelledRows(all, o.target);
  const inferred = inferTask(labelled, o.target);
  const task: MetricTask = inferred.task === "regression" ? "regression" : inferred.binary ? "binary" : "multiclass";
  if (o.positive !== undefined && (task !== "binary" || !inferred.classes!.includes(o.positive))) {
    const why = task === "binary" ? `is not a class of ${show(o.target)}; the classes are ${show(inferred.classes)}` : `applies to a binary target; ${show(o.target)} is ${task === "regression" ? "continuous" : `multiclass (${inferred.classes!.length} classes)`}`;
    throw new InvalidInputError(`--positive ${show(o.positive)} ${why}`, { path: "--positive", expected: task === "binary" ? `one of ${inferred.classes!.join(", ")}` : "no --positive", received: o.positive });
  }
  // the group column decides the folds; it is no feature
  const exclude = o.group !== undefined ? [o.group] : undefined;
  const frame = exclude ? labelled.drop(exclude) : labelled;
  const { kind } = catalogLookup(o.model, inferred.task, "--model");
  const params = parseModelSet(o.model, inferred.task, o.set) as Record<string, Json>;
  const candidate = { name: o.model, params, label: candidateLabel({ name: o.model, params }), kind };
  const classes = inferred.classes ? orderClasses(inferred.classes, o.positive) : null;
  const metricNames = defaultMetrics(task);
  const trainHash = frameHash(frame);

  let cv: CrossValidateOutput | undefined;
  const folds = o.cv ?? (o.test ? undefined : 5);
  if (folds !== undefined) {
    if (folds < 2) throw new InvalidInputError(`--cv must be at least 2, got ${folds}`, { path: "--cv", expected: "an integer ≥ 2", received: folds });
    runner.plan(1);
    const spec = o.group !== undefined ? { kind: "group" as const, k: folds, groups: o.group } : folds;
    cv = await runner.run(crossValidateStep, { candidate, task: inferred.task, train: labelled, trainHash: frameHash(labelled), target: o.target, cv: spec, metrics: metricNames, classes, seed, exclude });
  }
  const fit = await runner.run(fitStep, { candidate, task: inferred.task, train: frame, trainHash, target: o.target, seed });
  const fitted = await fit.fitted();

  let test: TrainResult["test"];
  if (o.test) {
    const rows = await runner.run(readStep, { source: o.test, dir: process.cwd(), options: read });
    if (!rows.has(o.target)) {
      throw new InvalidInputError(`target column ${show(o.target)} is not in the test file ${show(o.test)}`, { path: "--test", expected: `a file with column ${o.target}`, received: rows.names });
    }
    const scored = exclude ? rows.drop(exclude.filter((c) => rows.has(c))) : rows;
    test = { file: o.test, rows: rows.nRows, metrics: scoreFitted(fitted, scored, { target: o.target, task, classes, metrics: metricNames }).metrics };
  }
  const cvReport = cv && { description: cv.description, mean: cv.mean, std: cv.std, folds: cv.folds };
  if (o.out) {
    saveModel(fitted, o.out, {
      meta: {
        task,
        target: o.target,
        model: o.model,
        params,
        seed,
        ...(o.positive !== undefined ? { positive: o.positive } : {}),
        ...(o.group !== undefined ? { group: o.group } : {}),
        trainedOn: { file: o.file, rows: frame.nRows, hash: trainHash },
        ...(cv ? { cv: { folds: cv.folds.length, mean: cv.mean, std: cv.std } } : {}),
        ...(test ? { test } : {}),
      },
    });
  }
  return {
    task,
    target: o.target,
    model: o.model,
    kind,
    params,
    rows: frame.nRows,
    missingTarget: all.nRows - labelled.nRows,
    fitSeconds: fit.seconds,
    metrics: test?.metrics ?? cv?.mean ?? {},
    metricNames,
    ...(test ? { test } : {}),
    ...(cvReport ? { cv: cvReport } : {}),
    ...(o.out ? { out: o.out } : {}),
  };
}
