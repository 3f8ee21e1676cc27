/**
 * `keel explain`: why a saved or registered model predicts what it does on a file's rows — SHAP
 * values per input column (exact TreeSHAP, exact linear SHAP or KernelSHAP, by model), the global
 * importance as mean |SHAP|, permutation importance when the file has the target, and partial
 * dependence with ICE curves; as a table, as JSON in SHAP's names, or as an HTML report.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { progress } from "../../core/index.js";
import { readTable } from "../../data/io/index.js";
import { UsageError } from "../exit-codes.js";
import { action, jsonOption, list, positiveInt, withExamples } from "../command.js";
import { printJson } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";
import { MODEL_ARGUMENT, addModelStoreOption, withModel } from "./model-ref.js";

interface ExplainFlags extends DataFlags {
  rows?: string;
  perFeature?: boolean;
  method: string;
  background?: string;
  backgroundSize: number;
  samples?: number;
  seed: number;
  target?: string;
  importance: boolean;
  scoring?: string[];
  repeats: number;
  pdp?: string[];
  grid: number;
  out?: string;
  json?: boolean;
  store?: string;
}

/** Rows the kernel method explains when `--rows` is not given (each row costs coalitions × background predictions). */
const KERNEL_DEFAULT_ROWS = 20;

/** `--rows 0-9,15,20`: file row numbers from 0, ranges inclusive. */
export function parseRows(spec: string, nRows: number): number[] {
  const out: number[] = [];
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--rows: ${JSON.stringify(part)} is not a row number or a range a-b (rows are numbered from 0)`, { path: "--rows", expected: "comma-separated row numbers or ranges, e.g. 0-9,15", received: part });
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`--rows: the range ${part} ends before it starts`, { path: "--rows", expected: "a-b with a ≤ b", received: part });
    if (b >= nRows) throw new UsageError(`--rows: row ${b} is out of range: the file has ${nRows} rows (numbered from 0)`, { path: "--rows", expected: `rows 0 … ${nRows - 1}`, received: part });
    for (let r = a; r <= b; r++) out.push(r);
  }
  if (out.length === 0) throw new UsageError("--rows names no row", { path: "--rows", expected: "row numbers or ranges, e.g. 0-9,15", received: spec });
  return out;
}

export function registerExplain(program: Command): void {
  const cmd = program
    .command("explain")
    .description(COMMAND_INFO.explain.description)
    .argument("<model>", MODEL_ARGUMENT)
    .argument("<file>", "rows to explain (with the target column, permutation importance is computed too)")
    .option("--rows <list>", "explain only these rows (numbered from 0): e.g. 0-9,15 (default: every row; the kernel method, which predicts coalitions × background rows per row: the first 20)")
    .option("--per-feature", "also give SHAP values per encoded feature (one-hot columns, missing indicators) besides per input column")
    .option("--method <method>", "auto (trees → TreeSHAP, linear models → linear SHAP, other models → KernelSHAP), tree, linear or kernel", "auto")
    .option("--background <file>", "rows standing for an unknown column (linear: their means; kernel: a sample); default: the file itself")
    .option("--background-size <n>", "kernel: background rows sampled (seeded)", positiveInt("--background-size"), 100)
    .option("--samples <n>", "kernel: coalitions per row when they are not all enumerated (default 2·columns + 2048)", positiveInt("--samples", 2))
    .option("--seed <n>", "seed of the background sample, the coalitions and the permutations", positiveInt("--seed", 0), 0)
    .option("--target <column>", "the target column for permutation importance (default: the model's, when the file has it)")
    .option("--no-importance", "skip permutation importance")
    .option("--scoring <names>", "permutation importance scorers, scikit-learn names (default: accuracy or r2)", list)
    .option("--repeats <n>", "permutation importance: shuffles per column", positiveInt("--repeats"), 5)
    .option("--pdp <columns>", "partial dependence + ICE for these columns (default: the 3 with the largest mean |SHAP|; 'none' for none)", list)
    .option("--grid <n>", "partial dependence grid points (scikit-learn's grid_resolution)", positiveInt("--grid", 2), 100)
    .option("-o, --out <report.html>", "write a self-contained HTML report");
  jsonOption(cmd, "print {method, link, output_names, feature_names, base_values, values, data, importance, permutation_importance, partial_dependence} (SHAP's names) as JSON");
  addModelStoreOption(cmd);
  addDataOptions(cmd);
  withExamples(
    cmd,
    "keel explain credit-model applications.csv --rows 0-4 --out explain.html",
    "keel explain models:/credit@champion test.parquet --per-feature --pdp income,age --json",
  );
  cmd.action(
    action(async (modelRef: string, file: string, flags: ExplainFlags) => {
      if (!["auto", "tree", "linear", "kernel"].includes(flags.method)) {
        throw new UsageError(`--method must be auto, tree, linear or kernel, got ${JSON.stringify(flags.method)}`, { path: "--method", expected: "auto | tree | linear | kernel", received: flags.method });
      }
      return withModel(modelRef, flags, async (model) => {
        const { explainReport, explainReportToHtml, shapExplainer } = await import("../../explain/index.js");
        progress("reading", 0);
        const data = await readTable(file, readOptions(flags));
        const background = flags.background ? await readTable(flags.background, readOptions(flags)) : undefined;
        const method = shapExplainer(model, { method: flags.method as "auto" }).method;
        let rows: number[] | undefined;
        if (flags.rows) rows = parseRows(flags.rows, data.nRows);
        else if (method === "kernel" && data.nRows > KERNEL_DEFAULT_ROWS) rows = Array.from({ length: KERNEL_DEFAULT_ROWS }, (_, i) => i);
        const pdp = flags.pdp?.length === 1 && flags.pdp[0] === "none" ? [] : flags.pdp;
        progress("explaining", 0);
        const report = await explainReport(model, data, {
          rows,
          method: flags.method as "auto",
          perFeature: flags.perFeature,
          background,
          backgroundSize: flags.backgroundSize,
          nSamples: flags.samples,
          seed: flags.seed,
          target: flags.importance ? flags.target : null,
          scoring: flags.scoring,
          nRepeats: flags.repeats,
          pdpColumns: pdp,
          gridResolution: flags.grid,
        });
        if (flags.out) writeFileSync(flags.out, explainReportToHtml(report, { model: modelRef, file }));
        if (flags.json) return printJson({ model: modelRef, file, ...(flags.out ? { out: flags.out } : {}), ...report });
        printSummary(report, modelRef, file, flags.out);
      });
    }),
  );
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

function printSummary(r: import("../../explain/index.js").ExplainReport, model: string, file: string, out?: string): void {
  const imp = r.importance.map((v) => (Array.isArray(v) ? v.reduce((s, x) => s + x, 0) : v));
  const order = imp.map((v, j) => ({ v, j })).sort((a, b) => b.v - a.v);
  const width = Math.max(6, ...r.feature_names.map((n) => n.length));
  const lines = [
    `${model} on ${file}: ${r.rows.length} of ${r.file_rows} rows explained with ${r.method} SHAP (outputs: ${r.output_names.join(", ")}; link: ${r.link})`,
    "",
    `${"column".padEnd(width)}  mean |SHAP|${r.permutation_importance ? `  permutation (${Object.keys(r.permutation_importance.scores)[0]})` : ""}`,
  ];
  const pi = r.permutation_importance;
  const first = pi ? pi.scores[Object.keys(pi.scores)[0]] : null;
  for (const { v, j } of order) {
    const c = pi ? pi.columns.indexOf(r.feature_names[j]) : -1;
    lines.push(`${r.feature_names[j].padEnd(width)}  ${fmt(v).padStart(11)}${first && c >= 0 ? `  ${fmt(first.importances_mean[c])} ± ${fmt(first.importances_std[c])}` : ""}`);
  }
  if (r.partial_dependence?.length) lines.push("", `partial dependence: ${r.partial_dependence.map((p) => `${p.column} (${p.grid.length} points)`).join(", ")}`);
  if (out) lines.push("", `report: ${out}`);
  process.stdout.write(lines.join("\n") + "\n");
}
