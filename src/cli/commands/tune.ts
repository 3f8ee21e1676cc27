/**
 * `keel tune`: only the tuning step of `keel run` — the studies of the candidates with a `tune:`
 * space; with `--queue`, the trials go to `keel tune worker` processes through PostgreSQL.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { parseStoreUri, resolveStoreUri } from "../../backend/index.js";
import { InvalidInputError } from "../../core/errors.js";
import { tuneProject, tuneWorker, type TuneSummary, type TuneWorkerSummary } from "../../pipeline/index.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";
import { parseDuration } from "./store-option.js";


export function registerTune(program: Command): void {
  const cmd = program
    .command("tune")
    .description(COMMAND_INFO.tune.description)
    .argument("[dir]", "the project folder holding keel.yaml (with a tune: block)", ".")
    .option("--trials <n>", "trials per tuned model (default: keel.yaml's tune.<model>.trials, else 50)", positiveInt("--trials"))
    .option("--timeout <duration>", "start no trial after this long, e.g. 10m, 1h (default: keel.yaml's tune.<model>.timeout, else none)")
    .option("--workers <n>", "trials evaluated at once in this process (default 1)", positiveInt("--workers"))
    .option("--queue", "enqueue the trials for `keel tune worker` processes (a postgres:// store) and wait for them, instead of running them here")
    .option("--study <name>", "with --queue: the study's name, which the workers are given (several tuned models: <name>-<model>)")
    .option("--force", "ignore a cached study and tune again")
    .option("--store <url>", "tracking store: a path or sqlite:, postgres://, http(s):// (default: KEEL_STORE, else <dir>/.keel/keel.db)")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"))
    .option("-o, --out <report.html>", "write the studies' self-contained HTML report (history, importance, parallel coordinates, slices)");
  jsonOption(cmd, "print the studies as JSON (best parameters and value, trials by state, importance)");
  withExamples(cmd, "keel tune examples/credit --trials 50 --out study.html", "keel tune . --timeout 10m --workers 2 --json", "keel tune . --queue --study credit-1 --trials 60 --store postgres://db/keel");
  cmd.action(
    action(async (dir: string, flags: { trials?: number; timeout?: string; workers?: number; queue?: boolean; study?: string; force?: boolean; store?: string; threads?: number; out?: string; json?: boolean }) => {
      const timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout, "--timeout");
      // a report that could not be written is refused before the tuning, not after it
      if (flags.out !== undefined && !existsSync(path.dirname(path.resolve(flags.out)))) {
        throw new UsageError(`--out ${JSON.stringify(flags.out)}: the folder ${path.dirname(path.resolve(flags.out))} does not exist`, { path: "--out", received: flags.out, expected: "a file in an existing folder" });
      }
      if (flags.queue) {
        if (!flags.study) throw new InvalidInputError("--queue needs --study <name>: the name the workers are started with", { path: "--study", expected: "a study name", received: null });
        needsPostgres(resolveStoreUri(flags.store, { projectDir: dir }), "keel tune --queue");
      }
      const s = await tuneProject({ project: dir, trials: flags.trials, timeoutMs, workers: flags.workers, force: flags.force, store: flags.store, threads: flags.threads, ...(flags.queue ? { queue: { study: flags.study! } } : {}) });
      if (flags.out) await writeReport(s, flags.out);
      if (flags.json) printJson({ ...s, studies: s.studies.map(({ history: _, ...t }) => t), ...(flags.out ? { report: flags.out } : {}) });
      else process.stdout.write(render(s) + (flags.out ? `\nreport: ${flags.out}` : "") + "\n");
      return EXIT.ok;
    }),
  );

  const worker = cmd
    .command("worker")
    .description("run trials of a study enqueued with `keel tune --queue`, from its PostgreSQL job queue, until the study is finished; start any number, on any machine")
    .argument("[dir]", "the project folder holding keel.yaml (the same project and data as the study's)", ".")
    // declared here for --help; `keel tune` has the same flags and commander gives them to it, so the action reads both
    .option("--store <url>", "the study's store: postgres:// (its job queue lives there); required")
    .option("--study <name>", "the study to work on (keel tune --queue --study <name>); required")
    .option("--heartbeat <duration>", "beat interval of a running trial, e.g. 10s; a worker silent for 6 beats is presumed dead and its trial retried (default: KEEL_HEARTBEAT_MS, else 10s)")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"));
  jsonOption(worker, "print what the worker did as JSON");
  withExamples(worker, "keel tune worker examples/credit --store postgres://db/keel --study credit-1", "keel tune worker . --store $KEEL_STORE --study credit-1 --heartbeat 5s --json");
  worker.action(
    action(async (dir: string, own: { store?: string; study?: string; heartbeat?: string; threads?: number; json?: boolean }, command: Command) => {
      const flags = { ...command.parent!.opts(), ...own } as typeof own;
      if (!flags.store) throw new UsageError("keel tune worker needs --store postgres://…: the study's store, where its job queue lives", { path: "--store", expected: "postgres://user@host/db", received: null });
      if (!flags.study) throw new UsageError("keel tune worker needs --study <name>: the study enqueued with keel tune --queue --study <name>", { path: "--study", expected: "a study name", received: null });
      needsPostgres(flags.store, "keel tune worker");
      const heartbeatMs = flags.heartbeat === undefined ? undefined : parseDuration(flags.heartbeat, "--heartbeat");
      if (heartbeatMs !== undefined && heartbeatMs < 1) throw new InvalidInputError(`--heartbeat ${flags.heartbeat} is too short: expected at least 1 ms`, { path: "--heartbeat", received: flags.heartbeat, expected: "e.g. 10s" });
      const onEvent = flags.json ? undefined : (e: { event: string; trial: number; attempt: number }) => process.stderr.write(`trial ${e.trial} (attempt ${e.attempt}): ${e.event}\n`);
      const s = await tuneWorker({ project: dir, store: flags.store, threads: flags.threads, worker: { study: flags.study, heartbeatMs, ...(onEvent ? { onEvent } : {}) } });
      if (flags.json) printJson(s);
      else process.stdout.write(renderWorker(s) + "\n");
      return EXIT.ok;
    }),
  );
}

/** Workers and the queue's owner need a PostgreSQL store: say so before walking the project. */
function needsPostgres(uri: string, what: string): void {
  const kind = parseStoreUri(uri).kind;
  if (kind !== "postgres") {
    throw new InvalidInputError(`${what} needs a postgres:// store (the job queue of distributed tuning lives in PostgreSQL); --store is ${uri} (${kind})`, { path: "--store", received: uri, expected: "postgres://user@host/db" });
  }
}

function render(s: TuneSummary): string {
  const L: string[] = [`${s.project}: tuning ${s.metric} (${s.greaterIsBetter ? "higher" : "lower"} is better), ${s.cv} on the training rows; the test set is not used`];
  for (const t of s.studies) {
    L.push("", `${t.model}: best ${s.metric} ${fmt(t.bestValue)} at trial ${t.bestTrial} of ${t.trials} (${Object.entries(t.states).map(([k, v]) => `${v} ${k}`).join(", ")})${t.cached ? " (cached)" : ""}`);
    L.push(table(Object.entries(t.bestParams).map(([param, value]) => ({ param, value: typeof value === "number" ? value : JSON.stringify(value) }))));
    if (t.importance) L.push(`importance (fANOVA): ${Object.entries(t.importance).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(", ")}`);
    L.push(`study ${t.study}${t.studyRunId ? `, run ${t.studyRunId}` : ""}`);
  }
  L.push("", `run ${s.runId}; ${fmt(s.seconds, 3)} s`);
  return L.join("\n");
}

function renderWorker(s: TuneWorkerSummary): string {
  const told = Object.entries(s.told).map(([k, v]) => `${v} ${k}`).join(", ") || "no trial";
  return `study ${s.study} (${s.model}) is finished: this worker told ${told}; it queued ${s.retried} retr${s.retried === 1 ? "y" : "ies"} of lost trials\nrun ${s.runId}; ${fmt(s.seconds, 3)} s`;
}

async function writeReport(s: TuneSummary, file: string): Promise<void> {
  const { studyReportHtml } = await import("../../tune/report-html.js");
  const direction = s.greaterIsBetter ? "maximize" : "minimize";
  const html = await studyReportHtml(
    s.studies.map((t) => ({ name: t.study, direction, trials: t.history, importance: t.importance, label: t.model, metric: s.metric })),
    { title: `${s.project}: tuning`, subtitle: `${s.metric} (${s.greaterIsBetter ? "higher" : "lower"} is better), ${s.cv} on the training rows; run ${s.runId}` },
  );
  writeFileSync(file, html);
}
