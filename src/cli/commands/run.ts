/** `keel run`: the main job — from keel.yaml to a registered, honestly evaluated model. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { runProject, type RunSummary } from "../../pipeline/index.js";
import { verdictPasses } from "../../registry/index.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { fmt, printJson, table } from "../output.js";

export function registerRun(program: Command): void {
  const cmd = program
    .command("run")
    .description(COMMAND_INFO.run.description)
    .argument("[dir]", "the project folder holding keel.yaml", ".")
    .option("--force", "ignore cached steps and recompute everything")
    .option("--store <url>", "tracking store: a path or sqlite:, postgres://, http(s):// (default: KEEL_STORE, else <dir>/.keel/keel.db)")
    .option("--threads <n>", "worker threads (default: all cores)", positiveInt("--threads"));
  jsonOption(cmd, "print the run summary as JSON");
  cmd.addHelpText("after", "\nExit code 3: the run finished but the model is not good enough (below good_enough or not beating the\nbaseline); it is then registered without the @challenger alias.\n");
  withExamples(cmd, "keel run examples/credit", "keel run . --json");
  cmd.action(
    action(async (dir: string, flags: { force?: boolean; store?: string; threads?: number; json?: boolean }) => {
      const s = await runProject({ project: dir, force: flags.force, store: flags.store, threads: flags.threads });
      if (flags.json) printJson(s);
      else process.stdout.write(render(s) + "\n");
      return verdictPasses(s.verdict) ? EXIT.ok : EXIT.notGoodEnough;
    }),
  );
}

function render(s: RunSummary): string {
  const m = s.problem.metric;
  const L: string[] = [];
  L.push(`${s.project}: ${s.task} on ${s.problem.target} — ${s.data.rows.toLocaleString("en-US")} rows (train ${s.data.train.rows.toLocaleString("en-US")}, test ${s.data.test.rows.toLocaleString("en-US")} sealed), ${s.data.split}`);
  if (s.data.duplicates.exact || s.data.duplicates.near) L.push(`test rows duplicating training rows: ${s.data.duplicates.exact} exact${s.data.duplicates.near !== null ? `, ${s.data.duplicates.near} near` : ""}`);
  for (const note of s.data.schema.notes ?? []) L.push(`note: ${note}`);
  const afterTest = (w: { code: string }) => w.code === "PERFECT_TEST_SCORE";
  for (const w of s.warnings.filter((w) => !afterTest(w))) L.push(`warning ${w.code}: ${w.message}`);
  for (const c of s.bias?.columns ?? []) {
    const d = c.max_abs_dpl;
    const ci = c.max_abs_class_imbalance;
    L.push(`pre-training bias by ${c.column} (each group vs the rest): largest |DPL| ${d ? `${fmt(d.value)} (${d.group}${s.bias!.outcomes.length > 1 ? `, ${d.outcome}` : ""})` : "—"}, largest |CI| ${ci ? `${fmt(ci.value)} (${ci.group})` : "—"}`);
  }
  L.push("", `candidates (${s.cv}, ${m}${s.greaterIsBetter ? ", higher is better" : ", lower is better"}):`);
  L.push(
    table(
      s.candidates.map((c) => ({
        model: c.model + (c.model === s.chosen ? " *" : ""),
        [`${m} mean`]: c.cv.mean,
        std: c.cv.std,
        ...Object.fromEntries(s.problem.guards.map((g) => [g, c.metrics[g]?.mean])),
        "fit s": c.fitSeconds,
        cached: c.cached ? "yes" : "",
      })),
    ),
  );
  L.push("", `chosen: ${s.choice}`);
  const d = s.decision;
  if (d) {
    if (d.calibration !== "none") L.push(`calibration: ${d.calibration}, cross-fitted on the ${s.cv.split(" (")[0]} folds of the training rows`);
    if (d.threshold !== null) L.push(`decision threshold: ${s.problem.target} = ${d.positive} when P(${d.positive}) ≥ ${fmt(d.threshold)} (${d.rule}${d.oof ? `: ${d.oof.name} ${fmt(d.oof.value)} over ${d.oof.rows} rows` : ""})`);
  }
  L.push(`${s.chosen} on the test set, ${s.test.rows} rows, evaluated once (95% intervals: plain bootstrap over rows, ${s.test.bootstrapRounds} resamples):`);
  L.push(table(Object.entries(s.test.metrics).map(([k, v]) => ({ metric: k, value: v, low: s.test.intervals[k]?.low, high: s.test.intervals[k]?.high }))));
  for (const w of s.warnings.filter(afterTest)) L.push(`warning ${w.code}: ${w.message}`);
  for (const col of Object.keys(s.subgroups)) {
    const g = s.gaps[col]?.[m];
    const note = s.test.subgroupNotes?.[col];
    if (g) L.push(`subgroups by ${col}: largest ${m} gap ${fmt(g.gap)} (${g.highest} vs ${g.lowest})`);
    else if (note) L.push(`subgroups by ${col}: ${note}`);
  }
  const v = s.verdict;
  L.push("");
  L.push(`verdict: ${v.goodEnough === null ? "no good_enough bar set" : v.goodEnough ? `good enough (${fmt(v.value)} vs bar ${v.bar})` : `NOT good enough (${fmt(v.value)} vs bar ${v.bar})`}; ${v.beatsBaseline ? "beats" : "does NOT beat"} the baseline ${s.baseline.model} (${fmt(s.baseline.value)})`);
  const r = s.registered;
  if (r === null) L.push("not registered: the model is not good enough and keel.yaml says not to register such models");
  else {
    const as = r.alias === null ? "without the @challenger alias (not good enough)" : `as @${r.alias}`;
    L.push(`registered: ${r.name} version ${r.version} ${as}${r.reused ? " (same model as before: version reused)" : ""}`);
    L.push(`model folder: ${r.dir ?? r.source}`);
  }
  if (s.gates) {
    const g = s.gates;
    const against = g.champion === null ? "no @champion yet" : `against @champion (version ${g.champion})`;
    L.push(g.passed ? `promotion gates (${against}): all ${g.gates.length} pass — keel promote ${s.project} ${r?.version ?? "<version>"} --to champion` : `promotion gates (${against}): ${g.failing.length} of ${g.gates.length} fail: ${g.gates.filter((x) => !x.passed).map((x) => `${x.gate} (${x.message})`).join("; ")}`);
  }
  L.push(`run ${s.runId}; ${s.cache.hits} cached steps, ${s.cache.misses} computed; ${fmt(s.seconds, 3)} s`);
  return L.join("\n");
}
