/**
 * `keel predict`: one output row per input row, in input order — a `prediction` column and, for
 * classifiers, one `proba_<class>` column per class.
 */
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline as streamPipeline } from "node:stream/promises";
import type { Command } from "commander";
import { InvalidInputError, show } from "../../core/errors.js";
import { progress } from "../../core/progress.js";
import { type ColumnInput, Frame } from "../../data/frame.js";
import { readTable, writeTable } from "../../data/io/index.js";
import { loadModel } from "../../estimator/artifact.js";
import { type Fitted, isClassifier, isRegressor } from "../../estimator/types.js";
import "../../features/index.js";
import "../../models/index.js";
import { action, withExamples } from "../command.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

export function registerPredict(program: Command): void {
  const cmd = program
    .command("predict")
    .description("predict every row of a file with a saved model; writes prediction (and proba_<class>) columns in input order")
    .argument("<model>", "a model directory or archive saved by `keel train --out` or `keel run`")
    .argument("<file>", "rows to predict (the target column, if present, is ignored)")
    .option("-o, --out <preds.csv>", "write predictions here (.csv, .tsv or .parquet); default: CSV on stdout");
  addDataOptions(cmd);
  withExamples(cmd, "keel predict credit-model new-applications.csv --out predictions.csv");
  cmd.action(
    action(async (modelPath: string, file: string, flags: DataFlags & { out?: string }) => {
      const model = loadModel(modelPath);
      progress("reading", 0);
      const data = await readTable(file, readOptions(flags));
      progress("predicting", 0);
      const out = predictFrame(model, data);
      if (flags.out) {
        await writeTable(out, flags.out);
        process.stderr.write(`${out.nRows} predictions written to ${flags.out}\n`);
      } else {
        const dir = mkdtempSync(path.join(os.tmpdir(), "keel-predict-"));
        try {
          const tmp = path.join(dir, "predictions.csv");
          await writeTable(out, tmp);
          await streamPipeline(createReadStream(tmp), process.stdout, { end: false });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }),
  );
}

/** The model's output for `data` as a frame: `prediction`, then `proba_<class>` per class. */
export function predictFrame(model: Fitted, data: Frame): Frame {
  const output = model.signature.output;
  const target = output.type === "frame" ? undefined : output.target;
  const features = target && data.has(target) ? data.drop([target]) : data;
  if (isClassifier(model)) {
    const cols: Record<string, ColumnInput> = { prediction: model.predict(features) };
    const p = model.predictProba(features);
    const k = model.classes.length;
    model.classes.forEach((c, j) => {
      const v = new Float64Array(features.nRows);
      for (let i = 0; i < v.length; i++) v[i] = p[i * k + j];
      cols[`proba_${c}`] = v;
    });
    return Frame.fromColumns(cols);
  }
  if (isRegressor(model)) return Frame.fromColumns({ prediction: model.predict(features) });
  throw new InvalidInputError(`${show(model.spec.kind)} is a transformer, not a model; nothing to predict`, { path: "model", expected: "a classifier or regressor", received: model.spec.kind });
}
