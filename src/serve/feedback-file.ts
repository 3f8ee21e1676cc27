/**
 * Delayed ground truth from a file (`keel feedback <file>`): a CSV or Parquet table of request id
 * and true label becomes the same feedback records `POST /v2/models/{name}/feedback` stores, in
 * the same place (the prediction log's JSON lines, or a PostgreSQL store's keel_feedback table),
 * so monitoring joins them to predictions by request id. Every row is checked before anything is
 * written: a bad row names its row number, column and value, and nothing is stored.
 */
import path from "node:path";
import { type SqlBackend, findProjectDir, openBackend, parseStoreUri, resolveStoreUri } from "../backend/index.js";
import { show } from "../core/index.js";
import { cellValue, type Frame } from "../data/index.js";
import { InputError } from "./input-schema.js";
import { JsonlWriter, type PredictionWriter, SqlPredictionWriter } from "./prediction-log.js";
import type { Feedback } from "./record.js";

/** Which columns of a feedback table hold the request id and the label (default `id`, `label`), and the model the rows are about (else a `model` column). */
export interface FeedbackColumns {
  /** Column of request ids (`X-Request-Id`); default "id". */
  id?: string;
  /** Column of true labels; default "label". */
  label?: string;
  /** The model every row is about; when absent, the table needs a `model` column. */
  model?: string;
}

/**
 * The feedback records a table holds (checked; INVALID_INPUT naming row and column otherwise).
 * @example
 * ```ts
 * const feedback = feedbackFromFrame(await readTable("labels.csv"), { label: "Status" });
 * ```
 */
export function feedbackFromFrame(frame: Frame, options: FeedbackColumns = {}): Feedback[] {
  const idName = options.id ?? "id";
  const labelName = options.label ?? "label";
  for (const [name, flag] of [[idName, "--id-column"], [labelName, "--label-column"]] as const) {
    if (!frame.has(name)) throw new InputError(`the feedback table has no column ${show(name)} (${flag}); its columns: ${frame.names.join(", ")}`, name, { path: flag, expected: "a column of the table", received: name });
  }
  if (options.model === undefined && !frame.has("model")) throw new InputError(`say which model the feedback is about: --model <name>, or a "model" column; the table's columns: ${frame.names.join(", ")}`, "model", { path: "--model", expected: "a model name" });
  const ids = frame.column(idName);
  const labels = frame.column(labelName);
  const models = options.model === undefined ? frame.column("model") : null;
  const time = new Date().toISOString();
  const out: Feedback[] = new Array(frame.nRows);
  for (let i = 0; i < frame.nRows; i++) {
    const where = `row ${i + 1}`;
    const id = cellValue(ids, i);
    if (id === null || id === "" || id instanceof Date) throw new InputError(`${where}: column ${show(idName)} must hold the request id (X-Request-Id) of a prediction, got ${show(id)}`, idName, { path: `${idName}[${i}]`, expected: "a request id", received: id });
    let model = options.model;
    if (models) {
      const m = cellValue(models, i);
      if (typeof m !== "string" || m === "") throw new InputError(`${where}: column "model" must name the model, got ${show(m)}`, "model", { path: `model[${i}]`, expected: "a model name", received: m });
      model = m;
    }
    const raw = cellValue(labels, i);
    const label = raw instanceof Date ? raw.toISOString() : raw;
    out[i] = { id: String(id), model: model!, label, time };
  }
  return out;
}

/**
 * Where feedback goes: a PostgreSQL store's tables, else the JSON-lines folder (as `keel serve` logs).
 * @example
 * ```ts
 * const { writer, close } = await openFeedbackWriter({ logDir: ".keel/predictions" });
 * await writer.writeFeedback(feedbackFromFrame(await readTable("labels.csv")));
 * await close();
 * ```
 */
export async function openFeedbackWriter(options: { store?: string; logDir?: string }): Promise<{ writer: PredictionWriter; where: string; close(): Promise<void> }> {
  const uri = resolveStoreUri(options.store);
  if (parseStoreUri(uri).kind === "postgres") {
    const backend = await openBackend(options.store);
    try {
      const writer = await SqlPredictionWriter.open(backend as SqlBackend);
      return { writer, where: "the store's keel_feedback table", close: () => backend.close() };
    } catch (e) {
      await backend.close();
      throw e;
    }
  }
  const dir = options.logDir ?? path.join(findProjectDir(), ".keel", "predictions");
  return { writer: new JsonlWriter(dir), where: dir, close: async () => {} };
}
