/**
 * The evaluation report as one self-contained HTML page (the house stylesheet of the profile
 * report, inline SVG charts, no scripts, nothing fetched). Summary first — the primary metric
 * with its interval, the threshold, calibration, fairness flags and the worst error slices as
 * findings — then one section per topic: metrics with intervals, the confusion matrix, the
 * threshold chart, ROC / PR / reliability curves, residuals, fairness by group, error slices.
 * Its size depends on the number of columns and groups, never on the rows (curves are thinned).
 */
import { REPORT_CSS, escapeHtml as e } from "../data/profile/index.js";
import { type Series, hBars, lineChart, num, pct, table } from "./report-charts.js";
import { defaultMetrics } from "../metrics/index.js";
import { FOUR_FIFTHS, type FairnessReport } from "./fairness.js";
import type { ModelEvaluation, ResidualGroup } from "./model-evaluation.js";

export interface EvaluationHtmlOptions {
  /** Page title (default "Model evaluation"). */
  title?: string;
  /** What was evaluated, shown under the title (the model reference and the data file). */
  subtitle?: string;
}

function isBinaryFairness(f: ModelEvaluation["fairness"][string]): f is FairnessReport {
  return Array.isArray((f as FairnessReport).groups);
}

/** The findings of the summary: what a reviewer should look at first. */
export function findingsOf(ev: ModelEvaluation): string[] {
  const out: string[] = [];
  for (const f of Object.values(ev.fairness)) {
    if (!isBinaryFairness(f)) continue;
    const flagged = f.groups.filter((g) => g.four_fifths_flag);
    if (flagged.length) out.push(`${f.column}: ${flagged.map((g) => `${g.group} is selected at ${pct(g.disparate_impact)} of ${f.most_selected}'s rate`).join("; ")} (under the four-fifths rule)`);
  }
  for (const s of ev.slices?.slices.slice(0, 3) ?? []) out.push(`error slice ${s.slice}: ${s.size} rows (${pct(s.share)}), ${ev.slices!.loss} ${num(s.loss)} vs ${num(s.rest_loss)} elsewhere (effect size ${num(s.effect_size)}, q = ${num(s.q_value)})`);
  if (ev.curves && ev.curves.calibration.ece > 0.05) out.push(`calibration: expected calibration error ${num(ev.curves.calibration.ece)} (probabilities off by about ${pct(ev.curves.calibration.ece)} on average)`);
  for (const [m, v] of Object.entries(ev.metrics)) if (v.unavailable && m === ev.primary) out.push(`${m}: ${v.unavailable}`);
  return out;
}

function residualTable(rows: ResidualGroup[]): string {
  return table(["group", "rows", "mean residual", "MAE"], rows.map((r) => [r.group, r.count, r.mean_residual, r.mean_absolute_error]), [false, true, true, true]);
}

/**
 * Render an evaluation as one HTML page.
 *
 * @example writeFileSync("report.html", evaluationToHtml(evaluateModel(model, test), { subtitle: "credit-model on test.csv" }));
 */
export function evaluationToHtml(ev: ModelEvaluation, options: EvaluationHtmlOptions = {}): string {
  const title = options.title ?? "Model evaluation";
  const h: string[] = [];
  h.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${REPORT_CSS}</style></head><body><main>`);
  h.push(`<h1>${e(title)}</h1><p class="sub">${options.subtitle ? `${e(options.subtitle)} · ` : ""}${e(ev.model.kind)} predicting <b>${e(ev.model.target)}</b> (${e(ev.model.task)}${ev.model.positive ? `, positive class ${e(ev.model.positive)}` : ""}) on ${e(num(ev.rows))} labelled rows${ev.missing_target ? ` (${e(num(ev.missing_target))} without a label left out)` : ""}</p>`);

  // summary
  const pm = ev.metrics[ev.primary];
  const cards: [string, string][] = [[ev.primary, `${num(pm.value)}`], ["95% interval", `${num(pm.low)} – ${num(pm.high)}`], ["rows", num(ev.rows)]];
  if (ev.threshold) cards.push(["threshold", `${num(ev.threshold.threshold)} (${ev.threshold.by})`]);
  if (ev.curves) cards.push(["ECE", num(ev.curves.calibration.ece)], ["Brier", num(ev.curves.calibration.brier)]);
  const audited = Object.values(ev.fairness).filter(isBinaryFairness);
  if (audited.length) cards.push(["four-fifths flags", `${audited.filter((f) => f.four_fifths_flag).length} of ${audited.length}`]);
  if (ev.slices) cards.push(["error slices", num(ev.slices.slices.length)]);
  h.push(`<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="k">${e(k)}</div><div class="v">${e(v)}</div></div>`).join("")}</div>`);
  const findings = findingsOf(ev);
  h.push(`<h2 id="findings">Findings</h2>`);
  h.push(findings.length ? `<ul class="warnings">${findings.map((f) => `<li>${e(f)}</li>`).join("")}</ul>` : `<p class="ok">Nothing flagged: no group under the four-fifths rule, no significantly worse slice${ev.curves ? ", calibration error ≤ 0.05" : ""}.</p>`);
  if (ev.threshold?.note) h.push(`<p class="note">Threshold: ${e(ev.threshold.note)}.</p>`);

  // metrics
  h.push(`<h2 id="metrics">Metrics</h2><p class="note">95% bootstrap percentile intervals over ${e(ev.bootstrap.rounds)} resamples of the rows (seed ${e(ev.bootstrap.seed)}).</p>`);
  const headline = new Set([ev.primary, ...defaultMetrics(ev.model.task)]);
  const metricRows = (keep: (m: string) => boolean) => Object.entries(ev.metrics).filter(([m]) => keep(m)).map(([m, v]) => [m, v.value, v.low, v.high, v.unavailable ?? ""]);
  const metricCols = [false, true, true, true, false];
  h.push(table(["metric", "value", "low", "high", "note"], metricRows((m) => headline.has(m)), metricCols));
  const rest = metricRows((m) => !headline.has(m));
  if (rest.length) h.push(`<details><summary>${e(rest.length)} more metrics</summary>${table(["metric", "value", "low", "high", "note"], rest, metricCols)}</details>`);

  if (ev.confusion) {
    const c = ev.confusion;
    const max = Math.max(1, ...c.matrix.flat());
    h.push(`<h2 id="confusion">Confusion matrix</h2><p class="note">True class by row, predicted class by column${ev.threshold ? `, at threshold ${e(num(ev.threshold.threshold))}${ev.threshold.by === "model" ? " (the model's own decisions)" : ""}` : ""}.</p>`);
    h.push(`<table style="width:auto"><thead><tr><th></th>${c.labels.map((l) => `<th class="n">${e(l)}</th>`).join("")}</tr></thead><tbody>${c.matrix.map((row, i) => `<tr><th>${e(c.labels[i])}</th>${row.map((v, j) => `<td class="n" style="background:rgba(${i === j ? "47,109,181" : "179,38,30"},${(0.08 + (0.5 * v) / max).toFixed(2)})">${e(num(v))}</td>`).join("")}</tr>`).join("")}</tbody></table>`);
  }

  if (ev.thresholds && ev.threshold) {
    const pts = ev.thresholds.filter((p) => Number.isFinite(p.threshold));
    const t = pts.map((p) => p.threshold);
    const series: Series[] = [
      { name: "precision", x: t, y: pts.map((p) => p.precision) },
      { name: "recall", x: t, y: pts.map((p) => p.recall) },
      { name: "F1", x: t, y: pts.map((p) => p.f1) },
    ];
    h.push(`<h2 id="threshold">Threshold analysis</h2><p class="note">Positive when the score of ${e(ev.model.positive)} ≥ the threshold; the red line marks the threshold in use.</p><div class="heat">`);
    h.push(`<figure><figcaption>Precision, recall and F1</figcaption>${lineChart(series, { xLabel: "threshold", yLabel: "value", markerX: ev.threshold.threshold, width: 420 })}</figure>`);
    if (pts.some((p) => p.cost !== undefined)) h.push(`<figure><figcaption>Mean cost per row</figcaption>${lineChart([{ name: "cost", x: t, y: pts.map((p) => p.cost!) }], { xLabel: "threshold", yLabel: "cost", markerX: ev.threshold.threshold, width: 420 })}</figure>`);
    h.push(`</div>`);
    if (ev.threshold.by !== "model") {
      const c = ev.threshold;
      h.push(table(["rule", "threshold", "TP", "FP", "TN", "FN", "precision", "recall", "F1", "cost"], [[c.by, c.threshold, c.tp, c.fp, c.tn, c.fn, c.precision, c.recall, c.f1, c.cost ?? NaN]], [false, true, true, true, true, true, true, true, true, true]));
    }
  }

  if (ev.curves) {
    const c = ev.curves;
    h.push(`<h2 id="curves">ROC, precision–recall and calibration</h2><div class="heat">`);
    h.push(`<figure><figcaption>ROC (AUC ${e(num(c.roc.auc))})</figcaption>${lineChart([{ name: "ROC", x: c.roc.fpr, y: c.roc.tpr }], { xLabel: "false positive rate", yLabel: "true positive rate", unit: true, diagonal: true })}</figure>`);
    h.push(`<figure><figcaption>Precision–recall (AP ${e(num(c.pr.average_precision))})</figcaption>${lineChart([{ name: "PR", x: c.pr.recall, y: c.pr.precision }], { xLabel: "recall", yLabel: "precision", unit: true })}</figure>`);
    h.push(`<figure><figcaption>Reliability (ECE ${e(num(c.calibration.ece))}, Brier ${e(num(c.calibration.brier))})</figcaption>${lineChart([{ name: "observed", x: c.calibration.predicted, y: c.calibration.observed }], { xLabel: "mean predicted probability", yLabel: "observed positive rate", unit: true, diagonal: true })}</figure>`);
    h.push(`</div><p class="note">Reliability: ten equal-width bins (scikit-learn's calibration_curve); ECE = Σ (n_b / n) · |observed − predicted|.</p>`);
  }

  if (ev.residuals) {
    const r = ev.residuals;
    h.push(`<h2 id="residuals">Residuals</h2><p class="note">Residual = truth − prediction; positive means the model predicts too low.</p><div class="heat">`);
    h.push(`<figure><figcaption>Residual against prediction</figcaption>${lineChart([{ name: "rows", x: r.sample.prediction, y: r.sample.residual, points: true }], { xLabel: "prediction", yLabel: "residual", hLine: 0, width: 420 })}</figure>`);
    h.push(`<figure><figcaption>Mean residual by decile of the prediction</figcaption>${hBars(r.by_prediction.map((g) => ({ label: g.group, value: g.mean_residual, note: `${num(g.count)} rows` })))}</figure></div>`);
    for (const [col, groups] of Object.entries(r.by_feature)) h.push(`<details><summary>by ${e(col)}</summary>${residualTable(groups)}</details>`);
  }

  const fair = Object.values(ev.fairness);
  if (fair.length) {
    h.push(
      `<h2 id="fairness">Fairness</h2><p class="note">${
        ev.model.task === "binary"
          ? `Fairlearn's definitions: demographic parity compares selection rates, equalized odds the true and false positive rates; disparate impact is a group's selection rate over the highest group's, flagged under ${FOUR_FIFTHS} (the four-fifths rule). Groups under 30 rows are shown but not compared.`
          : `The ${e(ev.primary)} and ${ev.model.task === "regression" ? "MAE" : "accuracy"} of each group (selection rates and the four-fifths rule are for binary decisions).`
      }</p>`,
    );
    for (const f of fair) {
      h.push(`<div class="col"><div class="head"><h3>${e(f.column)}</h3>${isBinaryFairness(f) && f.four_fifths_flag ? `<span class="flags"><span class="flag">FOUR-FIFTHS</span></span>` : ""}</div>`);
      if (isBinaryFairness(f)) {
        h.push(table(["demographic parity difference", "ratio", "equalized odds difference", "ratio"], [[f.demographic_parity_difference, f.demographic_parity_ratio, f.equalized_odds_difference, f.equalized_odds_ratio]], [true, true, true, true]));
        h.push(`<p class="note">Disparate impact by group (selection rate / ${e(f.most_selected ?? "—")}'s):</p>`);
        h.push(hBars(f.groups.map((g) => ({ label: g.group, value: g.disparate_impact, flag: g.four_fifths_flag, note: `${num(g.count)} rows` })), { max: 1, line: FOUR_FIFTHS, format: (v) => num(v) }));
        const metricNames = Object.keys(f.groups[0]?.metrics ?? {});
        h.push(table(["group", "count", "selection rate", "TPR", "FPR", ...metricNames], f.groups.map((g) => [g.group, g.count, g.selection_rate, g.true_positive_rate, g.false_positive_rate, ...metricNames.map((m) => g.metrics[m])]), [false, true, true, true, true, ...metricNames.map(() => true)]));
        for (const n of f.notes) h.push(`<p class="note">${e(n)}</p>`);
      } else {
        const entries = Object.entries(f.groups);
        const names = Object.keys(entries[0]?.[1] ?? {}).filter((k) => k !== "n");
        h.push(table(["group", "rows", ...names], entries.map(([g, m]) => [g, m.n, ...names.map((k) => m[k])]), [false, true, ...names.map(() => true)]));
      }
      h.push(`</div>`);
    }
  }

  if (ev.slices) {
    const s = ev.slices;
    h.push(`<h2 id="slices">Error slices</h2><p class="note">Every column's groups (numeric columns in quartile bins) and every pair of them, each tested against the other rows with Welch's t-test on the per-row ${e(s.loss)}; ${e(num(s.tested))} slices of at least ${e(s.min_size)} rows tested, false discovery rate held at ${e(s.alpha)} (Benjamini–Hochberg); shown when the effect size is at least ${e(s.min_effect)} (pairs only when worse than both their single-column parts). Overall ${e(s.loss)}: ${e(num(s.overall_loss))}.</p>`);
    if (s.slices.length === 0) h.push(`<p class="ok">No slice is significantly worse than the rest.</p>`);
    else {
      h.push(hBars(s.slices.map((x) => ({ label: x.slice, value: x.effect_size, note: `${num(x.size)} rows` }))));
      h.push(table(["slice", "rows", "share", s.loss, "elsewhere", "effect size", "p", "q"], s.slices.map((x) => [x.slice, x.size, pct(x.share), x.loss, x.rest_loss, x.effect_size, x.p_value, x.q_value]), [false, true, true, true, true, true, true, true]));
    }
  }
  h.push(`</main></body></html>`);
  return h.join("");
}
