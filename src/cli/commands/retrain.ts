/** `keel retrain`: one step of the retraining loop (`pipeline/retrain.ts`) — train on fresh data, shadow, promote. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { retrainProject, type RetrainResult } from "../../pipeline/index.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { printJson } from "../output.js";
import { renderGates } from "./promote.js";

export interface RetrainFlags {
  data?: string;
  ifTriggered?: boolean;
  promote?: boolean;
  store?: string;
  logDir?: string;
  threads?: number;
  json?: boolean;
}

export function registerRetrain(program: Command): void {
  const cmd = program
    .command("retrain")
    .description(COMMAND_INFO.retrain.description)
    .argument("[dir]", "the project folder holding keel.yaml (its retrain: block)", ".")
    .option("--data <file>", "fresh labelled data to train on (default: keel.yaml's retrain.data, else data.source)")
    .option("--if-triggered", "train only when a retrain.triggers bound fires on the stored monitoring windows (for a CronJob)")
    .option("--promote", "only evaluate the challenger in shadow: promote it when its shadow phase is over and the gates pass; never train")
    .option("--store <url>", "tracking store: a SQLite path, postgres://... or a keel server URL (default: KEEL_STORE, else <dir>/.keel/keel.db)")
    .option("--log-dir <dir>", "the prediction log's JSON-lines folder, for the shadow answers (default: a PostgreSQL store's tables, else <dir>/.keel/predictions)")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"));
  jsonOption(cmd, "print {model, outcome, version, champion, message, trigger, shadow, gates, run, promotion} as JSON");
  cmd.addHelpText(
    "after",
    "\nOne step per call: a challenger in shadow is evaluated first (promoted once its shadow phase is over and the\n" +
      "gates pass); otherwise the project is run on the fresh data and the candidate is compared with @champion on\n" +
      "the new run's sealed test rows. Outcomes: promoted, shadow, shadow_pending, ready, rejected, not_good_enough,\n" +
      "unchanged, not_triggered, nothing_pending.\nExit code 3: the candidate is not good enough (rejected or not_good_enough); @champion does not move.\n",
  );
  withExamples(cmd, "keel retrain examples/credit --data fresh.csv", "keel retrain . --if-triggered --json", "keel retrain . --promote");
  cmd.action(
    action(async (dir: string, flags: RetrainFlags) => {
      if (flags.promote && (flags.data || flags.ifTriggered)) throw new UsageError(`--promote only evaluates the challenger in shadow; it does not go with ${flags.data ? "--data" : "--if-triggered"}`, { path: "--promote", expected: "--promote alone, or --data / --if-triggered without it", received: flags.data ? "--data" : "--if-triggered" });
      const r = await retrainStep(dir, flags);
      if (flags.json) printJson(r);
      else process.stdout.write(renderRetrain(r) + "\n");
      return retrainExitCode(r);
    }),
  );
}

/**
 * One retrain step as `keel retrain` runs it. `keel monitor watch` calls it each tick with
 * `ifTriggered` (what `keel retrain --if-triggered` runs): a challenger in shadow is evaluated first,
 * else the project retrains only when a `retrain.triggers` bound fires on the stored monitoring windows.
 */
export function retrainStep(dir: string, flags: RetrainFlags): Promise<RetrainResult> {
  return retrainProject({ project: dir, data: flags.data, store: flags.store, logDir: flags.logDir, threads: flags.threads, ifTriggered: flags.ifTriggered, promoteOnly: flags.promote });
}

/** Exit 3 when the candidate is not good enough (rejected or not_good_enough), else 0. */
export function retrainExitCode(r: RetrainResult): number {
  return r.outcome === "rejected" || r.outcome === "not_good_enough" ? EXIT.notGoodEnough : EXIT.ok;
}

/** The text form of one retrain step, one fact a line, the outcome last. */
export function renderRetrain(r: RetrainResult): string {
  const L: string[] = [];
  if (r.trigger) L.push(r.trigger.retrain ? `triggered: ${r.trigger.fired.map((f) => f.message).join("; ")}` : "no trigger fired");
  if (r.run) L.push(`trained on ${r.run.dataSource}: ${r.run.rows.toLocaleString("en-US")} rows (${r.run.testRows.toLocaleString("en-US")} sealed as the fresh holdout), run ${r.run.runId}`);
  if (r.shadow) L.push(`shadow since ${new Date(r.shadow.since).toISOString()}: ${r.shadow.message}`);
  if (r.gates) L.push(`gates on ${r.gates.rows} rows (${r.gates.metric} ${r.gates.value}):`, renderGates(r.gates));
  L.push(`${r.outcome}: ${r.message}`);
  return L.join("\n");
}
