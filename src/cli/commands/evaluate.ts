/**
 * `keel evaluate`: evaluate a saved or registered model on a labelled file — every metric of the
 * task with bootstrap intervals, the confusion matrix at a threshold, threshold analysis, ROC / PR /
 * calibration, residuals, fairness per protected column and error slices — as a table, JSON or an
 * HTML report.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { progress, InvalidInputError } from "../../core/index.js";
import { readTable } from "../../data/io/index.js";
import { type ModelEvaluation, type ThresholdRule, parseCosts } from "../../evaluate/index.js";
import { THRESHOLD_METRICS, type ThresholdMetric } from "../../metrics/index.js";
import { action, jsonOption, list, positiveInt, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";
import { MODEL_ARGUMENT, addModelStoreOption, withModel } from "./model-ref.js";

interface Flags extends DataFlags {
  protected?: string[];
  threshold?: string;
  cost?: string;
  positive?: string;
  metric?: string;
  rounds?: number;
  seed?: number;
  slices?: boolean;
  out?: string;
  store?: string;
  json?: boolean;
}

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command("evaluate")
    .description(COMMAND_INFO.evaluate.description)
    .argument("<model>", MODEL_ARGUMENT)
    .argument("<file>", "labelled rows (CSV, TSV, Parquet, JSON, Arrow) holding the model's target column")
    .option("--protected <cols>", "columns to audit for fairness, comma-separated (Fairlearn's group metrics)", list)
    .option("--threshold <t>", `binary: decide positive when the score ≥ t, or pick the threshold maximising a metric (${THRESHOLD_METRICS.join(", ")}) on these rows`)
    .option("--cost <fp=1,fn=5>", "binary: pick the threshold of least mean cost fp·FP + fn·FN on these rows")
    .option("--positive <class>", "binary: the positive class (default: the second of the model's classes)")
    .option("--metric <name>", "the metric shown first and per group (default: roc_auc, accuracy or rmse by task)")
    .option("--rounds <n>", "bootstrap resamples (default 1000 up to 20,000 rows, fewer above)", positiveInt("--rounds", 10))
    .option("--seed <n>", "bootstrap seed (default 0)", positiveInt("--seed", 0))
    .option("--no-slices", "skip the search for error slices")
    .option("-o, --out <report.html>", "write a self-contained HTML report");
  jsonOption(cmd, "print the evaluation as JSON (stable names: metrics, confusion, threshold, thresholds, curves, residuals, fairness, slices)");
  addModelStoreOption(cmd);
  addDataOptions(cmd);
  withExamples(
    cmd,
    "keel evaluate credit-model test.csv --protected sex,age --cost fp=1,fn=5 --out evaluation.html",
    "keel evaluate models:/credit@champion holdout.parquet --threshold f1 --json",
  );
  cmd.action(
    action(async (modelRef: string, file: string, flags: Flags) => {
      const threshold = thresholdRule(flags);
      return withModel(modelRef, flags, async (model) => {
        progress("reading", 0);
        const data = await readTable(file, readOptions(flags));
        progress("evaluating", 0);
        const [{ evaluateModel }, { evaluationToHtml }] = await Promise.all([import("../../evaluate/index.js"), import("../../evaluate/index.js")]);
        const ev = evaluateModel(model, data, { protected: flags.protected, threshold, positive: flags.positive, metric: flags.metric, rounds: flags.rounds, seed: flags.seed, slices: flags.slices });
        if (flags.out) writeFileSync(flags.out, evaluationToHtml(ev, { subtitle: `${modelRef} on ${file}` }));
        if (flags.json) return printJson({ ...ev, ...(flags.out ? { report: flags.out } : {}) });
        printEvaluation(ev, flags.out);
      });
    }),
  );
}

/** --threshold and --cost as a rule; both, or a bad value, is a usage error. */
function thresholdRule(flags: Flags): ThresholdRule | undefined {
  if (flags.threshold !== undefined && flags.cost !== undefined) throw new UsageError("--threshold and --cost both choose the threshold; give one", { path: "--cost", expected: "either --threshold or --cost", received: flags.cost });
  if (flags.cost !== undefined) {
    try {
      return { by: "cost", ...parseCosts(flags.cost) };
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      throw new UsageError(`--${e.message}`, { path: "--cost", expected: "fp=<number > 0>,fn=<number > 0>", received: flags.cost });
    }
  }
  if (flags.threshold === undefined) return undefined;
  if ((THRESHOLD_METRICS as readonly string[]).includes(flags.threshold)) return { by: flags.threshold as ThresholdMetric };
  const t = Number(flags.threshold);
  if (flags.threshold.trim() === "" || !Number.isFinite(t)) throw new UsageError(`--threshold ${JSON.stringify(flags.threshold)} is not valid: expected a number or one of ${THRESHOLD_METRICS.join(", ")}`, { path: "--threshold", expected: `a number or ${THRESHOLD_METRICS.join(" | ")}`, received: flags.threshold });
  return t;
}

function printEvaluation(ev: ModelEvaluation, out?: string): void {
  const lines: string[] = [];
  const m = ev.model;
  lines.push(`${m.kind} predicting ${m.target} (${m.task}${m.positive ? `, positive class ${m.positive}` : ""}) on ${ev.rows.toLocaleString("en-US")} rows${ev.missing_target ? ` (${ev.missing_target} without a label left out)` : ""}`);
  lines.push("");
  lines.push(table(Object.entries(ev.metrics).map(([name, v]) => ({ metric: name, value: v.value, low: v.low, high: v.high, note: v.unavailable ?? "" }))));
  lines.push(`(95% bootstrap intervals, ${ev.bootstrap.rounds} resamples)`);
  if (ev.threshold) {
    const t = ev.threshold;
    lines.push("");
    lines.push(t.by === "model" ? `threshold ${fmt(t.threshold)}: ${t.note}` : `threshold ${fmt(t.threshold)} (${t.by}${t.by !== "fixed" ? ` = ${fmt(t.value)}` : ""}): precision ${fmt(t.precision)}, recall ${fmt(t.recall)}, F1 ${fmt(t.f1)}${t.note ? `; ${t.note}` : ""}`);
  }
  if (ev.confusion) {
    lines.push("", "confusion matrix (true by row, predicted by column):");
    lines.push(table(ev.confusion.matrix.map((row, i) => ({ true: ev.confusion!.labels[i], ...Object.fromEntries(row.map((v, j) => [ev.confusion!.labels[j], v])) }))));
  }
  if (ev.curves) lines.push("", `calibration: ECE ${fmt(ev.curves.calibration.ece)}, Brier ${fmt(ev.curves.calibration.brier)}`);
  for (const f of Object.values(ev.fairness)) {
    lines.push("", `fairness by ${f.column}:`);
    if (Array.isArray(f.groups)) {
      const r = f as Extract<ModelEvaluation["fairness"][string], { demographic_parity_ratio: number }>;
      lines.push(table(r.groups.map((g) => ({ group: g.group, count: g.count, selection_rate: g.selection_rate, tpr: g.true_positive_rate, fpr: g.false_positive_rate, disparate_impact: g.disparate_impact, "4/5": g.four_fifths_flag ? "FLAG" : "", ...g.metrics }))));
      lines.push(`demographic parity difference ${fmt(r.demographic_parity_difference)}, ratio ${fmt(r.demographic_parity_ratio)}; equalized odds difference ${fmt(r.equalized_odds_difference)}, ratio ${fmt(r.equalized_odds_ratio)}${r.four_fifths_flag ? " — below the four-fifths rule" : ""}`);
      for (const n of r.notes) lines.push(`note: ${n}`);
    } else lines.push(table(Object.entries(f.groups).map(([group, g]) => ({ group, ...g }))));
  }
  if (ev.slices) {
    const s = ev.slices;
    lines.push("", `error slices (${s.loss}, overall ${fmt(s.overall_loss)}; ${s.tested} slices tested, Welch's t, Benjamini–Hochberg FDR ${s.alpha}):`);
    if (s.slices.length === 0) lines.push("none significantly worse than the rest");
    else lines.push(table(s.slices.slice(0, 10).map((x) => ({ slice: x.slice, rows: x.size, [s.loss]: x.loss, elsewhere: x.rest_loss, effect: x.effect_size, q: x.q_value }))));
  }
  if (out) lines.push("", `report: ${out}`);
  process.stdout.write(lines.join("\n") + "\n");
}
