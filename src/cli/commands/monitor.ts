/**
 * `keel monitor drift|profile`: is the data a model sees still the data it learned from?
 * `drift` compares two tables (or a stored reference profile and a table) column by column —
 * KS, χ², PSI, Jensen–Shannon, Wasserstein — with data-quality checks and an HTML report;
 * `profile` writes the reference profile that stands in for the training data.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { InvalidInputError, NotFoundError, show } from "../../core/errors.js";
import { progress } from "../../core/progress.js";
import { readTable } from "../../data/io/index.js";
import { parseSchema, type Schema } from "../../data/schema/index.js";
import {
  dataDrift,
  dataQuality,
  driftAgainstProfile,
  type DataQualityReport,
  type DriftReport,
  driftReportToHtml,
  parseReferenceProfile,
  qualityAgainstProfile,
  qualityReference,
  referenceProfile,
} from "../../monitor/index.js";
import { action, jsonOption, list, positiveInt, withExamples } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

interface DriftFlags extends DataFlags {
  columns?: string[];
  json?: boolean;
  out?: string;
  schema?: string;
  profile?: boolean;
  driftShare?: number;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) {
    const err = new Error(`--drift-share must be a share in (0, 1], got ${JSON.stringify(value)}`);
    (err as Error & { code: string }).code = "commander.invalidArgument";
    throw err;
  }
  return n;
}

function readJsonFile(file: string, what: string): unknown {
  if (!existsSync(file)) throw new NotFoundError(`${what} ${show(file)} does not exist`, { path: file, expected: `a ${what} file` });
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InvalidInputError(`${what} ${show(file)} is not valid JSON: ${(e as Error).message}`, { path: file, expected: "JSON" });
  }
}

export function registerMonitor(program: Command): void {
  const monitor = program.command("monitor").description(COMMAND_INFO.monitor.description);

  const drift = monitor
    .command("drift")
    .description("compare current data with the reference: drift per column (KS, χ², PSI, Jensen–Shannon, Wasserstein), dataset drift, data quality; exits 1 on dataset drift")
    .argument("<reference>", "the reference data (the training table), or with --profile a reference profile written by `keel monitor profile`")
    .argument("<current>", "the current data (CSV, TSV, Parquet, JSON, NDJSON or Arrow)")
    .option("-c, --columns <cols>", "compare only these columns (comma-separated)", list)
    .option("--profile", "<reference> is a reference profile (JSON), not a table")
    .option("--schema <schema.json>", "check the current data against this schema (default: the reference's columns and kinds)")
    .option("--drift-share <share>", "the dataset drifts when at least this share of columns drift (default 0.5)", share)
    .option("-o, --out <report.html>", "write a self-contained HTML report");
  jsonOption(drift, "print the drift and data-quality reports as JSON");
  addDataOptions(drift);
  withExamples(drift, "keel monitor drift train.parquet today.parquet --out drift.html", "keel monitor drift credit.profile.json new.csv --profile --columns age,income --json");
  drift.action(
    action(async (referenceFile: string, currentFile: string, flags: DriftFlags) => {
      if (flags.schema && !existsSync(flags.schema)) throw new NotFoundError(`schema file ${show(flags.schema)} does not exist`, { path: flags.schema, expected: "a schema JSON file" });
      const schema: Schema | undefined = flags.schema ? parseSchema(readFileSync(flags.schema, "utf8"), flags.schema) : undefined;
      const options = { columns: flags.columns, driftShare: flags.driftShare };
      let report: DriftReport;
      let quality: DataQualityReport;
      progress("reading", 0);
      if (flags.profile) {
        const profile = parseReferenceProfile(readJsonFile(referenceFile, "reference profile"));
        const current = await readTable(currentFile, readOptions(flags));
        progress("comparing", 0);
        report = driftAgainstProfile(profile, current, options);
        quality = qualityAgainstProfile(profile, current, schema);
      } else {
        const [reference, current] = await Promise.all([readTable(referenceFile, readOptions(flags)), readTable(currentFile, readOptions(flags))]);
        progress("comparing", 0);
        report = dataDrift(reference, current, options);
        const refs = Object.fromEntries(reference.names.map((c) => [c, qualityReference(reference.column(c))]));
        quality = dataQuality(refs, current, schema);
      }
      if (flags.out) writeFileSync(flags.out, driftReportToHtml(report, quality, { referenceName: referenceFile, currentName: currentFile }));
      if (flags.json) printJson({ drift: report, quality });
      else printDrift(report, quality, referenceFile, currentFile, flags.out);
      return report.dataset_drift ? EXIT.failed : EXIT.ok;
    }),
  );

  const prof = monitor
    .command("profile")
    .description("write the reference profile of a table (per column: bins, categories, missing share, range, a seeded sample of ≤ 100,000 rows) for `keel monitor drift --profile`")
    .argument("<file>", "the reference data (usually the training table)")
    .requiredOption("-o, --out <profile.json>", "where to write the profile")
    .option("--seed <n>", "seed of the row sample", positiveInt("--seed", 0), 0)
    .option("--sample-rows <n>", "rows in the sample (default 100000)", positiveInt("--sample-rows"));
  addDataOptions(prof);
  jsonOption(prof, "print where the profile went and its size as JSON");
  withExamples(prof, "keel monitor profile train.parquet --out credit.profile.json");
  prof.action(
    action(async (file: string, flags: DataFlags & { out: string; seed: number; sampleRows?: number; json?: boolean }) => {
      progress("reading", 0);
      const frame = await readTable(file, readOptions(flags));
      progress("profiling", 0);
      const p = referenceProfile(frame, { seed: flags.seed, sampleRows: flags.sampleRows });
      writeFileSync(flags.out, JSON.stringify(p));
      if (flags.json) printJson({ file, out: flags.out, rows: p.rows, columns: Object.keys(p.columns).length, sample_rows: p.sample_rows });
      else process.stdout.write(`${file}: ${p.rows.toLocaleString("en-US")} rows, ${Object.keys(p.columns).length} columns, sample of ${p.sample_rows.toLocaleString("en-US")} rows → ${flags.out}\n`);
    }),
  );
}

function printDrift(r: DriftReport, q: DataQualityReport, ref: string, cur: string, out?: string): void {
  const lines: string[] = [];
  lines.push(`${ref} (${r.reference_rows.toLocaleString("en-US")} rows) → ${cur} (${r.current_rows.toLocaleString("en-US")} rows)`, "");
  if (r.columns.length) {
    lines.push(
      table(
        r.columns.map((c) => ({ column: c.column, kind: c.kind, test: c.test, statistic: c.statistic, threshold: c.threshold, drifted: c.drifted ? "DRIFT" : "", psi: c.psi, js: c.js, "ks p": c.ks?.p_value, "wasserstein": c.wasserstein_norm, "chi2 p": c.chi2?.p_value })),
      ),
    );
  }
  for (const s of r.skipped) lines.push(`  not compared: ${s.column} (${s.reason})`);
  lines.push("", `${r.dataset_drift ? "DATASET DRIFT" : "no dataset drift"}: ${r.number_of_drifted_columns} of ${r.number_of_columns} columns drifted (share ${fmt(r.drift_share)}, threshold ${fmt(r.drift_share_threshold)})`);
  if (q.findings.length === 0) lines.push("data quality: no findings");
  else {
    lines.push(`data quality: ${q.findings.length} finding${q.findings.length > 1 ? "s" : ""}`);
    for (const f of q.findings.slice(0, 30)) {
      const ex = f.examples.slice(0, 3).map((e) => `row ${e.row}: ${e.value === null ? "missing" : JSON.stringify(e.value)}`).join(", ");
      lines.push(`  ${(f.check ?? f.code).padEnd(17)} ${f.message}${ex ? ` (${ex})` : ""}`);
    }
    if (q.findings.length > 30) lines.push(`  … ${q.findings.length - 30} more (--json)`);
  }
  if (out) lines.push("", `report: ${out}`);
  process.stdout.write(lines.join("\n") + "\n");
}
