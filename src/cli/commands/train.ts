/**
 * `keel train`: fit the default preprocessing + a model on a file, report cross-validated and/or
 * test metrics, save the model — the walk `trainModel` in pipeline/.
 */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { scorer } from "../../metrics/index.js";
import { trainModel, type TrainOptions } from "../../pipeline/index.js";
import { MODEL_NAMES } from "../../project/index.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { fmt, printJson, table } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

interface Flags extends DataFlags, Omit<TrainOptions, "file" | "read"> {
  json?: boolean;
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command("train")
    .description(COMMAND_INFO.train.description)
    .argument("<train-file>", "training data (CSV, Parquet, JSON, ...)")
    .requiredOption("-t, --target <col>", "the column to predict")
    .option("-m, --model <name>", `the model: ${MODEL_NAMES.join(" | ")}`, "gbdt")
    .option("--set <key=value,...>", "model parameters, e.g. maxLeaves=63,learningRate=0.05 (lists: a;b;c)")
    .option("--test <file>", "score the model on this held-out file")
    .option("--cv <k>", "k-fold cross-validation on the training file, shuffled with --seed, stratified for classes (default 5 when no --test)", positiveInt("--cv"))
    .option("--positive <class>", "binary targets: the class of interest, which F1, precision, recall and average precision score")
    .option("--group <col>", "a column whose groups never straddle two folds (group k-fold); it is not a feature")
    .option("-o, --out <model-dir>", "save the fitted model (preprocessing included) here")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"))
    .option("--seed <n>", "random seed of the folds and of every random part of the fit", positiveInt("--seed", 0), 0);
  jsonOption(cmd);
  addDataOptions(cmd);
  withExamples(
    cmd,
    "keel train examples/credit/credit_data.csv --target Status --model logistic --cv 5 --out credit-model",
    "keel train train.csv --target price --model gbdt --set maxLeaves=63,learningRate=0.05 --test test.csv",
    "keel train visits.csv --target readmitted --positive yes --group patient_id --cv 5",
  );
  cmd.action(action((file: string, flags: Flags) => train(file, flags)));
}

async function train(file: string, flags: Flags): Promise<void> {
  const r = await trainModel({ ...flags, file, read: readOptions(flags) });
  if (r.missingTarget > 0) process.stderr.write(`note: ${r.missingTarget} rows without a target value are left out\n`);
  if (flags.json) {
    const { metricNames: _names, missingTarget: _missing, ...json } = r;
    const cv = r.cv && { mean: r.cv.mean, std: r.cv.std, folds: r.cv.folds };
    printJson({ ...json, ...(cv ? { cv } : {}) });
    return;
  }
  const lines = [`${r.model} (${r.kind}) for ${r.task === "regression" ? "regression" : `${r.task} classification`} of ${r.target}: fitted on ${r.rows.toLocaleString("en-US")} rows in ${fmt(r.fitSeconds, 3)} s`];
  const rows = r.metricNames.map((m) => ({
    metric: m,
    ...(r.cv ? { "cv mean": r.cv.mean[m], "cv std": r.cv.std[m] } : {}),
    ...(r.test ? { test: r.test.metrics[m] } : {}),
    better: scorer(m).greaterIsBetter ? "higher" : "lower",
  }));
  lines.push("", table(rows));
  if (r.cv) lines.push("", `cross-validation: ${r.cv.description}`);
  if (r.test) lines.push(`test: ${r.test.file} (${r.test.rows} rows)`);
  if (r.out) lines.push(`model saved to ${r.out}`);
  process.stdout.write(lines.join("\n") + "\n");
}
