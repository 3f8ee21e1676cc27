/**
 * `keel train`: fit the default preprocessing + a model on a file, report cross-validated and/or
 * test metrics, save the model. The task comes from the target (binary, multiclass, regression).
 */
import type { Command } from "commander";
import { InvalidInputError, show } from "../../core/errors.js";
import { progress } from "../../core/progress.js";
import { cellValue } from "../../data/column.js";
import { frameHash } from "../../data/frame-hash.js";
import type { Frame } from "../../data/frame.js";
import { readTable } from "../../data/io/index.js";
import { saveModel } from "../../estimator/artifact.js";
import { inferTask } from "../../estimator/input.js";
import type { Task } from "../../estimator/types.js";
import { type CrossValidationResult, crossValidate } from "../../evaluate/cv/index.js";
import { scoreFitted } from "../../evaluate/score.js";
import { type MetricTask, defaultMetrics, scorer } from "../../metrics/index.js";
import { MODEL_NAMES, catalogLookup, parseModelSet, trainingSpec } from "../../project/catalog.js";
import { action, positiveInt, withExamples } from "../command.js";
import { fmt, printJson, table } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

interface Flags extends DataFlags {
  target: string;
  model: string;
  set?: string;
  test?: string;
  cv?: number;
  out?: string;
  threads?: number;
  seed: number;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command("train")
    .description("fit preprocessing + a model on a data file; report cross-validated and test metrics; save the model")
    .argument("<train-file>", "training data (CSV, Parquet, JSON, ...)")
    .requiredOption("-t, --target <col>", "the column to predict")
    .option("-m, --model <name>", `the model: ${MODEL_NAMES.join(" | ")}`, "gbdt")
    .option("--set <key=value,...>", "model parameters, e.g. maxLeaves=63,learningRate=0.05 (lists: a;b;c)")
    .option("--test <file>", "score the model on this held-out file")
    .option("--cv <k>", "k-fold cross-validation on the training file (default 5 when no --test)", positiveInt("--cv"))
    .option("-o, --out <model-dir>", "save the fitted model (preprocessing included) here")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"))
    .option("--seed <n>", "random seed", (v) => Number(v), 0)
    .option("--json", "print the result as JSON");
  addDataOptions(cmd);
  withExamples(
    cmd,
    "keel train examples/credit/credit_data.csv --target Status --model logistic --cv 5 --out credit-model",
    "keel train train.csv --target price --model gbdt --set maxLeaves=63,learningRate=0.05 --test test.csv",
  );
  cmd.action(action((file: string, flags: Flags) => train(file, flags)));
}

async function train(file: string, flags: Flags): Promise<void> {
  progress("reading", 0);
  let frame = await readTable(file, readOptions(flags));
  const target = flags.target;
  if (!frame.has(target)) {
    throw new InvalidInputError(`target column ${show(target)} is not in ${show(file)}; the columns are ${show(frame.names, 300)}`, { path: "--target", expected: `one of ${frame.names.join(", ")}`, received: target });
  }
  const dropped = rowsWithTarget(frame, target);
  if (dropped.kept.length < frame.nRows) {
    process.stderr.write(`note: ${frame.nRows - dropped.kept.length} rows without a target value are left out\n`);
    frame = frame.take(dropped.kept);
  }
  const inferred = inferTask(frame, target);
  const task: Task = inferred.task;
  const metricTask: MetricTask = task === "regression" ? "regression" : inferred.binary ? "binary" : "multiclass";
  catalogLookup(flags.model, task, "--model");
  const params = parseModelSet(flags.model, task, flags.set);
  const spec = trainingSpec(flags.model, task, params);
  const metrics = defaultMetrics(metricTask);

  let cv: CrossValidationResult | undefined;
  const folds = flags.cv ?? (flags.test ? undefined : 5);
  if (folds !== undefined) {
    if (folds < 2) throw new InvalidInputError(`--cv must be at least 2, got ${folds}`, { path: "--cv", expected: "an integer ≥ 2", received: folds });
    progress(`cross-validating (${folds} folds)`, 0);
    cv = await crossValidate(spec, frame, { target, cv: folds, metrics, threads: flags.threads, rng: flags.seed });
  }

  progress("fitting", 0);
  const t0 = performance.now();
  const fitted = await spec.fit(frame, { target, threads: flags.threads });
  const fitSeconds = (performance.now() - t0) / 1000;

  let testMetrics: Record<string, number> | undefined;
  let testRows: number | undefined;
  if (flags.test) {
    progress("scoring the test file", 0);
    const test = await readTable(flags.test, readOptions(flags));
    if (!test.has(target)) {
      throw new InvalidInputError(`target column ${show(target)} is not in the test file ${show(flags.test)}`, { path: "--test", expected: `a file with column ${target}`, received: test.names });
    }
    const classes = inferred.classes ?? null;
    testMetrics = scoreFitted(fitted, test, { target, task: metricTask, classes, metrics }).metrics;
    testRows = test.nRows;
  }

  if (flags.out) {
    saveModel(fitted, flags.out, {
      meta: {
        task: metricTask,
        target,
        model: flags.model,
        params: params as never,
        trainedOn: { file, rows: frame.nRows, hash: frameHash(frame) },
        ...(cv ? { cv: { folds: cv.folds.length, mean: cv.mean, std: cv.std } } : {}),
        ...(testMetrics ? { test: { file: flags.test!, rows: testRows!, metrics: testMetrics } } : {}),
      } as never,
    });
  }

  const result = {
    task: metricTask,
    target,
    model: flags.model,
    kind: catalogLookup(flags.model, task).kind,
    params,
    rows: frame.nRows,
    fitSeconds,
    metrics: testMetrics ?? cv?.mean ?? {},
    ...(testMetrics ? { test: { file: flags.test, rows: testRows, metrics: testMetrics } } : {}),
    ...(cv ? { cv: { folds: cv.folds.length, mean: cv.mean, std: cv.std, perFold: cv.folds.map((f) => f.metrics) } } : {}),
    ...(flags.out ? { out: flags.out } : {}),
  };
  if (flags.json) {
    printJson({ ...result, ...(cv ? { cv: { mean: cv.mean, std: cv.std, folds: cv.folds.map((f) => f.metrics) } } : {}) });
    return;
  }
  const lines = [`${flags.model} (${result.kind}) for ${metricTask === "regression" ? "regression" : `${metricTask} classification`} of ${target}: fitted on ${frame.nRows.toLocaleString("en-US")} rows in ${fmt(fitSeconds, 3)} s`];
  const rows = metrics.map((m) => ({
    metric: m,
    ...(cv ? { "cv mean": cv.mean[m], "cv std": cv.std[m] } : {}),
    ...(testMetrics ? { test: testMetrics[m] } : {}),
    better: scorer(m).greaterIsBetter ? "higher" : "lower",
  }));
  lines.push("", table(rows));
  if (cv) lines.push("", `cross-validation: ${cv.cv}`);
  if (flags.test) lines.push(`test: ${flags.test} (${testRows} rows)`);
  if (flags.out) lines.push(`model saved to ${flags.out}`);
  process.stdout.write(lines.join("\n") + "\n");
}

/** Rows whose target is present. */
function rowsWithTarget(frame: Frame, target: string): { kept: Int32Array } {
  const col = frame.column(target);
  const kept: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (cellValue(col, i) !== null) kept.push(i);
  return { kept: Int32Array.from(kept) };
}
