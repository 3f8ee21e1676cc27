/** `keel tune`: only the tuning step of `keel run` — the studies of the candidates with a `tune:` space. */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { tuneProject, type TuneSummary } from "../../pipeline/index.js";
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
    .option("--force", "ignore a cached study and tune again")
    .option("--store <url>", "tracking store: a path or sqlite:, postgres://, http(s):// (default: KEEL_STORE, else <dir>/.keel/keel.db)")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"))
    .option("-o, --out <report.html>", "write the studies' self-contained HTML report (history, importance, parallel coordinates, slices)");
  jsonOption(cmd, "print the studies as JSON (best parameters and value, trials by state, importance)");
  withExamples(cmd, "keel tune examples/credit --trials 50 --out study.html", "keel tune . --timeout 10m --workers 2 --json");
  cmd.action(
    action(async (dir: string, flags: { trials?: number; timeout?: string; workers?: number; force?: boolean; store?: string; threads?: number; out?: string; json?: boolean }) => {
      const timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout, "--timeout");
      // a report that could not be written is refused before the tuning, not after it
      if (flags.out !== undefined && !existsSync(path.dirname(path.resolve(flags.out)))) {
        throw new UsageError(`--out ${JSON.stringify(flags.out)}: the folder ${path.dirname(path.resolve(flags.out))} does not exist`, { path: "--out", received: flags.out, expected: "a file in an existing folder" });
      }
      const s = await tuneProject({ project: dir, trials: flags.trials, timeoutMs, workers: flags.workers, force: flags.force, store: flags.store, threads: flags.threads });
      if (flags.out) await writeReport(s, flags.out);
      if (flags.json) printJson({ ...s, studies: s.studies.map(({ history: _, ...t }) => t), ...(flags.out ? { report: flags.out } : {}) });
      else process.stdout.write(render(s) + (flags.out ? `\nreport: ${flags.out}` : "") + "\n");
      return EXIT.ok;
    }),
  );
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

async function writeReport(s: TuneSummary, file: string): Promise<void> {
  const { studyReportHtml } = await import("../../tune/report-html.js");
  const direction = s.greaterIsBetter ? "maximize" : "minimize";
  const html = await studyReportHtml(
    s.studies.map((t) => ({ name: t.study, direction, trials: t.history, importance: t.importance, label: t.model, metric: s.metric })),
    { title: `${s.project}: tuning`, subtitle: `${s.metric} (${s.greaterIsBetter ? "higher" : "lower"} is better), ${s.cv} on the training rows; run ${s.runId}` },
  );
  writeFileSync(file, html);
}
