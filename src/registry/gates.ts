/**
 * Promotion gates: what a version must pass before `@champion` moves to it, evaluated on one set
 * of labelled rows (the sealed test set of the run that produced the version, or a file):
 * - `good_enough` — the primary metric reaches `problem.good_enough` (the one place for the bar);
 * - `champion` — no regression against the current `@champion` on the same rows beyond
 *   `max_drop`, counted only when significant at `alpha` (DeLong for ROC AUC, McNemar for
 *   accuracy, the paired bootstrap otherwise: `evaluate/compare`);
 * - `fairness:<metric>:<column>` — Fairlearn's parity numbers within bounds (`evaluate/fairness.ts`, every group counted as Fairlearn does);
 * - `latency` — the median over `repeats` measurements of the p99 of `requests` single-row
 *   predictions stays within `p99_ms × (1 + tolerance)`;
 * - `size` — the model's bytes on disk within `max_size_mb`;
 * - `robustness` — no probe (`evaluate/robustness.ts`) drops the metric by more than its bound;
 * - `data_checks` — the rows pass the project's data expectations (when the caller checked them).
 * Every gate is evaluated (none short-circuits), so a refusal lists every failing gate.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Frame } from "../data/index.js";
import type { Fitted } from "../estimator/index.js";
import { type ModelComparison, compareModels } from "../evaluate/compare/index.js";
import { describeProbe, robustnessProbes, type RobustnessReport, type ScoreJob, predictionsFor, scorePredictions, type FairnessReport, fairnessReport, groupsOf } from "../evaluate/index.js";
import type { GatesConfig } from "./gates-config.js";

export { DEFAULT_GATES, type FairnessMetric, type GatesConfig } from "./gates-config.js";

/** One promotion gate: whether it passed, the measured value and the bound. */
export interface GateResult {
  /** `good_enough`, `champion`, `fairness:<metric>:<column>`, `latency`, `size`, `robustness`, `data_checks`. */
  gate: string;
  passed: boolean;
  /** What was measured, in the bound's units (NaN when it could not be). */
  value: number | null;
  /** The bound, said as the gate reads it ("≥ 0.8", "≤ 12 ms"). */
  bound: string;
  /** One line a reviewer reads. */
  message: string;
}

/** Every promotion gate of a candidate, with the comparison, fairness, latency, robustness and size measurements behind them. */
export interface GatesReport {
  passed: boolean;
  gates: GateResult[];
  /** Names of the failing gates. */
  failing: string[];
  rows: number;
  metric: string;
  /** The primary metric of the candidate on the rows. */
  value: number;
  comparison: ModelComparison | null;
  fairness: Record<string, FairnessReport>;
  latency: { p99Ms: number[]; medianP99Ms: number } | null;
  robustness: RobustnessReport | null;
  sizeBytes: number | null;
}

/** What `evaluateGates` measures: the candidate (and champion), the rows, the metric and the configured bounds. */
export interface GateInputs {
  candidate: Fitted;
  /** The candidate's folder or archive (for the size gate). */
  candidateDir: string | null;
  /** The current champion, when there is one. */
  champion: { fitted: Fitted; version: string } | null;
  /** Labelled rows (the target included). */
  rows: Frame;
  /** Target, task, classes; metrics must hold `metric`. */
  job: ScoreJob;
  metric: string;
  greaterIsBetter: boolean;
  goodEnough: number | null;
  protectedColumns: readonly string[];
  gates: GatesConfig;
  seed: number;
  /** The data checks' outcome when the caller ran them (a file given with --data). */
  dataChecks?: { ok: boolean; failed: number; problems: string[] } | null;
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v));

/**
 * Bytes of a model folder (every file below it) or archive.
 * @example
 * ```ts
 * modelBytes("credit-model"); // bytes on disk
 * ```
 */
export function modelBytes(dirOrFile: string): number {
  if (!existsSync(dirOrFile)) return NaN;
  const st = statSync(dirOrFile);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of readdirSync(dirOrFile, { withFileTypes: true })) total += modelBytes(path.join(dirOrFile, e.name));
  return total;
}

/**
 * Single-row predict latency: `repeats` measurements of `requests` one-row predictions each
 * (rows taken in turn from `rows`, after a warm-up), the p99 of each in milliseconds.
 * @example
 * ```ts
 * const p99s = singleRowLatency(model, test, "Status", { repeats: 5, requests: 200 });
 * ```
 */
export function singleRowLatency(fitted: Fitted, rows: Frame, target: string, options: { repeats: number; requests: number }): number[] {
  const features = rows.drop([target]);
  const one = Array.from({ length: Math.min(rows.nRows, 64) }, (_, i) => features.take([i]));
  const predict = (f: Frame) => (fitted as unknown as { predict(f: Frame): unknown }).predict(f);
  for (let i = 0; i < Math.min(50, options.requests); i++) predict(one[i % one.length]);
  const p99s: number[] = [];
  const times = new Float64Array(options.requests);
  for (let r = 0; r < options.repeats; r++) {
    for (let i = 0; i < options.requests; i++) {
      const t0 = performance.now();
      predict(one[i % one.length]);
      times[i] = performance.now() - t0;
    }
    const sorted = Float64Array.from(times).sort();
    p99s.push(sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]);
  }
  return p99s;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Evaluate every configured gate for a candidate on labelled rows; see the module comment.
 *
 * @example
 * const report = evaluateGates({ candidate, candidateDir, champion, rows, job, metric: "roc_auc", greaterIsBetter: true, goodEnough: 0.8, protectedColumns: ["Marital"], gates, seed: 42 });
 * if (!report.passed) console.log("refused:", report.failing.join(", "));
 */
export function evaluateGates(i: GateInputs): GatesReport {
  const g = i.gates;
  const gates: GateResult[] = [];
  const candidate = predictionsFor(i.candidate, i.rows, i.job);
  const value = scorePredictions(candidate, [i.metric]).metrics[i.metric];
  const reaches = (v: number, bar: number) => (i.greaterIsBetter ? v >= bar : v <= bar);

  if (i.goodEnough !== null) {
    const ok = reaches(value, i.goodEnough);
    gates.push({ gate: "good_enough", passed: ok, value, bound: `${i.greaterIsBetter ? "≥" : "≤"} ${i.goodEnough}`, message: `${i.metric} ${fmt(value)} ${ok ? "reaches" : "is short of"} problem.good_enough ${i.goodEnough}` });
  }

  let comparison: ModelComparison | null = null;
  if (g.champion && i.champion) {
    comparison = compareModels(candidate, predictionsFor(i.champion.fitted, i.rows, i.job), i.metric, { seed: i.seed });
    const drop = -comparison.improvement;
    const significant = comparison.pValue < g.champion.alpha;
    const ok = !(drop > g.champion.max_drop && significant);
    const versus = `${i.metric} ${fmt(comparison.candidate)} vs @champion (version ${i.champion.version}) ${fmt(comparison.champion)}: ${drop > 0 ? `drop ${fmt(drop)}` : `gain ${fmt(-drop)}`}, ${comparison.test} p = ${fmt(comparison.pValue)}, 95% interval of the difference [${fmt(comparison.interval.low)}, ${fmt(comparison.interval.high)}]`;
    gates.push({
      gate: "champion",
      passed: ok,
      value: drop,
      bound: `drop ≤ ${g.champion.max_drop} unless not significant at ${g.champion.alpha}`,
      message: ok ? `${versus}: no significant regression beyond ${g.champion.max_drop}` : `${versus}: a significant regression beyond ${g.champion.max_drop}`,
    });
  }

  const fairness: Record<string, FairnessReport> = {};
  for (const bound of g.fairness) {
    const columns = bound.columns ?? [...i.protectedColumns];
    const bounds = `${bound.min !== null ? `≥ ${bound.min}` : ""}${bound.min !== null && bound.max !== null ? " and " : ""}${bound.max !== null ? `≤ ${bound.max}` : ""}`;
    if (i.job.task !== "binary" || !candidate.labels) {
      gates.push({ gate: `fairness:${bound.metric}`, passed: false, value: null, bound: bounds, message: `${bound.metric} is defined for binary tasks; this one is ${i.job.task}` });
      continue;
    }
    if (columns.length === 0) {
      gates.push({ gate: `fairness:${bound.metric}`, passed: false, value: null, bound: bounds, message: `${bound.metric} needs columns: none under the bound's columns nor problem.protected` });
      continue;
    }
    for (const col of columns) {
      const name = `fairness:${bound.metric}:${col}`;
      if (!i.rows.has(col)) {
        gates.push({ gate: name, passed: false, value: null, bound: bounds, message: `column ${col} is not in the rows the gates are evaluated on` });
        continue;
      }
      // a predicted class outside the job's two (code 2) is no positive decision
      fairness[col] ??= fairnessReport(col, groupsOf(i.rows.column(col)), candidate.yTrue, Int32Array.from(candidate.labels, (l) => (l === 1 ? 1 : 0)));
      const v = fairness[col][bound.metric];
      const ok = Number.isFinite(v) && (bound.min === null || v >= bound.min) && (bound.max === null || v <= bound.max);
      const rates = fairness[col].groups.map((r) => `${r.group}: ${fmt(r.selection_rate)} (n ${r.count})`).join(", ");
      gates.push({ gate: name, passed: ok, value: v, bound: bounds, message: `${bound.metric} over ${col} is ${Number.isNaN(v) ? "undefined (a rate is 0 in every group, or a group lacks positive or negative rows)" : fmt(v)}, expected ${bounds} (selection rates ${rates})` });
    }
  }

  let latency: GatesReport["latency"] = null;
  if (g.latency) {
    const p99Ms = singleRowLatency(i.candidate, i.rows, i.job.target, g.latency);
    const m = median(p99Ms);
    const limit = g.latency.p99_ms * (1 + g.latency.tolerance);
    latency = { p99Ms, medianP99Ms: m };
    const ok = m <= limit;
    gates.push({ gate: "latency", passed: ok, value: m, bound: `p99 ≤ ${g.latency.p99_ms} ms (+${g.latency.tolerance * 100}%)`, message: `single-row predict p99 ${fmt(m)} ms (median of ${p99Ms.length} runs of ${g.latency.requests}) ${ok ? "within" : "over"} ${fmt(limit)} ms` });
  }

  let sizeBytes: number | null = null;
  if (g.max_size_mb !== null) {
    sizeBytes = i.candidateDir ? modelBytes(i.candidateDir) : NaN;
    const mb = sizeBytes / 1e6;
    const ok = mb <= g.max_size_mb;
    gates.push({ gate: "size", passed: ok, value: mb, bound: `≤ ${g.max_size_mb} MB`, message: Number.isNaN(mb) ? "the model's files are not on this machine to measure" : `model size ${fmt(mb)} MB ${ok ? "within" : "over"} ${g.max_size_mb} MB` });
  }

  let robustness: RobustnessReport | null = null;
  if (g.robustness) {
    const r = g.robustness;
    robustness = robustnessProbes(i.candidate, i.rows, i.job, { metric: i.metric, maxDrop: r.max_drop, noise: r.noise, missing: r.missing, unseen: r.unseen, outOfRange: r.out_of_range, seed: i.seed });
    const flagged = robustness.probes.filter((p) => p.flagged);
    const worst = Math.max(...robustness.probes.map((p) => (Number.isNaN(p.drop) ? Infinity : p.drop)), 0);
    gates.push({
      gate: "robustness",
      passed: flagged.length === 0,
      value: worst,
      bound: `drop ≤ ${r.max_drop} under every probe`,
      message: flagged.length === 0 ? `largest ${i.metric} drop under the probes ${fmt(worst)} ≤ ${r.max_drop}` : `${flagged.length} probe${flagged.length > 1 ? "s" : ""} past the bound: ${flagged.map((p) => describeProbe(p, i.metric)).join("; ")}`,
    });
  }

  if (g.data_checks && i.dataChecks) {
    const d = i.dataChecks;
    gates.push({ gate: "data_checks", passed: d.ok, value: d.failed, bound: "0 failed expectations", message: d.ok ? "the rows pass every expectation of keel.schema.json" : `${d.failed} expectation${d.failed > 1 ? "s" : ""} failed: ${d.problems.slice(0, 5).join("; ")}` });
  }

  const failing = gates.filter((x) => !x.passed).map((x) => x.gate);
  return { passed: failing.length === 0, gates, failing, rows: i.rows.nRows, metric: i.metric, value, comparison, fairness, latency, robustness, sizeBytes };
}

