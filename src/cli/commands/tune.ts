/** `keel tune`: only the tuning step of `keel run` — the studies of the candidates with a `tune:` space. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { tuneProject, type TuneSummary } from "../../pipeline/index.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { EXIT } from "../exit-codes.js";
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
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"));
  jsonOption(cmd, "print the studies as JSON");
  withExamples(cmd, "keel tune examples/credit --trials 50", "keel tune . --timeout 10m --workers 2 --json");
  cmd.action(
    action(async (dir: string, flags: { trials?: number; timeout?: string; workers?: number; force?: boolean; store?: string; threads?: number; json?: boolean }) => {
      const timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout, "--timeout");
      const s = await tuneProject({ project: dir, trials: flags.trials, timeoutMs, workers: flags.workers, force: flags.force, store: flags.store, threads: flags.threads });
      if (flags.json) printJson(s);
      else process.stdout.write(render(s) + "\n");
      return EXIT.ok;
    }),
  );
}

function render(s: TuneSummary): string {
  const L: string[] = [`${s.project}: tuning ${s.metric} (${s.greaterIsBetter ? "higher" : "lower"} is better), ${s.cv} on the training rows; the test set is not used`];
  for (const t of s.studies) {
    L.push("", `${t.model}: best ${s.metric} ${fmt(t.bestValue)} at trial ${t.bestTrial} of ${t.trials} (${Object.entries(t.states).map(([k, v]) => `${v} ${k}`).join(", ")})${t.cached ? " (cached)" : ""}`);
    L.push(table(Object.entries(t.bestParams).map(([param, value]) => ({ param, value: typeof value === "number" ? value : JSON.stringify(value) }))));
    L.push(`study ${t.study}${t.studyRunId ? `, run ${t.studyRunId}` : ""}`);
  }
  L.push("", `run ${s.runId}; ${fmt(s.seconds, 3)} s`);
  return L.join("\n");
}
