/**
 * `keel promote` and `keel rollback`: move `@champion` through the promotion gates of keel.yaml
 * (`registry/gates*.ts`), or back to the previous champion from the registry's audit log.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { openBackend } from "../../backend/index.js";
import { show } from "../../core/index.js";
import type { ColumnKind } from "../../data/index.js";
import { readTable } from "../../data/io/index.js";
import { parseSchema, validate } from "../../data/schema/index.js";
import { loadProject, type Project } from "../../project/index.js";
import { type GatesReport, type PromotionResult, type RollbackResult, openRegistry, promote, rollback } from "../../registry/index.js";
import { openStore } from "../../track/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";

const SCHEMA_FILE = "keel.schema.json";

interface PromoteFlags {
  to: string;
  data?: string;
  project: string;
  force?: boolean;
  reason?: string;
  store?: string;
  json?: boolean;
}

/** The registry and tracking store of the project's store (or `--store`), closed afterwards. */
async function withStores<T>(store: string | undefined, projectDir: string | undefined, fn: (r: Awaited<ReturnType<typeof openRegistry>>, t: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const backend = await openBackend(store, projectDir ? { projectDir } : {});
  try {
    return await fn(await openRegistry(backend), await openStore(backend));
  } finally {
    await backend.close();
  }
}

/** `--data`: the file read with keel.yaml's column types, the dropped columns removed, and checked against keel.schema.json. */
async function readData(project: Project, file: string) {
  const kinds: Record<string, ColumnKind> = {};
  const dateFormats: Record<string, string> = {};
  for (const [col, t] of Object.entries(project.config.data.types)) {
    kinds[col] = t.kind;
    if (t.format !== null) dateFormats[col] = t.format;
  }
  const raw = await readTable(file, { ...(Object.keys(kinds).length ? { kinds } : {}), ...(Object.keys(dateFormats).length ? { dateFormats } : {}) });
  const drop = project.config.data.drop.filter((c) => raw.has(c));
  const rows = drop.length ? raw.drop(drop) : raw;
  const schemaFile = path.join(project.dir, SCHEMA_FILE);
  let checks = null;
  if (project.config.gates.data_checks && existsSync(schemaFile)) {
    const report = validate(rows, parseSchema(readFileSync(schemaFile, "utf8"), schemaFile));
    checks = { ok: report.ok, failed: report.summary.failed, problems: report.problems.map((p) => p.message) };
  }
  return { rows, source: file, checks };
}

export function registerPromote(program: Command): void {
  const cmd = program
    .command("promote")
    .description(COMMAND_INFO.promote.description)
    .argument("<name>", "registered model name")
    .argument("<version>", "the version to promote")
    .requiredOption("--to <alias>", "the alias to move: champion")
    .option("--data <file>", "labelled rows to evaluate the gates on (default: the sealed test set of the run that produced the version)")
    .option("--project <dir>", "the project folder holding keel.yaml (its problem: and gates:)", ".")
    .option("--force", "promote even when gates fail (needs --reason; recorded in the audit log)")
    .option("--reason <text>", "why the gates are overridden (with --force)")
    .option("--store <url>", "tracking store: a SQLite path, postgres://... or a keel server URL (default: KEEL_STORE, else <project>/.keel/keel.db)");
  jsonOption(cmd, "print {promoted, forced, previous, report: {passed, failing, gates}} as JSON");
  cmd.addHelpText("after", "\nExit code 1: a gate failed and nothing moved (every failing gate is listed).\n");
  withExamples(cmd, "keel promote credit 3 --to champion --project examples/credit", 'keel promote credit 4 --to champion --data fresh.csv --force --reason "hotfix for the Q3 pricing change"');
  cmd.action(
    action(async (name: string, version: string, flags: PromoteFlags) => {
      if (flags.to !== "champion") throw new UsageError(`--to ${show(flags.to)}: keel promote moves @champion; expected --to champion`, { path: "--to", expected: "champion", received: flags.to });
      if (flags.force && !flags.reason?.trim()) throw new UsageError("--force needs --reason \"...\": the audit log records why the gates were overridden", { path: "--reason", expected: "a non-empty reason", received: flags.reason ?? null });
      if (flags.reason && !flags.force) throw new UsageError("--reason goes with --force", { path: "--reason", expected: "--force as well", received: flags.reason });
      const project = loadProject(flags.project);
      const c = project.config;
      const data = flags.data ? await readData(project, flags.data) : null;
      const result = await withStores(flags.store, project.dir, (registry, tracking) =>
        promote({
          registry,
          tracking,
          name,
          version,
          problem: { target: c.problem.target, task: c.problem.task, positive: c.problem.positive, metric: c.problem.metric, good_enough: c.problem.good_enough, protected: c.problem.protected, seed: c.split.seed, gates: c.gates },
          data,
          force: flags.force ? { reason: flags.reason! } : null,
        }),
      );
      if (flags.json) printJson(result);
      else process.stdout.write(renderPromotion(result) + "\n");
      return result.promoted || result.alreadyChampion ? EXIT.ok : EXIT.failed;
    }),
  );
}

export function registerRollback(program: Command): void {
  const cmd = program
    .command("rollback")
    .description(COMMAND_INFO.rollback.description)
    .argument("<name>", "registered model name")
    .option("--reason <text>", "why (recorded in the audit log with the move)")
    .option("--store <url>", "tracking store: a SQLite path, postgres://... or a keel server URL (default: KEEL_STORE, else .keel/keel.db)");
  jsonOption(cmd, "print {name, alias, from, to, reason} as JSON");
  withExamples(cmd, "keel rollback credit --store examples/credit/.keel/keel.db", 'keel rollback credit --reason "error rate up since version 4"');
  cmd.action(
    action(async (name: string, flags: { reason?: string; store?: string; json?: boolean }) => {
      const r: RollbackResult = await withStores(flags.store, undefined, (registry) => rollback(registry, name, { reason: flags.reason ?? null }));
      if (flags.json) printJson(r);
      else process.stdout.write(`rolled back: ${r.name}@${r.alias} moved from version ${r.from} to version ${r.to}${r.reason ? ` (${r.reason})` : ""}; the move is in the audit log\n`);
    }),
  );
}

/** The gates as a table, then each gate's line. */
export function renderGates(report: GatesReport): string {
  const L: string[] = [];
  if (report.gates.length === 0) return "no gates configured";
  L.push(table(report.gates.map((g) => ({ gate: g.gate, result: g.passed ? "pass" : "FAIL", value: g.value === null ? "—" : fmt(g.value), bound: g.bound }))));
  for (const g of report.gates) L.push(`${g.passed ? "  " : "✗ "}${g.gate}: ${g.message}`);
  return L.join("\n");
}

function renderPromotion(r: PromotionResult): string {
  const L: string[] = [`gates for ${r.name} version ${r.version} on ${r.rows.count} rows (${r.rows.source}); ${r.report.metric} ${fmt(r.report.value)}:`, renderGates(r.report), ""];
  if (r.alreadyChampion) L.push(`${r.name} version ${r.version} already is @${r.alias}: nothing moved`);
  else if (r.promoted) L.push(`promoted: ${r.name}@${r.alias} → version ${r.version}${r.previous ? ` (was version ${r.previous})` : " (no champion before)"}${r.forced ? `, FORCED past failing gates ${r.report.failing.join(", ")}: ${r.reason}` : ""}`);
  else L.push(`refused: ${r.name} version ${r.version} fails ${r.report.failing.length} gate${r.report.failing.length > 1 ? "s" : ""}: ${r.report.failing.join(", ")}; @${r.alias} stays ${r.previous ? `at version ${r.previous}` : "unset"} (override with --force --reason "...")`);
  return L.join("\n");
}
