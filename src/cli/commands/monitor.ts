/**
 * `keel monitor drift|profile`: is the data a model sees still the data it learned from?
 * `drift` compares two tables (or a stored reference profile and a table) column by column —
 * KS, χ², PSI, Jensen–Shannon, Wasserstein — with data-quality checks and an HTML report;
 * `profile` writes the reference profile that stands in for the training data.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseStoreUri, resolveStoreUri } from "../../backend/index.js";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { InvalidInputError, NotFoundError, show, progress } from "../../core/index.js";
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
  abTest,
  type ArmOutcomes,
  armOutcomes,
  type Alert,
  type Delivery,
  deliverAlerts,
  evaluateRules,
  type ModelMonitoring,
  monitorModel,
  openLogReader,
  openMonitoringStore,
  type WindowSize,
  predictionDrift,
} from "../../monitor/index.js";
import { withModel } from "./model-ref.js";
import { parseDuration, withRegistry } from "./store-option.js";
import { loadProject, type ProjectConfig } from "../../project/index.js";
import { period, windowSize } from "./period-option.js";
import { action, jsonOption, list, positiveInt, withExamples } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";
import { parse as parseYaml } from "yaml";
import type { RetrainResult } from "../../pipeline/index.js";
import { renderRetrain, retrainExitCode, retrainStep } from "./retrain.js";

interface DriftFlags extends DataFlags {
  columns?: string[];
  project?: string;
  json?: boolean;
  out?: string;
  schema?: string;
  profile?: boolean;
  driftShare?: number;
  model?: string;
  since: string;
  until?: string;
  window: string;
  store?: string;
  logDir?: string;
  save: boolean;
}

interface WatchFlags {
  once?: boolean;
  interval: string;
  window: string;
  store?: string;
  logDir?: string;
  json?: boolean;
}

interface WatchResult {
  time: string;
  model: string;
  version: string;
  since: string;
  requests: number;
  stored: number;
  alerts: Alert[];
  delivery: Delivery;
  /** With a retrain: block: the step `keel retrain --if-triggered` ran after the rules (null without the block). */
  retrain: RetrainResult | null;
}

/** One check: monitor the period, store its windows, evaluate and deliver the rules. */
async function watchOnce(cfg: NonNullable<ProjectConfig["monitor"]>, flags: WatchFlags, size: WindowSize, projectDir: string): Promise<WatchResult> {
  const { since, until } = period(cfg.since);
  const reader = await openLogReader({ store: flags.store, logDir: flags.logDir });
  let m: ModelMonitoring;
  try {
    m = await withRegistry({ store: flags.store }, (registry, tracking) => monitorModel({ ref: cfg.model, stores: { registry, tracking }, reader, since, until, window: size, overrides: cfg.columns }));
  } finally {
    await reader.close();
  }
  let stored = 0;
  if (m.windows.length) {
    const store = await openMonitoringStore(flags.store);
    try {
      await store.saveWindows(m.model, m.version.version, size, m.windows);
      stored = m.windows.length;
    } finally {
      await store.close();
    }
  }
  const alerts = evaluateRules(m, cfg.rules);
  const delivery = await deliverAlerts(alerts, { log: cfg.log === null ? null : path.resolve(projectDir, cfg.log), webhook: cfg.webhook });
  return { time: new Date().toISOString(), model: m.model, version: m.version.version, since: new Date(since).toISOString(), requests: m.records.length, stored, alerts, delivery, retrain: null };
}

function printWatch(r: WatchResult): void {
  const lines = [`${r.time.slice(0, 19).replace("T", " ")} ${r.model} version ${r.version}: ${r.requests} requests since ${r.since.slice(0, 16).replace("T", " ")}, ${r.alerts.length ? `${r.alerts.length} alert${r.alerts.length > 1 ? "s" : ""}` : "no alert"}`];
  for (const a of r.alerts) lines.push(`  ALERT ${a.message}`);
  if (r.alerts.length && r.delivery.log) lines.push(`  → ${r.delivery.log}`);
  if (r.delivery.webhook) lines.push(`  → ${r.delivery.webhook.url}: ${r.delivery.webhook.error ?? r.delivery.webhook.status}`);
  if (r.retrain) lines.push(...renderRetrain(r.retrain).split("\n").map((l) => `  retrain ${l}`));
  process.stdout.write(lines.join("\n") + "\n");
}

interface AbFlags {
  a: string;
  b: string;
  since: string;
  alpha: number;
  power: number;
  mde?: number;
  store?: string;
  logDir?: string;
  json?: boolean;
}

function invalidArgument(message: string): Error {
  const err = new Error(message);
  (err as Error & { code: string }).code = "commander.invalidArgument";
  return err;
}

function unitInterval(option: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(n > 0 && n < 1)) throw invalidArgument(`${option} must be in (0, 1), got ${JSON.stringify(value)}`);
    return n;
  };
}

function positiveNumber(option: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(n > 0 && Number.isFinite(n))) throw invalidArgument(`${option} must be a number > 0, got ${JSON.stringify(value)}`);
    return n;
  };
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
    .argument("[reference]", "the reference data (the training table), or with --profile a reference profile written by `keel monitor profile`")
    .argument("[current]", "the current data (CSV, TSV, Parquet, JSON, NDJSON or Arrow)")
    .option("-c, --columns <cols>", "compare only these columns (comma-separated)", list)
    .option("--profile", "<reference> is a reference profile (JSON), not a table")
    .option("--schema <schema.json>", "check the current data against this schema (default: the reference's columns and kinds)")
    .option("--drift-share <share>", "the dataset drifts when at least this share of columns drift (default 0.5)", share)
    .option("-o, --out <report.html>", "write a self-contained HTML report")
    .option("--model <ref>", "without tables: the served version's traffic from the prediction log against the reference profile stored with it (models:/<name>@<alias>); with two tables: that model (or a model folder) predicts both and its prediction drift is reported too")
    .option("--since <duration>", "with --model: how far back to read the log (e.g. 24h, 7d)", "24h")
    .option("--until <duration>", "with --model: stop this long ago (default now)")
    .option("--window <size>", "with --model: one result per UTC hour or day", "hour")
    .option("--store <url>", "with --model: the registry, and where per-window results are kept (default: as every command)")
    .option("--log-dir <dir>", "with --model: the prediction log's JSON-lines folder (default: a PostgreSQL store's tables, else .keel/predictions)")
    .option("--no-save", "with --model: do not store the per-window results")
    .option("--project <dir>", "take per-column drift tests from this project's keel.yaml (monitor.columns)");
  jsonOption(drift, "print the drift and data-quality reports as JSON");
  addDataOptions(drift);
  withExamples(drift, "keel monitor drift train.parquet today.parquet --out drift.html", "keel monitor drift credit.profile.json new.csv --profile --columns age,income --json", "keel monitor drift --model models:/credit@champion --since 24h --window hour");
  drift.action(
    action(async (referenceFile: string | undefined, currentFile: string | undefined, flags: DriftFlags) => {
      if (flags.model !== undefined && referenceFile === undefined) return driftOverLog(flags);
      if (flags.model !== undefined && flags.profile) throw new UsageError("--model with two tables predicts both: give tables, not --profile", { path: "profile", expected: "two tables with --model" });
      if (referenceFile === undefined || currentFile === undefined) throw new UsageError("give a reference and a current table, or --model models:/<name>@<alias> to read the prediction log", { path: referenceFile === undefined ? "reference" : "current", expected: "a table file" });
      if (flags.schema && !existsSync(flags.schema)) throw new NotFoundError(`schema file ${show(flags.schema)} does not exist`, { path: flags.schema, expected: "a schema JSON file" });
      const schema: Schema | undefined = flags.schema ? parseSchema(readFileSync(flags.schema, "utf8"), flags.schema) : undefined;
      const overrides = flags.project ? (loadProject(flags.project).config.monitor?.columns ?? {}) : {};
      const options = { columns: flags.columns, driftShare: flags.driftShare, overrides };
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
        if (flags.model !== undefined) {
          // the model predicts both tables: the drift of its output beside its inputs'
          const prediction = await withModel(flags.model, flags, async (model) => predictionDrift(model, reference, current));
          if (flags.out) writeFileSync(flags.out, driftReportToHtml(report, quality, { referenceName: referenceFile, currentName: currentFile }));
          if (flags.json) printJson({ drift: report, quality, prediction_drift: prediction });
          else {
            printDrift(report, quality, referenceFile, currentFile, flags.out);
            process.stdout.write(`prediction drift (${flags.model}): ${prediction.drifted ? "DRIFTED" : "no drift"} — ${prediction.test} ${prediction.statistic.toPrecision(4)} (threshold ${prediction.threshold})\n`);
          }
          return report.dataset_drift || prediction.drifted ? EXIT.failed : EXIT.ok;
        }
      }
      if (flags.out) writeFileSync(flags.out, driftReportToHtml(report, quality, { referenceName: referenceFile, currentName: currentFile }));
      if (flags.json) printJson({ drift: report, quality });
      else printDrift(report, quality, referenceFile, currentFile, flags.out);
      return report.dataset_drift ? EXIT.failed : EXIT.ok;
    }),
  );

  const ab = monitor
    .command("ab")
    .description("A/B verdict between two served versions on live outcomes (delayed labels): the difference with intervals, a two-proportion or bootstrap test, the sample size still needed, and a verdict (better / worse / not yet) from a sequential test that stays valid however often you look")
    .argument("<name>", "the registered model")
    .option("--a <alias-or-version>", "arm A, usually the champion", "champion")
    .option("--b <alias-or-version>", "arm B, usually the challenger", "challenger")
    .option("--since <duration>", "how far back to read the log", "7d")
    .option("--alpha <p>", "error rate of the verdict", unitInterval("--alpha"), 0.05)
    .option("--power <p>", "power for the sample size still needed", unitInterval("--power"), 0.8)
    .option("--mde <difference>", "smallest difference worth detecting, in the outcome's units (accuracy: default 0.02; absolute error: required)", positiveNumber("--mde"))
    .option("--store <url>", "the registry (default: as every command)")
    .option("--log-dir <dir>", "the prediction log's JSON-lines folder (default: a PostgreSQL store's tables, else .keel/predictions)");
  jsonOption(ab, "print the test as JSON");
  withExamples(ab, "keel monitor ab credit --a champion --b challenger", "keel monitor ab credit --a 3 --b 4 --since 14d --mde 0.01 --json");
  ab.action(
    action(async (name: string, flags: AbFlags) => {
      const { since, until } = period(flags.since);
      const reader = await openLogReader({ store: flags.store, logDir: flags.logDir });
      let arms: [ArmOutcomes, ArmOutcomes];
      try {
        arms = await withRegistry({ store: flags.store }, async (registry) => {
          const version = async (x: string) => (/^[1-9]\d*$/.test(x) ? (await registry.getModelVersion(name, x)).version : (await registry.getModelVersionByAlias(name, x)).version);
          const [va, vb] = [await version(flags.a), await version(flags.b)];
          if (va === vb) throw new UsageError(`--a ${show(flags.a)} and --b ${show(flags.b)} are the same version (${va}) of ${show(name)}`, { path: "--b", expected: "another version than --a", received: flags.b });
          const records = await reader.predictions({ model: name, since, until });
          const labels = await reader.feedback({ model: name, ids: new Set(records.map((r) => r.id)) });
          return [armOutcomes(records, labels, va), armOutcomes(records, labels, vb)];
        });
      } finally {
        await reader.close();
      }
      const outcome = arms[0].outcome ?? arms[1].outcome;
      if (outcome === "absolute_error" && flags.mde === undefined) throw new UsageError("--mde is required for a regressor's absolute error: the smallest difference worth detecting, in the target's units", { path: "--mde", expected: "a difference > 0" });
      const [a, b] = arms;
      const enough = a.outcomes.length >= 2 && b.outcomes.length >= 2;
      const result = enough ? abTest(a.outcomes, b.outcomes, { alpha: flags.alpha, power: flags.power, mde: flags.mde ?? 0.02, greaterIsBetter: outcome !== "absolute_error" }) : null;
      const head = { model: name, a: { ref: flags.a, version: a.version, requests: a.requests, labelled: a.outcomes.length }, b: { ref: flags.b, version: b.version, requests: b.requests, labelled: b.outcomes.length }, outcome, since: new Date(since).toISOString() };
      const verdict = result?.verdict ?? "not yet";
      if (flags.json) printJson({ ...head, verdict, ...(result ? { result } : { reason: "fewer than 2 labelled outcomes in an arm" }) });
      else {
        const lines = [`${name}: A = ${flags.a} (version ${a.version}, ${a.outcomes.length} labelled of ${a.requests}), B = ${flags.b} (version ${b.version}, ${b.outcomes.length} labelled of ${b.requests}); outcome: ${outcome ?? "none"}`];
        if (!result) lines.push("verdict: not yet — fewer than 2 labelled outcomes in an arm");
        else {
          const f = result.fixed_horizon;
          const q = result.sequential;
          lines.push(
            `mean A ${fmt(result.a.mean)}, B ${fmt(result.b.mean)}, difference B − A ${fmt(result.difference)}`,
            `fixed horizon (one look): ${f.test} p = ${fmt(f.p_value)}, ${Math.round(f.interval.level * 100)} % interval [${fmt(f.interval.low)}, ${fmt(f.interval.high)}]; ${f.per_arm_needed} per arm needed for power ${flags.power} at ${flags.mde ?? 0.02}, ${f.more_per_arm} more`,
            `sequential: ${q.method}; always-valid interval [${fmt(q.interval.low)}, ${fmt(q.interval.high)}], p = ${fmt(q.always_valid_p)}`,
            `verdict: B is ${result.verdict === "not yet" ? "not yet decided" : result.verdict} — ${result.reason}`,
          );
        }
        process.stdout.write(lines.join("\n") + "\n");
      }
      return EXIT.ok;
    }),
  );

  const watch = monitor
    .command("watch")
    .description("check the alert rules of keel.yaml's monitor: block over the served version's recent traffic, on a schedule (or --once, as a Kubernetes CronJob does); stores each window's results and delivers fired alerts to the log file and the webhook; with a retrain: block, each check then runs the step keel retrain --if-triggered runs (a challenger in shadow is evaluated; otherwise the project retrains when a trigger fires)")
    .argument("[dir]", "the project folder holding keel.yaml", ".")
    .option("--once", "check once and exit: 1 when an alert fired or could not be delivered, else 3 when the retrained candidate was not good enough, else 0")
    .option("--interval <duration>", "time between checks when running on (e.g. 5m, 1h)", "5m")
    .option("--window <size>", "windows stored per check: hour or day", "hour")
    .option("--store <url>", "the registry, and where per-window results are kept (default: as every command)")
    .option("--log-dir <dir>", "the prediction log's JSON-lines folder (default: a PostgreSQL store's tables, else .keel/predictions in the project)");
  jsonOption(watch, "print each check as one JSON line");
  watch.addHelpText("after", "\nWith a retrain: block in keel.yaml, each check then runs the step `keel retrain --if-triggered` runs; its\noutcome is printed after the alerts (--json: the line's retrain field, null without the block).\n");
  withExamples(watch, "keel monitor watch --once", "keel monitor watch ./credit --once --json", "keel monitor watch ./credit --interval 10m --store postgres://keel@db/keel");
  watch.action(
    action(async (dir: string, flags: WatchFlags) => {
      const interval = parseDuration(flags.interval, "--interval");
      const size = windowSize(flags.window);
      const project = loadProject(dir);
      const cfg = project.config.monitor;
      if (!cfg) throw new InvalidInputError(`${project.file} has no monitor: block: add one with rules, e.g. monitor: { rules: [{ measure: drift_share, above: 0.3 }] }`, { path: "monitor", expected: "a monitor: block with rules" });
      // only a keel.yaml that writes a retrain: block closes the loop (its defaults alone never train)
      const retrainBlock = (parseYaml(project.text) as Record<string, unknown> | null)?.retrain !== undefined;
      const logDir = flags.logDir ?? (parseStoreUri(resolveStoreUri(flags.store)).kind === "postgres" ? undefined : path.join(project.dir, ".keel", "predictions"));
      const check = async () => {
        const r = await watchOnce(cfg, { ...flags, logDir }, size, project.dir);
        // after the rules and the stored windows: the step keel retrain --if-triggered runs
        if (retrainBlock) r.retrain = await retrainStep(project.dir, { ifTriggered: true, store: flags.store, logDir });
        if (flags.json) process.stdout.write(JSON.stringify(r) + "\n");
        else printWatch(r);
        return r;
      };
      if (flags.once) {
        const r = await check();
        if (r.alerts.length > 0 || r.delivery.webhook?.error) return EXIT.failed;
        return r.retrain ? retrainExitCode(r.retrain) : EXIT.ok;
      }
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      process.once("SIGINT", () => stop());
      process.once("SIGTERM", () => stop());
      for (;;) {
        await check().catch((e: unknown) => process.stderr.write(`check failed: ${(e as Error).message}\n`));
        const timer = new Promise<"tick">((resolve) => setTimeout(() => resolve("tick"), interval));
        if ((await Promise.race([timer, stopped.then(() => "stop" as const)])) === "stop") return EXIT.ok;
      }
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

/** `keel monitor drift --model`: the version's traffic, window by window, stored for charts. */
async function driftOverLog(flags: DriftFlags): Promise<number> {
  const size = windowSize(flags.window);
  const { since, until } = period(flags.since, flags.until);
  progress("reading the prediction log", 0);
  const reader = await openLogReader({ store: flags.store, logDir: flags.logDir });
  let m: ModelMonitoring;
  try {
    m = await withRegistry({ store: flags.store }, (registry, tracking) => monitorModel({ ref: flags.model!, stores: { registry, tracking }, reader, since, until, window: size, columns: flags.columns, driftShare: flags.driftShare }));
  } finally {
    await reader.close();
  }
  let stored = 0;
  if (flags.save && m.windows.length > 0) {
    const store = await openMonitoringStore(flags.store);
    try {
      await store.saveWindows(m.model, m.version.version, size, m.windows);
      stored = m.windows.length;
    } finally {
      await store.close();
    }
  }
  if (flags.out && m.overall.drift && m.overall.quality) writeFileSync(flags.out, driftReportToHtml(m.overall.drift, m.overall.quality, { referenceName: `${m.model} v${m.version.version} training rows`, currentName: `served traffic since ${new Date(since).toISOString()}` }));
  const drifted = m.windows.some((w) => w.drift?.dataset_drift || w.prediction_drift?.drifted);
  if (flags.json) printJson({ model: m.model, version: m.version.version, log: m.log, since: new Date(since).toISOString(), until: new Date(until).toISOString(), window: size, stored, overall: m.overall, windows: m.windows });
  else printLogDrift(m, stored, flags.out);
  return drifted ? EXIT.failed : EXIT.ok;
}

function printLogDrift(m: ModelMonitoring, stored: number, out?: string): void {
  const lines = [`${m.model} version ${m.version.version}: ${m.records.length.toLocaleString("en-US")} requests from ${m.log}, ${new Date(m.since).toISOString().slice(0, 16)} → ${new Date(m.until).toISOString().slice(0, 16)} UTC`, ""];
  if (m.windows.length === 0) lines.push("no requests in this period");
  else
    lines.push(
      table(
        m.windows.map((w) => {
          const metric = w.performance && Object.entries(w.performance.metrics)[0];
          return {
            window: w.start.slice(0, 16).replace("T", " "),
            requests: w.serving.requests,
            "error rate": w.serving.error_rate,
            "p95 ms": w.serving.latency_ms?.p95,
            "drift share": w.drift?.drift_share,
            drifted: w.drift ? w.drift.columns.filter((c) => c.drifted).map((c) => c.column).join(" ") || "—" : "",
            prediction: w.prediction_drift ? (w.prediction_drift.drifted ? "DRIFT" : "ok") : "",
            quality: w.quality?.findings.length,
            ...(metric ? { [metric[0]]: `${fmt(metric[1].estimate, 3)} [${fmt(metric[1].low, 3)}, ${fmt(metric[1].high, 3)}]`, labelled: w.performance!.labelled } : {}),
          };
        }),
      ),
    );
  const o = m.overall;
  if (o.drift) lines.push("", `${o.drift.dataset_drift ? "DATASET DRIFT" : "no dataset drift"} over the period: ${o.drift.number_of_drifted_columns} of ${o.drift.number_of_columns} columns drifted (share ${fmt(o.drift.drift_share)})${o.prediction_drift ? `; predictions ${o.prediction_drift.drifted ? "DRIFTED" : "stable"} (${o.prediction_drift.test} ${fmt(o.prediction_drift.statistic)})` : ""}`);
  for (const r of o.serving.rejections.slice(0, 5)) lines.push(`  rejected ${r.count}× (${r.status}${r.columns.length ? `, columns ${r.columns.join(", ")}` : ""}): ${r.example.error ?? ""}`);
  if (stored) lines.push("", `${stored} window result${stored > 1 ? "s" : ""} stored for charts`);
  if (out) lines.push(`report: ${out}`);
  process.stdout.write(lines.join("\n") + "\n");
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
