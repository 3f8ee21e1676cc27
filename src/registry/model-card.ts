/**
 * The model card (Mitchell et al., "Model Cards for Model Reporting", FAT* 2019), as Markdown:
 * what the model is for, the data, how it was chosen, how well it does on the sealed test set
 * (with intervals), how it does for each protected group, and what it was not checked for. It is
 * written from `ModelCardFacts` — what the walk that produced the version knew (`keel run`'s
 * summary is one) — and kept with the version in the registry.
 */
import { type Verdict, verdictPasses } from "./verdict.js";

/** What a model card is written from. */
export interface ModelCardFacts {
  /** The run that produced the model. */
  runId: string;
  /** The registered model's name. */
  project: string;
  task: string;
  problem: { target: string; positive?: string | null; metric: string; guards: readonly string[]; good_enough: number | null; why?: string | null };
  greaterIsBetter: boolean;
  data: {
    source: string;
    rows: number;
    /** Content hash of the labelled rows: the one data hash of the version's lineage. */
    hash: string;
    missingTarget: number;
    dropped: readonly string[];
    time: string | null;
    split: string;
    train: { rows: number; hash: string };
    test: { rows: number; hash: string };
    duplicates: { exact: number; near: number | null; nearThreshold: number | null };
  };
  /** How the candidates were cross-validated. */
  cv: string;
  candidates: readonly { model: string; cv: { mean: number; std: number }; fitSeconds: number }[];
  chosen: string;
  chosenKind: string;
  chosenParams: Readonly<Record<string, unknown>>;
  test: {
    rows: number;
    metrics: Readonly<Record<string, number>>;
    intervals: Readonly<Record<string, { low: number; high: number }>>;
    bootstrapRounds: number;
    confusion?: { labels: readonly string[]; matrix: readonly (readonly number[])[] };
  };
  baseline: { model: string; value: number };
  /** Per protected column: group → metrics and n. */
  subgroups: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
  gaps: Readonly<Record<string, Readonly<Record<string, { gap: number; highest: string; lowest: string }>>>>;
  verdict: Verdict;
  /** Calibration and decision threshold saved with the model (keel.yaml's problem.calibration / problem.threshold). */
  decision?: { calibration: string; threshold: number | null; positive: string | null; rule: string | null } | null;
  git: { commit: string; dirty: boolean } | null;
  keelVersion: string;
}

const f = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || Number.isNaN(v) ? "—" : Number(v.toPrecision(digits)).toString());

/**
 * The model card as Markdown. `minGroupRows`: the smallest group the largest subgroup gap counts.
 *
 * @example
 * await run.logText("model_card.md", modelCard(summary, { version: "3", warnings: [], minGroupRows: 30 }));
 */
export function modelCard(s: ModelCardFacts, context: { version?: string; warnings: readonly string[]; minGroupRows: number }): string {
  const L: string[] = [];
  const p = s.problem;
  L.push(`# ${s.project}${context.version ? ` — version ${context.version}` : ""}`, "");
  if (p.why) L.push(`> ${p.why}`, "");
  L.push("## Problem", "");
  L.push(`- Task: ${s.task}${p.positive ? ` (positive class: \`${p.positive}\`)` : ""}; target \`${p.target}\``);
  L.push(`- Primary metric: \`${p.metric}\`${p.guards.length ? `; guards: ${p.guards.map((g) => `\`${g}\``).join(", ")}` : ""}`);
  L.push(`- Good enough: ${p.good_enough === null ? "not set" : `\`${p.metric}\` ${s.greaterIsBetter ? "≥" : "≤"} ${p.good_enough} on the held-out test set`}`, "");
  L.push("## Data", "");
  L.push(`- Source: \`${s.data.source}\` — ${s.data.rows} labelled rows (content hash \`${s.data.hash.slice(0, 12)}\`)${s.data.missingTarget ? `; ${s.data.missingTarget} rows without a target left out` : ""}`);
  if (s.data.dropped.length) L.push(`- Columns left out: ${s.data.dropped.map((c) => `\`${c}\``).join(", ")}`);
  L.push(`- Split: ${s.data.split}; train ${s.data.train.rows} rows (\`${s.data.train.hash.slice(0, 12)}\`), test ${s.data.test.rows} rows (\`${s.data.test.hash.slice(0, 12)}\`), sealed until the final evaluation`);
  L.push(`- Test rows duplicating a training row: ${s.data.duplicates.exact} exact${s.data.duplicates.near === null ? "" : `, ${s.data.duplicates.near} near (Jaccard ≥ ${s.data.duplicates.nearThreshold})`}`, "");
  L.push("## How the model was chosen", "");
  L.push(`Every candidate was cross-validated on the training rows only (${s.cv}), preprocessing inside the folds.`, "");
  L.push(`| model | ${p.metric} (CV mean ± std) | fit seconds |`, "|---|---|---|");
  for (const c of s.candidates) L.push(`| ${c.model}${c.model === s.chosen ? " **(chosen)**" : ""} | ${f(c.cv.mean)} ± ${f(c.cv.std, 2)} | ${f(c.fitSeconds, 3)} |`);
  L.push("", `Chosen: **${s.chosen}** (\`${s.chosenKind}\`) with parameters \`${JSON.stringify(s.chosenParams)}\`, refitted on all training rows.`, "");
  const d = s.decision;
  if (d && d.calibration !== "none") L.push(`- Probabilities calibrated (${d.calibration === "sigmoid" ? "Platt's sigmoid" : "isotonic regression"}): the model is the mean of copies cross-fitted on the training folds, each calibrated on the fold it did not see.`);
  if (d && d.threshold !== null) L.push(`- Decision threshold: \`${p.target}\` = \`${d.positive}\` when P(${d.positive}) ≥ ${f(d.threshold)} — ${d.rule}; the test metrics below are at this threshold.`);
  if (d) L.push("");
  L.push(`## Test set (${s.test.rows} rows, evaluated once)`, "");
  L.push("| metric | value | 95% interval |", "|---|---|---|");
  for (const [m, v] of Object.entries(s.test.metrics)) {
    const ci = s.test.intervals[m];
    L.push(`| ${m} | ${f(v)} | ${ci ? `${f(ci.low)} – ${f(ci.high)}` : "—"} |`);
  }
  L.push("", `Intervals: percentile bootstrap, ${s.test.bootstrapRounds} resamples${s.task === "regression" ? "" : ", stratified by class"}.`, "");
  if (s.test.confusion) {
    const c = s.test.confusion;
    L.push("Confusion matrix (rows: true class, columns: predicted):", "");
    L.push(`| | ${c.labels.map((l) => `pred ${l}`).join(" | ")} |`, `|---|${c.labels.map(() => "---").join("|")}|`);
    c.matrix.forEach((row, i) => L.push(`| true ${c.labels[i]} | ${row.join(" | ")} |`));
    L.push("");
  }
  L.push("## Verdict", "");
  const v = s.verdict;
  L.push(`- Good enough: ${v.goodEnough === null ? "no bar set" : v.goodEnough ? `**yes** — ${f(v.value)} against the bar ${p.good_enough}` : `**no** — ${f(v.value)} against the bar ${p.good_enough}`}`);
  L.push(`- Beats the baseline (${s.baseline.model}): ${v.beatsBaseline ? "**yes**" : "**no**"} — ${f(v.value)} against ${f(s.baseline.value)} on the same test rows`);
  L.push(`- Eligible for promotion: ${verdictPasses(v) ? "yes (registered as `@challenger`)" : "**no** — registered without the `@challenger` alias"}`, "");
  if (Object.keys(s.subgroups).length > 0) {
    L.push("## Subgroups", "");
    for (const [col, groups] of Object.entries(s.subgroups)) {
      const names = [...new Set(Object.values(groups).flatMap((g) => Object.keys(g)))].filter((k) => k !== "n");
      L.push(`### ${col}`, "", `| group | n | ${names.join(" | ")} |`, `|---|---|${names.map(() => "---").join("|")}|`);
      for (const [g, m] of Object.entries(groups)) L.push(`| ${g} | ${m.n} | ${names.map((k) => f(m[k])).join(" | ")} |`);
      const gap = s.gaps[col]?.[p.metric];
      if (gap) L.push("", `Largest gap in \`${p.metric}\`: ${f(gap.gap)} (${gap.highest} vs ${gap.lowest}; groups of ${context.minGroupRows}+ rows).`);
      L.push("");
    }
  }
  L.push("## Limitations", "");
  L.push(`- One held-out test set of ${s.test.rows} rows; the intervals show how much the figures could move on another sample from the same source.`);
  if (s.data.time) L.push(`- Trained on data up to the split point in \`${s.data.time}\`; later data may drift — monitor it.`);
  else L.push("- The split is random: if the data changes over time, performance on future data may be lower than measured here.");
  if (Object.keys(s.subgroups).length === 0) L.push("- No protected columns were named: subgroup performance was not checked.");
  L.push(`- Groups under ${context.minGroupRows} rows are listed but not used for the largest gap; their figures are noisy.`);
  for (const w of context.warnings) L.push(`- Profile warning: ${w}`);
  L.push("", "## Lineage", "");
  L.push(`- Run: \`${s.runId}\``, `- Data hash: \`${s.data.hash}\``, `- Train / test hashes: \`${s.data.train.hash}\` / \`${s.data.test.hash}\``);
  if (s.git) L.push(`- Code: git \`${s.git.commit}\`${s.git.dirty ? " (uncommitted changes)" : ""}`);
  L.push(`- Keel ${s.keelVersion}`, "");
  return L.join("\n");
}
