/**
 * Group fairness of a binary classifier's decisions, in Fairlearn's vocabulary and with its
 * definitions (Fairlearn 0.8, `fairlearn.metrics`; Bird et al., "Fairlearn: A toolkit for
 * assessing and improving fairness in AI", 2020):
 * - per group: `selection_rate` = P(ŷ = 1), `true_positive_rate` = P(ŷ = 1 | y = 1),
 *   `false_positive_rate` = P(ŷ = 1 | y = 0), the primary metric and the `count`;
 * - `demographic_parity_difference` = max − min of the groups' selection rates, `_ratio` = min / max;
 * - `equalized_odds_difference` = the larger of the TPR and FPR between-group differences (max − min),
 *   `equalized_odds_ratio` = the smaller of the TPR and FPR ratios (min / max);
 * - disparate impact per group = its selection rate / the highest group's, flagged under 0.8 (the
 *   "four-fifths rule" of the US EEOC's Uniform Guidelines, 29 CFR § 1607.4(D)).
 * Every group counts, however small (as in Fairlearn), unless `minGroupSize` says otherwise; a rate undefined for a group (no positive
 * row for its TPR) is NaN there and left out of the between-group aggregates, which say so in
 * `notes`. A ratio with max = 0 is NaN (0/0; Fairlearn warns and returns NaN too).
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Groups } from "./subgroups.js";

/** The EEOC's four-fifths rule: a group selected at under 80% of the highest group's rate is flagged. */
export const FOUR_FIFTHS = 0.8;

export interface FairnessGroup {
  group: string;
  count: number;
  selection_rate: number;
  true_positive_rate: number;
  false_positive_rate: number;
  /** Selection rate / the highest group's selection rate. */
  disparate_impact: number;
  /** Disparate impact below 0.8. */
  four_fifths_flag: boolean;
  /** The primary metric (and any other asked for) on the group's rows. */
  metrics: Record<string, number>;
}

export interface FairnessOptions {
  /**
   * Groups with fewer rows are reported but left out of the between-group aggregates and flags
   * (default 1: every group, as Fairlearn; `keel evaluate` uses 30, as the subgroup report).
   */
  minGroupSize?: number;
}

export interface FairnessReport {
  column: string;
  groups: FairnessGroup[];
  demographic_parity_difference: number;
  demographic_parity_ratio: number;
  equalized_odds_difference: number;
  equalized_odds_ratio: number;
  /** The smallest disparate impact over the groups (= demographic_parity_ratio), and whether it breaks the four-fifths rule. */
  disparate_impact: number;
  four_fifths_flag: boolean;
  /** The group with the highest selection rate (the reference of disparate impact). */
  most_selected: string | null;
  /** Groups left out of an aggregate (a rate undefined on them), said plainly. */
  notes: string[];
}

/**
 * Fairness of decisions `yPred` (0/1) against truth `yTrue` (0/1) by the groups of one column.
 * `metrics(rows)` gives the per-group metrics to report beside the rates (the primary metric).
 *
 * @example
 * const r = fairnessReport("sex", groupsOf(test.column("sex")), y, yHat, (rows) => ({ accuracy: acc(rows) }));
 * r.demographic_parity_ratio  // 0.71
 * r.four_fifths_flag          // true
 */
export function fairnessReport(column: string, groups: Groups, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, metrics: (rows: Int32Array) => Record<string, number> = () => ({}), options: FairnessOptions = {}): FairnessReport {
  const minGroupSize = options.minGroupSize ?? 1;
  const n = groups.group.length;
  if (yTrue.length !== n || yPred.length !== n) {
    throw new InvalidInputError(`fairness: ${n} group codes, ${yTrue.length} labels and ${yPred.length} predictions; expected the same number of rows`, { path: "yPred", expected: `${n} rows`, received: yPred.length });
  }
  const G = groups.labels.length;
  const count = new Float64Array(G);
  const selected = new Float64Array(G);
  const pos = new Float64Array(G);
  const tp = new Float64Array(G);
  const neg = new Float64Array(G);
  const fp = new Float64Array(G);
  const members: number[][] = groups.labels.map(() => []);
  for (let i = 0; i < n; i++) {
    const g = groups.group[i];
    if (g < 0) continue;
    const t = yTrue[i];
    const p = yPred[i];
    if ((t !== 0 && t !== 1) || (p !== 0 && p !== 1)) {
      throw new InvalidInputError(`fairness: row ${i} has truth ${show(t)} and prediction ${show(p)}; expected 0 or 1 for both`, { path: `row ${i}`, expected: "0 or 1", received: { truth: t, prediction: p } });
    }
    members[g].push(i);
    count[g]++;
    selected[g] += p;
    if (t === 1) {
      pos[g]++;
      tp[g] += p;
    } else {
      neg[g]++;
      fp[g] += p;
    }
  }
  const present = groups.labels.map((_, g) => g).filter((g) => count[g] > 0);
  const small = present.filter((g) => count[g] < minGroupSize);
  const compared = present.filter((g) => count[g] >= minGroupSize);
  const sr = (g: number) => selected[g] / count[g];
  const tpr = (g: number) => (pos[g] > 0 ? tp[g] / pos[g] : NaN);
  const fpr = (g: number) => (neg[g] > 0 ? fp[g] / neg[g] : NaN);
  const notes: string[] = [];
  if (small.length > 0) notes.push(`${small.map((g) => `${show(groups.labels[g])} (${count[g]} rows)`).join(", ")} ${small.length > 1 ? "are" : "is"} under ${minGroupSize} rows: shown, but left out of the between-group comparison and the flags`);
  const spread = (rate: (g: number) => number, name: string) => {
    const defined = compared.filter((g) => Number.isFinite(rate(g)));
    const left = compared.filter((g) => !Number.isFinite(rate(g)));
    if (left.length > 0) notes.push(`${name} is undefined for ${left.map((g) => show(groups.labels[g])).join(", ")} (no ${name === "true_positive_rate" ? "positive" : "negative"} rows) and left out of the between-group comparison`);
    if (defined.length === 0) return { max: NaN, min: NaN, maxGroup: -1 };
    let max = -Infinity;
    let min = Infinity;
    let maxGroup = -1;
    for (const g of defined) {
      const v = rate(g);
      if (v > max) {
        max = v;
        maxGroup = g;
      }
      if (v < min) min = v;
    }
    return { max, min, maxGroup };
  };
  const s = spread(sr, "selection_rate");
  const t = spread(tpr, "true_positive_rate");
  const f = spread(fpr, "false_positive_rate");
  const ratio = (x: { max: number; min: number }) => (x.max > 0 ? x.min / x.max : NaN);
  const dpd = s.max - s.min;
  const dpr = ratio(s);
  const eod = Math.max(t.max - t.min, f.max - f.min);
  const eor = Math.min(ratio(t), ratio(f));
  const out: FairnessGroup[] = present.map((g) => {
    const di = s.max > 0 ? sr(g) / s.max : NaN;
    return {
      group: groups.labels[g],
      count: count[g],
      selection_rate: sr(g),
      true_positive_rate: tpr(g),
      false_positive_rate: fpr(g),
      disparate_impact: di,
      four_fifths_flag: count[g] >= minGroupSize && di < FOUR_FIFTHS,
      metrics: metrics(Int32Array.from(members[g])),
    };
  });
  return {
    column,
    groups: out,
    demographic_parity_difference: dpd,
    demographic_parity_ratio: dpr,
    equalized_odds_difference: Number.isNaN(t.max - t.min) || Number.isNaN(f.max - f.min) ? NaN : eod,
    equalized_odds_ratio: Number.isNaN(ratio(t)) || Number.isNaN(ratio(f)) ? NaN : eor,
    disparate_impact: dpr,
    four_fifths_flag: dpr < FOUR_FIFTHS,
    most_selected: s.maxGroup >= 0 ? groups.labels[s.maxGroup] : null,
    notes,
  };
}
