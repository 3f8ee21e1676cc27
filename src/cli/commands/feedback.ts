/** `keel feedback <file>`: delayed ground truth (request id, true label) into the prediction log's feedback store. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { action, jsonOption, withExamples } from "../command.js";
import { printJson } from "../output.js";

export interface FeedbackFlags {
  model?: string;
  idColumn: string;
  labelColumn: string;
  store?: string;
  logDir?: string;
  json?: boolean;
}

export function registerFeedback(program: Command): void {
  const cmd = program
    .command("feedback")
    .description(COMMAND_INFO.feedback.description)
    .argument("<file>", "a CSV or Parquet table with a request id column and a true label column")
    .option("--model <name>", "the model the labels are about (default: the table's model column)")
    .option("--id-column <name>", "column of request ids (the X-Request-Id keel serve returned)", "id")
    .option("--label-column <name>", "column of true labels", "label")
    .option("--store <url>", "a PostgreSQL store keeps feedback in its keel_feedback table, as keel serve does (default: as every command)")
    .option("--log-dir <dir>", "prediction log folder, JSON lines, for other stores (default: .keel/predictions in the project, as keel serve)");
  jsonOption(cmd);
  withExamples(cmd, "keel feedback labels.csv --model credit", "keel feedback outcomes.parquet --model credit --id-column request_id --label-column Status --store postgres://keel@db/keel");
  cmd.action(
    action(async (file: string, flags: FeedbackFlags) => {
      const [{ readTable }, { feedbackFromFrame, openFeedbackWriter }] = await Promise.all([import("../../data/io/index.js"), import("../../serve/index.js")]);
      const items = feedbackFromFrame(await readTable(file), { id: flags.idColumn, label: flags.labelColumn, model: flags.model });
      const out = await openFeedbackWriter({ store: flags.store, logDir: flags.logDir });
      try {
        if (items.length > 0) await out.writer.writeFeedback(items);
      } finally {
        await out.writer.close();
        await out.close();
      }
      if (flags.json) printJson({ accepted: items.length, where: out.where });
      else process.stdout.write(`${items.length} label${items.length === 1 ? "" : "s"} stored in ${out.where}\n`);
    }),
  );
}
