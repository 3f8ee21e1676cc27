/**
 * `keel predict`: one output row per input row, in input order — a `prediction` column and, for
 * classifiers, one `proba_<class>` column per class — from a saved model or a registered version.
 * Rows holding categories the model never saw are predicted, with a warning per column.
 */
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline as streamPipeline } from "node:stream/promises";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { show, progress } from "../../core/index.js";
import { readTable, writeTable } from "../../data/io/index.js";
import { predictFrame } from "../../estimator/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { printJson } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";
import { MODEL_ARGUMENT, addModelStoreOption, withModel } from "./model-ref.js";

export function registerPredict(program: Command): void {
  const cmd = program
    .command("predict")
    .description(COMMAND_INFO.predict.description)
    .argument("<model>", MODEL_ARGUMENT)
    .argument("<file>", "rows to predict (the target column, if present, is ignored)")
    .option("-o, --out <preds.csv>", "write predictions here (.csv, .tsv or .parquet); default: CSV on stdout");
  jsonOption(cmd, "print {rows, predictions: [{prediction, proba_<class>...}], unseen} as JSON (with --out: the file, not the rows)");
  addModelStoreOption(cmd);
  addDataOptions(cmd);
  withExamples(cmd, "keel predict credit-model new-applications.csv --out predictions.csv", "keel predict models:/credit@challenger new-applications.csv --store examples/credit/.keel/keel.db");
  cmd.action(
    action(async (modelRef: string, file: string, flags: DataFlags & { out?: string; store?: string; json?: boolean }) =>
      withModel(modelRef, flags, async (model) => {
        progress("reading", 0);
        const data = await readTable(file, readOptions(flags));
        progress("predicting", 0);
        const { frame: out, unseen } = predictFrame(model, data);
        if (!flags.json) for (const u of unseen) process.stderr.write(`warning: column ${show(u.column)}: ${u.rows} row${u.rows === 1 ? "" : "s"} with categories not seen in training (${u.examples.map((e) => show(e)).join(", ")})\n`);
        if (flags.out) await writeTable(out, flags.out);
        if (flags.json) return printJson({ rows: out.nRows, ...(flags.out ? { out: flags.out } : { predictions: out.toRows() }), unseen });
        if (flags.out) return void process.stderr.write(`${out.nRows} predictions written to ${flags.out}\n`);
        const dir = mkdtempSync(path.join(os.tmpdir(), "keel-predict-"));
        try {
          const tmp = path.join(dir, "predictions.csv");
          await writeTable(out, tmp);
          await streamPipeline(createReadStream(tmp), process.stdout, { end: false });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
    ),
  );
}
