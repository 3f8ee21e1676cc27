/**
 * `profile(frame, options)`: exploratory data analysis as data — per-column statistics, charts'
 * data, correlations, duplicate rows, the target's balance, single-feature predictive power and
 * warnings with stable codes. The result is plain JSON (format version 1).
 */
import { InvalidInputError, show, progress, type Rng, toRng } from "../../core/index.js";
import { type CategoricalColumn, type Column, MISSING_BOOL } from "../column.js";
import type { Frame } from "../frame.js";
import { type ColumnFacts, num, profileColumn } from "./column-profile.js";
import { cramersV, pearsonMatrix, spearmanMatrix } from "./correlation.js";
import { findDuplicates } from "./duplicates.js";
import { predictivePower } from "./predictive-power.js";
import { rowOrder } from "./row-order.js";
import { inferTargetTask } from "../target-task.js";
import type { ColumnProfile, CorrelationMatrix, PredictivePower, Profile, ProfileThresholds, ProfileValue, ProfileWarning, TargetProfile, TargetTask, TopValue } from "./types.js";

/** Options of `profile`. */
export interface ProfileOptions {
  /** The column to predict: its balance is reported and every other column's predictive power is scored. */
  readonly target?: string;
  /** Force the target's task. Default: `inferTargetTask`, the rule `keel init` and `keel run` use too. */
  readonly task?: TargetTask;
  /** Seed or generator for the row samples and the cross-validation folds. Default seed 0. */
  readonly seed?: number | string | Rng;
  /** Rows sampled for Spearman's ranks when the frame is larger. Default 100,000. */
  readonly spearmanSample?: number;
  /** Rows sampled for predictive power when the frame is larger. Default 20,000. */
  readonly predictivePowerSample?: number;
  /** Cross-validation folds for predictive power. Default 4 (as ppscore). */
  readonly folds?: number;
  /** Compute predictive power when there is a target. Default true. */
  readonly predictivePower?: boolean;
  /** Top values kept per column. Default 10. */
  readonly topK?: number;
  /** Largest number of histogram bins. Default 30. */
  readonly maxBins?: number;
  /** Categorical columns with more categories than this are left out of Cramér's V. Default 1000. */
  readonly cramerMaxLevels?: number;
  /** Warning thresholds (see `ProfileThresholds`). */
  readonly thresholds?: Partial<ProfileThresholds>;
}

/**
 * Default thresholds. Target leaks at two levels. A predictive power of 0.8 (Deepchecks' default
 * condition for feature–label PPS) or a single-feature ROC AUC of 0.95 draws a warning: one column
 * on its own removes 80% of the gap between the naive baseline and a perfect prediction, which
 * strong honest features reach (breast-cancer cell size: PPS 0.83, AUC 0.974). At a PPS of 0.9 or
 * an AUC of 0.98 the warning's level is "stop": a column that agrees with the target on 97–98%
 * of rows (an outcome recorded after the fact, a post-hoc code) scores 0.91–0.93 and should not
 * reach a model unless a person says it is legitimate (`allow_leaks`).
 */
export const DEFAULT_THRESHOLDS: ProfileThresholds = {
  highMissing: 0.2,
  highCardinality: 50,
  idLike: 0.99,
  imbalance: 0.2,
  leak: 0.8,
  leakStop: 0.9,
  leakAuc: 0.95,
  leakAucStop: 0.98,
  rowOrder: 0.9,
};

interface EncodedTarget {
  task: TargetTask;
  y: Int32Array | Float64Array;
  labels: ProfileValue[];
}

function encodeTarget(name: string, c: Column, task: TargetTask): EncodedTarget {
  const n = c.kind === "categorical" ? c.codes.length : c.values.length;
  if (task === "regression") {
    if (c.kind !== "numeric" && c.kind !== "datetime" && c.kind !== "boolean") {
      throw new InvalidInputError(`target column ${show(name)} is ${c.kind}; a regression target must be numeric`, { path: "target", expected: "a numeric column", received: c.kind });
    }
    const y = new Float64Array(n);
    if (c.kind === "boolean") for (let i = 0; i < n; i++) y[i] = c.values[i] === MISSING_BOOL ? NaN : c.values[i];
    else y.set(c.values);
    return { task, y, labels: [] };
  }
  const y = new Int32Array(n);
  switch (c.kind) {
    case "categorical": {
      // compact to the categories that occur
      const used = new Int32Array(c.categories.length).fill(-1);
      const labels: ProfileValue[] = [];
      for (let i = 0; i < n; i++) {
        const k = c.codes[i];
        if (k < 0) {
          y[i] = -1;
          continue;
        }
        if (used[k] < 0) {
          used[k] = labels.length;
          labels.push(c.categories[k]);
        }
        y[i] = used[k];
      }
      return { task, y, labels };
    }
    case "boolean":
      for (let i = 0; i < n; i++) y[i] = c.values[i] === MISSING_BOOL ? -1 : c.values[i];
      return { task, y, labels: [false, true] };
    case "text":
    case "numeric":
    case "datetime": {
      const dict = new Map<string | number, number>();
      const labels: ProfileValue[] = [];
      for (let i = 0; i < n; i++) {
        const v: string | number | null = c.values[i];
        if (v === null || (typeof v === "number" && v !== v)) {
          y[i] = -1;
          continue;
        }
        let k = dict.get(v);
        if (k === undefined) {
          k = labels.length;
          dict.set(v, k);
          labels.push(c.kind === "datetime" ? new Date(v as number).toISOString() : v);
        }
        y[i] = k;
      }
      return { task, y, labels };
    }
  }
}

function matrixJson(columns: string[], m: Float64Array[], sampled: number | null): CorrelationMatrix {
  return { columns, values: m.map((row) => Array.from(row, num)), sampled };
}

/**
 * Profile a frame. Exact on all rows: counts, moments, quartiles, histograms, top values,
 * Pearson, Cramér's V and duplicates. Sampled above a size (stated in `profile.sampling` and in
 * each sampled section): Spearman's ranks (default 100,000 rows) and predictive power (20,000 rows).
 *
 * @throws InvalidInputError when `target` is not a column (the message lists the columns), or a
 *   regression target is not numeric.
 * @example
 * ```ts
 * const frame = await readTable("examples/credit/credit_data.csv");
 * const p = profile(frame, { target: "Status" });
 * for (const w of p.warnings) console.log(w.code, w.message);
 * ```
 */
export function profile(frame: Frame, options: ProfileOptions = {}): Profile {
  const thresholds: ProfileThresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const topK = options.topK ?? 10;
  const maxBins = options.maxBins ?? 30;
  const spearmanSample = options.spearmanSample ?? 100_000;
  const ppsSample = options.predictivePowerSample ?? 20_000;
  const seed = options.seed ?? 0;
  const rng = toRng(seed);
  const n = frame.nRows;
  const names = frame.names;
  const target = options.target;
  if (target !== undefined && !frame.has(target)) {
    throw new InvalidInputError(`target column ${show(target)} is not in the data; the columns are ${names.map((x) => show(x)).join(", ")}`, {
      path: "target",
      expected: `one of ${names.join(", ")}`,
      received: target,
    });
  }

  const columns: ColumnProfile[] = [];
  const facts = new Map<string, ColumnFacts>();
  const steps = names.length + 4;
  for (const [j, name] of names.entries()) {
    progress("profile: columns", j, steps);
    const r = profileColumn(name, frame.column(name), n, { topK, maxBins });
    columns.push(r.profile);
    facts.set(name, r.facts);
  }
  const byName = new Map(columns.map((c) => [c.name, c]));

  progress("profile: correlations", names.length, steps);
  const numericNames = names.filter((x) => frame.kind(x) === "numeric");
  const numericCols = numericNames.map((x) => (frame.column(x) as { values: Float64Array }).values);
  const pearson = matrixJson(numericNames, pearsonMatrix(numericCols), null);
  let spearmanCols = numericCols;
  let spearmanSampled: number | null = null;
  let sampleRows: Int32Array | undefined;
  if (n > spearmanSample && numericCols.length > 0) {
    const pick = rng.sampleWithoutReplacement(n, spearmanSample).sort();
    sampleRows = pick;
    spearmanCols = numericCols.map((v) => {
      const out = new Float64Array(pick.length);
      for (let t = 0; t < pick.length; t++) out[t] = v[pick[t]];
      return out;
    });
    spearmanSampled = pick.length;
  }
  const spearman = matrixJson(numericNames, spearmanMatrix(spearmanCols), spearmanSampled);
  const maxLevels = options.cramerMaxLevels ?? 1000;
  const catNames = names.filter((x) => {
    const c = frame.column(x);
    return c.kind === "boolean" || (c.kind === "categorical" && c.categories.length <= maxLevels);
  });
  const catCodes = catNames.map((x) => codesOf(frame.column(x)));
  const cv = catNames.map(() => new Float64Array(catNames.length).fill(NaN));
  for (let a = 0; a < catNames.length; a++) {
    for (let b = a; b < catNames.length; b++) {
      const v = cramersV(catCodes[a].codes, catCodes[a].levels, catCodes[b].codes, catCodes[b].levels);
      cv[a][b] = v;
      cv[b][a] = v;
    }
  }
  const cramers = matrixJson(catNames, cv, null);

  progress("profile: duplicates", names.length + 2, steps);
  const duplicates = findDuplicates(names.map((x) => frame.column(x)), n);

  // target
  let targetProfile: TargetProfile | null = null;
  let power: PredictivePower | null = null;
  const warnings: ProfileWarning[] = [];
  if (target !== undefined) {
    const col = frame.column(target);
    const p = byName.get(target)!;
    const task = options.task ?? inferTargetTask(col).task;
    const enc = encodeTarget(target, col, task);
    if (task === "classification") {
      const counts = new Float64Array(enc.labels.length);
      let present = 0;
      for (let i = 0; i < n; i++) {
        const k = (enc.y as Int32Array)[i];
        if (k >= 0) {
          counts[k]++;
          present++;
        }
      }
      const order = enc.labels.map((_, i) => i).sort((a, b) => counts[b] - counts[a] || String(enc.labels[a]).localeCompare(String(enc.labels[b])));
      const classes: TopValue[] = order.map((i) => ({ value: enc.labels[i], count: counts[i], fraction: present ? counts[i] / present : 0 }));
      const k = classes.length;
      const minority = k ? classes[k - 1].fraction : null;
      const imbalanced = k >= 2 && minority !== null && minority < (thresholds.imbalance * 2) / k;
      targetProfile = {
        name: target,
        kind: col.kind,
        task,
        missing: p.missing,
        classes,
        minorityFraction: minority,
        imbalanceRatio: k >= 2 ? classes[0].count / classes[k - 1].count : null,
        imbalanced,
        distribution: null,
      };
      if (imbalanced) {
        const small = classes[k - 1];
        warnings.push({
          code: "IMBALANCED_TARGET",
          column: target,
          message: `target ${show(target)} is imbalanced: class ${show(small.value)} is ${pct(small.fraction)} of labelled rows (${count(small.count)} of ${count(present)}), under ${pct((thresholds.imbalance * 2) / k)}`,
        });
      }
    } else {
      targetProfile = {
        name: target,
        kind: col.kind,
        task,
        missing: p.missing,
        classes: null,
        minorityFraction: null,
        imbalanceRatio: null,
        imbalanced: false,
        distribution: { mean: p.mean, std: p.std, min: p.min, q1: p.q1, median: p.median, q3: p.q3, max: p.max, skew: p.skew, histogram: p.histogram },
      };
    }
    if (options.predictivePower !== false) {
      progress("profile: predictive power", names.length + 3, steps);
      power = predictivePower({
        target,
        task,
        y: enc.y,
        classes: enc.labels.length,
        features: names.filter((x) => x !== target).map((x) => ({ name: x, column: frame.column(x) })),
        nRows: n,
        sample: ppsSample,
        folds: options.folds ?? 4,
        rng: rng.fork(),
      });
    }
  }

  // warnings
  const ids = new Set<string>();
  for (const c of columns) {
    const f = facts.get(c.name)!;
    if (c.missing > 0 && c.missingFraction >= thresholds.highMissing) {
      warnings.push({ code: "HIGH_MISSING", column: c.name, message: `column ${show(c.name)} is ${pct(c.missingFraction)} missing (${count(c.missing)} of ${count(n)} rows)` });
    }
    if (n > 0 && c.distinct <= 1) {
      warnings.push({ code: "CONSTANT", column: c.name, message: c.distinct === 0 ? `column ${show(c.name)} has no values (every row is missing)` : `column ${show(c.name)} has one value, ${show(c.top[0]?.value)}, in every non-missing row` });
      continue;
    }
    if (c.name === target) continue;
    const unique = c.count >= 20 && c.distinct / c.count >= thresholds.idLike;
    const idLike = unique && (c.kind === "text" || c.kind === "categorical" || (c.kind === "numeric" && f.integer && !carriesSignal(c, power)));
    if (idLike) {
      ids.add(c.name);
      warnings.push({ code: "ID_LIKE", column: c.name, message: `column ${show(c.name)} looks like an identifier: ${count(c.distinct)} distinct values in ${count(c.count)} rows; it identifies rows rather than describing them` });
    } else if ((c.kind === "categorical" || c.kind === "text") && c.distinct > thresholds.highCardinality) {
      warnings.push({ code: "HIGH_CARDINALITY", column: c.name, message: `column ${show(c.name)} has ${count(c.distinct)} distinct values (over ${thresholds.highCardinality})` });
    }
  }
  for (const c of columns) {
    if (c.distinct <= 1 || ids.has(c.name)) continue;
    const o = rowOrder(frame.column(c.name), sampleRows);
    if (!o || (o.how === "sorted" ? Math.abs(o.statistic) : o.statistic) < thresholds.rowOrder) continue;
    const what = c.name === target ? `its target ${show(c.name)}` : `column ${show(c.name)}`;
    const how = o.how === "sorted" ? `sorted by ${what} (Spearman ρ of row number and value ${o.statistic.toFixed(3)})` : `grouped by ${what} (neighbouring rows agree ${o.statistic.toFixed(3)} beyond chance)`;
    warnings.push({ code: "ROWS_ORDERED", column: c.name, message: `rows are ${how}: unshuffled cross-validation folds would each hold one ${o.how === "sorted" ? "range" : "group"} of it; shuffle before splitting, unless the order is time` });
  }
  if (duplicates.count > 0) {
    warnings.push({ code: "DUPLICATE_ROWS", message: `${count(duplicates.count)} rows (${pct(duplicates.fraction)}) are exact copies of earlier rows, e.g. rows ${duplicates.examples[0].join(", ")}` });
  }
  if (power) {
    for (const s of power.scores) {
      const auc = s.auc ?? 0;
      if (s.score < thresholds.leak && auc < thresholds.leakAuc) continue;
      const stop = s.score >= thresholds.leakStop || auc >= thresholds.leakAucStop;
      const evidence = [`predictive power ${s.score.toFixed(3)}`, ...(s.auc != null ? [`single-feature ROC AUC ${s.auc.toFixed(3)}`] : [])].join(", ");
      const bar = stop ? `≥ ${thresholds.leakStop} or AUC ≥ ${thresholds.leakAucStop}` : `≥ ${thresholds.leak} or AUC ≥ ${thresholds.leakAuc}`;
      warnings.push({
        code: "TARGET_LEAK_SUSPECT",
        column: s.feature,
        level: stop ? "stop" : "warn",
        message: stop
          ? `column ${show(s.feature)} alone predicts the target ${show(power.target)} almost perfectly (${evidence}; ${bar}); check it is known before the outcome, and drop it or list it under allow_leaks`
          : `column ${show(s.feature)} alone predicts the target ${show(power.target)} strongly (${evidence}; ${bar}); a strong honest feature or a leak: check it is known before the outcome`,
      });
    }
  }

  return {
    version: 1,
    rows: n,
    columns,
    correlations: { pearson, spearman, cramersV: cramers },
    duplicates,
    target: targetProfile,
    predictivePower: power,
    warnings,
    sampling: { spearman: spearmanSampled, predictivePower: power?.sampled ?? null, seed: typeof seed === "number" || typeof seed === "string" ? seed : null },
    thresholds,
  };
}

/** Predictive power below which a unique integer column carries no signal about the target. */
const ID_SIGNAL = 0.05;

/**
 * Whether a unique integer column may be a measurement (a population, a sales figure) rather
 * than an identifier: with a target, its predictive power reaches `ID_SIGNAL`; without one,
 * its values are spread wider than a key's (max − min + 1 > 2 · count: keys count densely).
 */
function carriesSignal(c: ColumnProfile, power: PredictivePower | null): boolean {
  const score = power?.scores.find((s) => s.feature === c.name)?.score;
  if (score !== undefined) return score >= ID_SIGNAL;
  return c.min !== null && c.max !== null && c.max - c.min + 1 > 2 * c.count;
}

/**
 * The target-leak warnings a run must stop on: level "stop", for columns not in `allowed`.
 *
 * @example const stops = leakStops(profile(frame, { target }), config.data.allow_leaks);
 */
export function leakStops(p: Profile, allowed: readonly string[] = []): ProfileWarning[] {
  return p.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT" && w.level === "stop" && !(w.column !== undefined && allowed.includes(w.column)));
}

function codesOf(c: Column): { codes: Int32Array; levels: number } {
  if (c.kind === "categorical") return { codes: (c as CategoricalColumn).codes, levels: c.categories.length };
  if (c.kind === "boolean") {
    const codes = new Int32Array(c.values.length);
    for (let i = 0; i < codes.length; i++) codes[i] = c.values[i] === MISSING_BOOL ? -1 : c.values[i];
    return { codes, levels: 2 };
  }
  throw new Error(`codesOf: ${c.kind}`);
}

/** A share as a percentage with up to 2 decimals (19.97%, not a rounded 20% next to a 20% threshold). */
function pct(f: number): string {
  const p = f * 100;
  return p === 0 ? "0%" : p < 0.01 ? "<0.01%" : `${+p.toFixed(2)}%`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
