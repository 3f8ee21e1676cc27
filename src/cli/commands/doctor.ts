/**
 * `keel doctor <model-ref>`: the incident runbook over a served version's recent traffic — the checks
 * in on-call order, the first failing cause with its evidence, and the next action. Exits 1 when a
 * check fails, 0 when all pass.
 */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { progress } from "../../core/index.js";
import { diagnose, type DoctorReport, monitorModel, openLogReader } from "../../monitor/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { printJson } from "../output.js";
import { period } from "./period-option.js";
import { withRegistry } from "./store-option.js";

interface DoctorFlags {
  since: string;
  store?: string;
  logDir?: string;
  latencyP95?: number;
  json?: boolean;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) {
    const err = new Error(`--latency-p95 must be a number of milliseconds > 0, got ${JSON.stringify(value)}`);
    (err as Error & { code: string }).code = "commander.invalidArgument";
    throw err;
  }
  return n;
}

export function registerDoctor(program: Command): void {
  const cmd = program
    .command("doctor")
    .description(COMMAND_INFO.doctor.description)
    .argument("<model-ref>", "the served version: models:/<name>@<alias> or models:/<name>/<version>")
    .option("--since <duration>", "how far back to look (e.g. 1h, 24h)", "1h")
    .option("--latency-p95 <ms>", "p95 latency above which serving fails (default 1000)", positiveNumber)
    .option("--store <url>", "the registry the reference is looked up in (default: as every command)")
    .option("--log-dir <dir>", "the prediction log's JSON-lines folder (default: a PostgreSQL store's tables, else .keel/predictions)");
  jsonOption(cmd, "print every check and the cause as JSON");
  withExamples(cmd, "keel doctor models:/credit@champion", "keel doctor models:/credit@champion --since 24h --json");
  cmd.action(
    action(async (ref: string, flags: DoctorFlags) => {
      const { since, until } = period(flags.since);
      progress("reading the prediction log", 0);
      const reader = await openLogReader({ store: flags.store, logDir: flags.logDir });
      let report: DoctorReport;
      try {
        report = await withRegistry({ store: flags.store }, async (registry, tracking) => {
          const m = await monitorModel({ ref, stores: { registry, tracking }, reader, since, until, window: "hour" });
          const tests: Record<string, number> = {};
          for (const t of m.version.tags) if (t.key.startsWith("keel.test_") && Number.isFinite(Number(t.value))) tests[t.key.slice("keel.test_".length)] = Number(t.value);
          return diagnose(m, tests, { latencyP95Ms: flags.latencyP95 });
        });
      } finally {
        await reader.close();
      }
      if (flags.json) printJson(report);
      else printReport(report);
      return report.cause ? EXIT.failed : EXIT.ok;
    }),
  );
}

const MARK = { ok: "ok  ", fail: "FAIL", skipped: "—   " } as const;

function printReport(r: DoctorReport): void {
  const lines = [`${r.model} version ${r.version}: ${r.requests.toLocaleString("en-US")} requests, ${r.since.slice(0, 16)} → ${r.until.slice(0, 16)} UTC`, ""];
  for (const c of r.checks) lines.push(`  ${MARK[c.status]}  ${c.check.padEnd(17)} ${c.summary}`);
  lines.push("");
  if (r.cause) {
    lines.push(`cause: ${r.cause.check.replace("_", " ")} — ${r.cause.summary}`);
    if (r.cause.columns.length) lines.push(`columns to look at: ${r.cause.columns.join(", ")}`);
  } else lines.push("no failing check");
  lines.push(`next: ${r.next_action}`);
  process.stdout.write(lines.join("\n") + "\n");
}
