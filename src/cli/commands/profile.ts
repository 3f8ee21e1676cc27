/** `keel profile`: get to know a data file (EDA) — a table, warnings, and an HTML report. */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { progress } from "../../core/index.js";
import { readTable } from "../../data/io/index.js";
import { type Profile, profile, profileToHtml } from "../../data/profile/index.js";
import type { PretrainingBiasReport } from "../../evaluate/index.js";
import { action, jsonOption, list, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

interface Flags extends DataFlags {
  target?: string;
  protected?: string[];
  positive?: string;
  out?: string;
  json?: boolean;
}

export function registerProfile(program: Command): void {
  const cmd = program
    .command("profile")
    .description(COMMAND_INFO.profile.description)
    .argument("<file>", "CSV, TSV, Parquet, JSON, NDJSON or Arrow file")
    .option("-t, --target <col>", "the column to predict (balance, predictive power, leak suspects)")
    .option("--protected <cols>", "pre-training bias report for these columns (with --target): representation, label rate, class imbalance and DPL per group", list)
    .option("--positive <class>", "with --protected: the positive label of a binary target (default: the second class sorted)")
    .option("-o, --out <report.html>", "write a self-contained HTML report");
  jsonOption(cmd, "print the profile as JSON");
  addDataOptions(cmd);
  withExamples(cmd, "keel profile examples/credit/credit_data.csv --target Status --out credit-profile.html", "keel profile examples/credit/credit_data.csv --target Status --protected Age,Marital --positive bad");
  cmd.action(
    action(async (file: string, flags: Flags) => {
      progress("reading", 0);
      const frame = await readTable(file, readOptions(flags));
      if (flags.protected?.length && !flags.target) throw new UsageError("--protected needs --target: the bias report compares each group's labels", { path: "--target", expected: "a target column with --protected", received: null });
      if (flags.positive !== undefined && !flags.protected?.length) throw new UsageError("--positive is for the bias report; give --protected too", { path: "--positive", expected: "--protected with --positive", received: flags.positive });
      progress("profiling", 0);
      const p = profile(frame, { target: flags.target });
      const bias = flags.protected?.length ? (await import("../../evaluate/index.js")).pretrainingBias(frame, flags.target!, flags.protected, { positive: flags.positive }) : undefined;
      const sections = bias ? [(await import("../../evaluate/index.js")).biasToHtml(bias)] : [];
      if (flags.out) writeFileSync(flags.out, profileToHtml(p, { title: file, sections }));
      if (flags.json) printJson(bias ? { ...p, bias } : p);
      else {
        printProfile(p, file, flags.out);
        if (bias) printBias(bias);
      }
    }),
  );
}

function printProfile(p: Profile, file: string, out?: string): void {
  const lines: string[] = [];
  lines.push(`${file}: ${p.rows.toLocaleString("en-US")} rows, ${p.columns.length} columns, ${p.duplicates.count} duplicate rows`);
  lines.push("");
  lines.push(
    table(
      p.columns.map((c) => {
        const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace("T00:00:00.000Z", "").replace(".000Z", "Z"));
        const dt = c.kind === "datetime";
        return { column: c.name, kind: c.kind, missing: c.missing, distinct: c.distinct, mean: dt ? null : c.mean, std: dt ? null : c.std, min: dt ? at(c.min) : c.min, median: dt ? at(c.median) : c.median, max: dt ? at(c.max) : c.max };
      }),
    ),
  );
  if (p.target) {
    lines.push("");
    if (p.target.classes) {
      const total = p.target.classes.reduce((s, c) => s + c.count, 0);
      lines.push(`target ${p.target.name} (${p.target.task}): ${p.target.classes.map((c) => `${c.value} ${c.count} (${fmt((100 * c.count) / total, 3)}%)`).join(", ")}`);
    } else if (p.target.distribution) {
      const d = p.target.distribution;
      lines.push(`target ${p.target.name} (regression): mean ${fmt(d.mean)}, std ${fmt(d.std)}, median ${fmt(d.median)}, range ${fmt(d.min)} … ${fmt(d.max)}`);
    }
  }
  if (p.predictivePower && p.predictivePower.scores.length > 0) {
    lines.push("");
    lines.push(`single-feature predictive power for ${p.predictivePower.target} (0 = no better than the baseline, 1 = perfect):`);
    lines.push(table(p.predictivePower.scores.slice(0, 10).map((s) => ({ feature: s.feature, score: s.score }))));
  }
  lines.push("");
  if (p.warnings.length === 0) lines.push("no warnings");
  else {
    lines.push(`${p.warnings.length} warning${p.warnings.length > 1 ? "s" : ""}:`);
    for (const w of p.warnings) lines.push(`  ${w.code.padEnd(19)} ${w.message}`);
  }
  if (out) lines.push("", `report: ${out}`);
  process.stdout.write(lines.join("\n") + "\n");
}

function printBias(r: PretrainingBiasReport): void {
  const lines = ["", `pre-training bias (each group against the rest; CI = (n_rest − n_group) / n, DPL = rate_rest − rate_group; outcome${r.outcomes.length > 1 ? "s" : ""} ${r.outcomes.join(", ")}):`];
  for (const c of r.columns) {
    lines.push(`${c.column}:`);
    lines.push(table(c.groups.map((g) => ({ group: g.group, rows: g.count, representation: g.representation, ci: g.class_imbalance, ...Object.fromEntries(r.outcomes.flatMap((o) => [[r.outcomes.length > 1 ? `rate_${o}` : "label_rate", g.label_rate[o]], [r.outcomes.length > 1 ? `dpl_${o}` : "dpl", g.dpl[o]]])) }))));
  }
  process.stdout.write(lines.join("\n") + "\n");
}
