/**
 * The pre-training bias report: how each group of a protected column is represented in the data
 * and how often it carries the positive label, before any model is fitted. Definitions as in
 * Amazon SageMaker Clarify's pre-training metrics (Das et al., "Fairness Measures for Machine
 * Learning in Finance", 2021) and AIF360 (Bellamy et al. 2018), with each group `d` taken as the
 * disadvantaged facet and **the rest of the rows as the advantaged facet `a`**:
 * - class imbalance CI = (n_a − n_d) / (n_a + n_d), in [−1, 1]: 1 when the group is absent,
 *   0 when it is half the rows, positive when it is under-represented;
 * - difference in proportions of labels DPL = q_a − q_d, q = share of rows with the positive
 *   label: positive when the group gets the positive label less often than the rest.
 * For a regression target "the positive label" is replaced by the label's mean (DPL = mean_a −
 * mean_d), and for a multiclass target every class is reported as a positive label in turn.
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Column, MISSING_BOOL, type Frame } from "../data/index.js";
import { escapeHtml as esc } from "../data/profile/index.js";
import { MIN_GROUP_SIZE, groupsOf } from "./subgroups.js";

export interface BiasGroup {
  group: string;
  /** Rows of the group (n_d). */
  count: number;
  /** n_d / n. */
  representation: number;
  /** CI = (n_a − n_d) / (n_a + n_d), the rest of the rows as a. */
  class_imbalance: number;
  /** Per outcome (the positive class, every class of a multiclass target, or "mean" for regression): q_d. */
  label_rate: Record<string, number>;
  /** Per outcome: DPL = q_a − q_d. */
  dpl: Record<string, number>;
}

export interface BiasColumnReport {
  column: string;
  groups: BiasGroup[];
  /** The largest |CI| and |DPL| over the groups, with the group. */
  max_abs_class_imbalance: { value: number; group: string } | null;
  max_abs_dpl: { value: number; group: string; outcome: string } | null;
}

export interface PretrainingBiasReport {
  target: string;
  rows: number;
  /** What "positive" means: the positive class, every class (multiclass) or the mean (regression). */
  outcomes: string[];
  /** The advantaged facet of each comparison. */
  reference: "rest";
  columns: BiasColumnReport[];
}

export interface PretrainingBiasOptions {
  /** The positive class of a binary target (default: the second of the classes sorted, as scikit-learn's). */
  positive?: string;
}

/**
 * The report for `protectedColumns` of `frame`, labels from `target` (rows whose label is missing
 * are left out). Numeric protected columns with many values are binned as `groupsOf` does.
 *
 * @example
 * const r = pretrainingBias(frame, "Status", ["sex", "age"], { positive: "bad" });
 * r.columns[0].groups   // [{ group: "female", count: 310, representation: 0.31, class_imbalance: 0.38, label_rate: { bad: 0.35 }, dpl: { bad: -0.07 } }, ...]
 */
export function pretrainingBias(frame: Frame, target: string, protectedColumns: readonly string[], options: PretrainingBiasOptions = {}): PretrainingBiasReport {
  if (!frame.has(target)) throw new InvalidInputError(`target column ${show(target)} is not in the data; columns are ${show(frame.names)}`, { path: "target", expected: `one of ${frame.names.join(", ")}`, received: target });
  for (const c of protectedColumns) {
    if (!frame.has(c)) throw new InvalidInputError(`protected column ${show(c)} is not in the data; columns are ${show(frame.names)}`, { path: "protected", expected: `columns of ${frame.names.join(", ")}`, received: c });
    if (c === target) throw new InvalidInputError(`protected column ${show(c)} is the target`, { path: "protected", expected: "a column other than the target", received: c });
  }
  const { outcomes, value } = outcomesOf(frame.column(target), options.positive);
  const n0 = frame.nRows;
  const labelled: number[] = [];
  for (let i = 0; i < n0; i++) if (Number.isFinite(value(i, 0))) labelled.push(i);
  const n = labelled.length;
  const columns = protectedColumns.map((name): BiasColumnReport => {
    const g = groupsOf(frame.column(name));
    const G = g.labels.length;
    const counts = new Float64Array(G);
    const sums = outcomes.map(() => new Float64Array(G));
    const totals = new Float64Array(outcomes.length);
    for (const i of labelled) {
      const k = g.group[i];
      counts[k]++;
      for (let o = 0; o < outcomes.length; o++) {
        const v = value(i, o);
        sums[o][k] += v;
        totals[o] += v;
      }
    }
    const groups: BiasGroup[] = [];
    for (let k = 0; k < G; k++) {
      if (counts[k] === 0) continue;
      const nd = counts[k];
      const na = n - nd;
      const rate: Record<string, number> = {};
      const dpl: Record<string, number> = {};
      outcomes.forEach((o, j) => {
        const qd = sums[j][k] / nd;
        const qa = na > 0 ? (totals[j] - sums[j][k]) / na : NaN;
        rate[o] = qd;
        dpl[o] = qa - qd;
      });
      groups.push({ group: g.labels[k], count: nd, representation: nd / n, class_imbalance: (na - nd) / (na + nd), label_rate: rate, dpl });
    }
    let ci: BiasColumnReport["max_abs_class_imbalance"] = null;
    let dpl: BiasColumnReport["max_abs_dpl"] = null;
    for (const x of groups) {
      if (!ci || Math.abs(x.class_imbalance) > Math.abs(ci.value)) ci = { value: x.class_imbalance, group: x.group };
      for (const o of outcomes) if (Number.isFinite(x.dpl[o]) && (!dpl || Math.abs(x.dpl[o]) > Math.abs(dpl.value))) dpl = { value: x.dpl[o], group: x.group, outcome: o };
    }
    return { column: name, groups, max_abs_class_imbalance: ci, max_abs_dpl: dpl };
  });
  return { target, rows: n, outcomes, reference: "rest", columns };
}

/** The outcomes of a target and each row's value for each (1/0 for a class, the label for "mean"; NaN when missing). */
function outcomesOf(col: Column, positive?: string): { outcomes: string[]; value: (i: number, o: number) => number } {
  if (col.kind === "numeric") {
    const distinct = new Set<number>();
    for (const v of col.values) if (v === v) distinct.add(v);
    if (distinct.size > 2 || (positive === undefined && ![...distinct].every((v) => v === 0 || v === 1))) {
      if (positive !== undefined) throw new InvalidInputError(`positive class ${show(positive)} given, but the target is numeric with ${distinct.size} values`, { path: "positive", expected: "a classification target", received: positive });
      return { outcomes: ["mean"], value: (i) => col.values[i] };
    }
    const classes = [...distinct].sort((a, b) => a - b).map(String);
    const pos = positive ?? classes[classes.length - 1];
    if (!classes.includes(pos)) throw new InvalidInputError(`positive class ${show(pos)} is not a value of the target; values are ${show(classes)}`, { path: "positive", expected: `one of ${classes.join(", ")}`, received: pos });
    const p = Number(pos);
    return { outcomes: [pos], value: (i) => (col.values[i] === col.values[i] ? (col.values[i] === p ? 1 : 0) : NaN) };
  }
  if (col.kind === "boolean") {
    const pos = positive ?? "true";
    if (pos !== "true" && pos !== "false") throw new InvalidInputError(`positive class ${show(pos)} is not a value of the boolean target`, { path: "positive", expected: "true or false", received: pos });
    const p = pos === "true" ? 1 : 0;
    return { outcomes: [pos], value: (i) => (col.values[i] === MISSING_BOOL ? NaN : col.values[i] === p ? 1 : 0) };
  }
  if (col.kind !== "categorical") throw new InvalidInputError(`target column is ${col.kind}; expected a categorical or numeric label`, { path: "target", expected: "categorical or numeric", received: col.kind });
  const present = new Set<number>();
  for (const c of col.codes) if (c >= 0) present.add(c);
  const classes = [...present].map((c) => col.categories[c]).sort();
  if (positive !== undefined && !classes.includes(positive)) throw new InvalidInputError(`positive class ${show(positive)} is not a class of the target; classes are ${show(classes)}`, { path: "positive", expected: `one of ${classes.join(", ")}`, received: positive });
  const outcomes = classes.length <= 2 ? [positive ?? classes[classes.length - 1]] : classes;
  const codes = outcomes.map((o) => col.categories.indexOf(o));
  return { outcomes, value: (i, o) => (col.codes[i] < 0 ? NaN : col.codes[i] === codes[o] ? 1 : 0) };
}

/** Bounds that stop `keel run` (keel.yaml `bias:`): |CI| and |DPL| above them. Null: no bound. */
export interface BiasBounds {
  max_class_imbalance: number | null;
  max_dpl: number | null;
}

/**
 * The breaches of `bounds` in a report, one sentence each (empty: none). Groups under
 * `minGroupSize` rows (default `MIN_GROUP_SIZE`, 30) are not held to the bounds: a handful of rows
 * moves a rate too far.
 */
export function biasBreaches(report: PretrainingBiasReport, bounds: BiasBounds, minGroupSize = MIN_GROUP_SIZE): string[] {
  const out: string[] = [];
  for (const c of report.columns) {
    for (const g of c.groups) {
      if (g.count < minGroupSize) continue;
      if (bounds.max_class_imbalance !== null && Math.abs(g.class_imbalance) > bounds.max_class_imbalance) {
        out.push(`${c.column}=${g.group}: class imbalance ${round(g.class_imbalance)} (|CI| > ${bounds.max_class_imbalance}; ${g.count} of ${report.rows} rows)`);
      }
      for (const o of report.outcomes) {
        const d = g.dpl[o];
        if (bounds.max_dpl !== null && Number.isFinite(d) && Math.abs(d) > bounds.max_dpl) {
          out.push(`${c.column}=${g.group}: DPL ${round(d)} for ${o} (|DPL| > ${bounds.max_dpl}; rate ${round(g.label_rate[o])} in its ${g.count} rows vs ${round(g.label_rate[o] + d)} for the rest)`);
        }
      }
    }
  }
  return out;
}

function round(v: number): number {
  return Number(v.toPrecision(4));
}

/**
 * The report as an HTML section (for the profile report): per column a table of groups with
 * their rows, representation, CI, label rate and DPL per outcome; breaches of `bounds` first.
 */
export function biasToHtml(report: PretrainingBiasReport, bounds?: BiasBounds): string {
  const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "—");
  const h: string[] = [`<h2 id="bias">Pre-training bias</h2>`];
  h.push(`<p class="note">Before any model: each group of a protected column against the rest of the rows (the rest is the advantaged facet a, the group d). Class imbalance CI = (n_a − n_d) / (n_a + n_d); DPL = q_a − q_d, the difference in the share of ${report.outcomes.length === 1 && report.outcomes[0] === "mean" ? "the label's mean" : `rows labelled ${report.outcomes.map(esc).join(" / ")}`} (SageMaker Clarify, AIF360). Positive DPL: the group gets that label less often than the rest. ${esc(report.rows)} labelled rows.</p>`);
  const breaches = bounds ? biasBreaches(report, bounds) : [];
  if (breaches.length) h.push(`<ul class="warnings">${breaches.map((b) => `<li><span class="code">BIAS</span>${esc(b)}</li>`).join("")}</ul>`);
  for (const c of report.columns) {
    const outs = report.outcomes;
    h.push(`<h3 style="margin:16px 0 6px">${esc(c.column)}</h3><table><thead><tr><th>group</th><th class="n">rows</th><th class="n">representation</th><th class="n">CI</th>${outs.map((o) => `<th class="n">${esc(o === "mean" ? "label mean" : `rate ${o}`)}</th><th class="n">DPL${outs.length > 1 ? ` ${esc(o)}` : ""}</th>`).join("")}</tr></thead><tbody>`);
    for (const g of c.groups) h.push(`<tr><td>${esc(g.group)}</td><td class="n">${esc(g.count)}</td><td class="n">${num(g.representation)}</td><td class="n">${num(g.class_imbalance)}</td>${outs.map((o) => `<td class="n">${num(g.label_rate[o])}</td><td class="n">${num(g.dpl[o])}</td>`).join("")}</tr>`);
    h.push(`</tbody></table>`);
  }
  return h.join("");
}
