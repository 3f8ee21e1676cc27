/**
 * Robustness probes: how much a model's metric moves when its inputs are disturbed the ways
 * production data disturbs them — Gaussian noise on numeric features, missing values, categories
 * never seen in training, and values outside the training range. Each probe perturbs a copy of
 * the labelled rows (the target untouched), predicts, and reports the metric, its change from the
 * clean rows and a flag when the drop exceeds the bound. A model that refuses the perturbed
 * input (say, missing values it cannot take) fails the probe with the reason. Seeded: the same
 * seed perturbs the same cells the same way.
 *
 * - `gaussian_noise`: x + N(0, (σ·sd)²) on every finite value of each numeric feature, sd the
 *   column's population standard deviation on these rows, σ = `noise` (default 0.1).
 * - `missing_values`: a share `missing` (default 0.1) of the rows of each feature set missing.
 * - `unseen_categories`: a share `unseen` (default 0.1) of the rows of each categorical feature
 *   set to a category the model never saw.
 * - `out_of_range`: a share `outOfRange` (default 0.1) of the rows of each numeric feature set
 *   one range beyond the observed extremes (max + (max − min) or min − (max − min), alternately).
 */
import { isKeelError, show, Rng } from "../core/index.js";
import { type Column, MISSING_BOOL, type Frame } from "../data/index.js";
import type { Fitted } from "../estimator/index.js";
import { scorer } from "../metrics/index.js";
import { type ScoreJob, predictionsFor, scorePredictions } from "./score.js";

export type ProbeName = "gaussian_noise" | "missing_values" | "unseen_categories" | "out_of_range";
export const PROBES: readonly ProbeName[] = ["gaussian_noise", "missing_values", "unseen_categories", "out_of_range"];

export interface RobustnessOptions {
  /** The metric to watch (a scikit-learn scorer name; default the job's first metric). */
  metric?: string;
  /** Noise σ as a share of each numeric column's standard deviation (default 0.1). */
  noise?: number;
  /** Share of rows set missing per feature (default 0.1). */
  missing?: number;
  /** Share of rows given an unseen category per categorical feature (default 0.1). */
  unseen?: number;
  /** Share of rows set out of range per numeric feature (default 0.1). */
  outOfRange?: number;
  /** Largest acceptable drop of the metric (in its units, the worse direction); default 0.05. */
  maxDrop?: number;
  /** Probes to run (default all). */
  probes?: readonly ProbeName[];
  seed?: number;
}

export interface ProbeResult {
  probe: ProbeName;
  /** What was perturbed: the setting and the columns touched. */
  setting: number;
  columns: string[];
  /** The metric on the perturbed rows (NaN when the model refused them). */
  value: number;
  /** value − clean value. */
  change: number;
  /** How much worse than on clean rows (> 0 is worse, whatever the metric's direction). */
  drop: number;
  /** The drop exceeds `maxDrop`, or the model refused the perturbed rows. */
  flagged: boolean;
  /** Why the model could not predict the perturbed rows. */
  error?: string;
}

export interface RobustnessReport {
  metric: string;
  /** The metric on the clean rows. */
  clean: number;
  maxDrop: number;
  seed: number;
  probes: ProbeResult[];
  /** Probes skipped because no feature of their kind exists (e.g. no categorical column). */
  skipped: { probe: ProbeName; reason: string }[];
}

/** A unique label no category of the column has. */
function unseenLabel(categories: readonly string[]): string {
  let label = "__keel_unseen__";
  while (categories.includes(label)) label += "_";
  return label;
}

function chooseRows(n: number, share: number, rng: Rng): Int32Array {
  return rng.sampleWithoutReplacement(n, Math.max(n > 0 ? 1 : 0, Math.round(share * n)));
}

function withMissing(c: Column, rows: Int32Array): Column {
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      const v = Float64Array.from(c.values);
      for (const i of rows) v[i] = NaN;
      return { kind: c.kind, values: v };
    }
    case "categorical": {
      const codes = Int32Array.from(c.codes);
      for (const i of rows) codes[i] = -1;
      return { kind: "categorical", codes, categories: c.categories };
    }
    case "boolean": {
      const v = Uint8Array.from(c.values);
      for (const i of rows) v[i] = MISSING_BOOL;
      return { kind: "boolean", values: v };
    }
    case "text": {
      const v = [...c.values];
      for (const i of rows) v[i] = null;
      return { kind: "text", values: v };
    }
  }
}

function populationStd(values: Float64Array): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  return n > 0 ? Math.sqrt(m2 / n) : NaN;
}

/** The rows with one probe applied to every feature it concerns; null when no feature is of its kind. */
export function perturb(rows: Frame, target: string, probe: ProbeName, setting: number, rng: Rng): { frame: Frame; columns: string[] } | null {
  let frame = rows;
  const columns: string[] = [];
  const n = rows.nRows;
  for (const [name, col] of rows.entries()) {
    if (name === target) continue;
    let next: Column | null = null;
    if (probe === "missing_values") next = withMissing(col, chooseRows(n, setting, rng));
    else if (probe === "gaussian_noise" && col.kind === "numeric") {
      const sd = populationStd(col.values);
      const v = Float64Array.from(col.values);
      if (sd > 0) for (let i = 0; i < n; i++) if (Number.isFinite(v[i])) v[i] += setting * sd * rng.normal();
      next = { kind: "numeric", values: v };
    } else if (probe === "out_of_range" && col.kind === "numeric") {
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of col.values) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
      if (!(hi >= lo)) continue;
      const span = hi - lo || Math.abs(hi) || 1;
      const v = Float64Array.from(col.values);
      chooseRows(n, setting, rng).forEach((i, k) => (v[i] = k % 2 === 0 ? hi + span : lo - span));
      next = { kind: "numeric", values: v };
    } else if (probe === "unseen_categories" && col.kind === "categorical") {
      const categories = [...col.categories, unseenLabel(col.categories)];
      const codes = Int32Array.from(col.codes);
      for (const i of chooseRows(n, setting, rng)) codes[i] = categories.length - 1;
      next = { kind: "categorical", codes, categories };
    }
    if (next) {
      frame = frame.withColumn(name, next);
      columns.push(name);
    }
  }
  return columns.length ? { frame, columns } : null;
}

/**
 * Run the robustness probes of a fitted model on labelled rows.
 *
 * @example
 * const r = robustnessProbes(model, testRows, { target: "Status", task: "binary", classes: ["good", "bad"], metrics: ["roc_auc"] }, { seed: 42 });
 * for (const p of r.probes) console.log(p.probe, p.value, p.drop, p.flagged ? "!" : "");
 */
export function robustnessProbes(fitted: Fitted, rows: Frame, job: ScoreJob, options: RobustnessOptions = {}): RobustnessReport {
  const metric = options.metric ?? job.metrics[0];
  const s = scorer(metric);
  const seed = options.seed ?? 0;
  const maxDrop = options.maxDrop ?? 0.05;
  const settings: Record<ProbeName, number> = { gaussian_noise: options.noise ?? 0.1, missing_values: options.missing ?? 0.1, unseen_categories: options.unseen ?? 0.1, out_of_range: options.outOfRange ?? 0.1 };
  const score = (frame: Frame) => scorePredictions(predictionsFor(fitted, frame, job), [metric]).metrics[metric];
  const clean = score(rows);
  const probes: ProbeResult[] = [];
  const skipped: RobustnessReport["skipped"] = [];
  for (const probe of options.probes ?? PROBES) {
    // one generator per probe, so adding or removing a probe leaves the others' cells alone
    const rng = new Rng(`${seed}:${probe}`);
    const setting = settings[probe];
    const perturbed = perturb(rows, job.target, probe, setting, rng);
    if (!perturbed) {
      skipped.push({ probe, reason: probe === "unseen_categories" ? "no categorical feature" : "no numeric feature" });
      continue;
    }
    try {
      const value = score(perturbed.frame);
      const change = value - clean;
      const drop = s.greaterIsBetter ? clean - value : value - clean;
      probes.push({ probe, setting, columns: perturbed.columns, value, change, drop, flagged: !(drop <= maxDrop) });
    } catch (e) {
      if (!isKeelError(e)) throw e;
      probes.push({ probe, setting, columns: perturbed.columns, value: NaN, change: NaN, drop: NaN, flagged: true, error: `the model refused the rows: ${e.message}` });
    }
  }
  return { metric, clean, maxDrop, seed, probes, skipped };
}

/** One line per probe, for reports and gate messages. */
export function describeProbe(p: ProbeResult, metric: string): string {
  if (p.error) return `${p.probe} (${p.setting}): ${p.error}`;
  return `${p.probe} (${p.setting}) on ${p.columns.length} column${p.columns.length === 1 ? "" : "s"}: ${metric} ${p.value.toFixed(4)} (${p.change >= 0 ? "+" : ""}${p.change.toFixed(4)})${p.flagged ? ` — drops more than allowed` : ""}${p.columns.length <= 3 ? ` [${p.columns.map((c) => show(c)).join(", ")}]` : ""}`;
}
