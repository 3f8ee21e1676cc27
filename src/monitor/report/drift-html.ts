/**
 * The drift report as one self-contained HTML page (inline CSS and SVG, no scripts, nothing
 * fetched): the verdict and a table of every column first, then data-quality findings, then one
 * section per column with a chart of reference vs current shares per bucket. Its size depends on
 * the number of columns, never on the number of rows: charts draw bucket shares (at most 11 bins, or
 * the 20 largest categories plus "other"), and lists stop at a few examples — 10 columns stay far
 * below 2 MB.
 */
import type { ColumnDrift } from "../drift/column-drift.js";
import type { DriftReport } from "../drift/drift-report.js";
import type { DataQualityReport, QualityFinding } from "../quality/data-quality.js";

/** Categories drawn per chart; the rest are summed into "other". */
export const MAX_CHART_CATEGORIES = 20;
const MAX_FINDINGS = 200;

/** Options of `driftReportToHtml`. */
export interface DriftHtmlOptions {
  readonly title?: string;
  /** What the reference and current data are (file names, a model version, a window). */
  readonly referenceName?: string;
  readonly currentName?: string;
  /** When the report was made (default: now). */
  readonly generatedAt?: Date;
}

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A number for people: 4 significant digits, exponent for the very small. */
function num(v: number | undefined | null): string {
  if (v === undefined || v === null) return "";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e9) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v !== 0 && Math.abs(v) < 0.001 ? 3 : 1)}%`;
}

interface Bars {
  labels: string[];
  ref: number[];
  cur: number[];
}

function shares(counts: readonly number[]): number[] {
  let t = 0;
  for (const c of counts) t += c;
  return counts.map((c) => (t ? c / t : 0));
}

/** The buckets to draw: numeric bins as ranges; categories capped at MAX_CHART_CATEGORIES (+ other). */
function barsOf(c: ColumnDrift): Bars {
  const ref = shares(c.buckets.reference);
  const cur = shares(c.buckets.current);
  if (c.buckets.edges) {
    const e = c.buckets.edges;
    const labels = e.length < 2 ? [`= ${num(e[0])}`] : ref.map((_, k) => (k === 0 ? `≤ ${num(e[1])}` : k === ref.length - 1 ? `> ${num(e[k])}` : `${num(e[k])}–${num(e[k + 1])}`));
    return { labels, ref, cur };
  }
  const labels = c.buckets.labels ?? [];
  const order = labels.map((_, i) => i).sort((a, b) => Math.max(ref[b], cur[b]) - Math.max(ref[a], cur[a]) || a - b);
  const keep = order.slice(0, MAX_CHART_CATEGORIES).sort((a, b) => a - b);
  const out: Bars = { labels: keep.map((i) => labels[i]), ref: keep.map((i) => ref[i]), cur: keep.map((i) => cur[i]) };
  if (order.length > MAX_CHART_CATEGORIES) {
    const rest = order.slice(MAX_CHART_CATEGORIES);
    out.labels.push(`other (${rest.length})`);
    out.ref.push(rest.reduce((s, i) => s + ref[i], 0));
    out.cur.push(rest.reduce((s, i) => s + cur[i], 0));
  }
  return out;
}

/** Grouped bars: reference (grey) and current (blue, or red when the column drifted). */
function barsSvg(b: Bars, drifted: boolean): string {
  const W = 720;
  const H = 210;
  const left = 44;
  const bottom = 58;
  const top = 10;
  const plotW = W - left - 10;
  const plotH = H - top - bottom;
  const n = Math.max(b.labels.length, 1);
  const max = Math.max(1e-12, ...b.ref, ...b.cur);
  const slot = plotW / n;
  const bw = Math.max(2, Math.min(28, slot * 0.38));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`);
  for (const t of [0, 0.5, 1]) {
    const yy = y(max * t).toFixed(1);
    parts.push(`<line x1="${left}" x2="${W - 10}" y1="${yy}" y2="${yy}" class="grid"/><text x="${left - 4}" y="${yy}" class="ax" text-anchor="end" dy="3">${pct(max * t)}</text>`);
  }
  b.labels.forEach((label, i) => {
    const x0 = left + i * slot + slot / 2;
    const r = b.ref[i];
    const c = b.cur[i];
    parts.push(
      `<rect x="${(x0 - bw).toFixed(1)}" y="${y(r).toFixed(1)}" width="${bw.toFixed(1)}" height="${(top + plotH - y(r)).toFixed(1)}" class="ref"><title>${esc(label)}: reference ${pct(r)}</title></rect>`,
      `<rect x="${x0.toFixed(1)}" y="${y(c).toFixed(1)}" width="${bw.toFixed(1)}" height="${(top + plotH - y(c)).toFixed(1)}" class="${drifted ? "curd" : "cur"}"><title>${esc(label)}: current ${pct(c)}</title></rect>`,
    );
    const short = label.length > 14 ? `${label.slice(0, 13)}…` : label;
    parts.push(`<text x="${x0.toFixed(1)}" y="${H - bottom + 14}" class="ax" text-anchor="end" transform="rotate(-35 ${x0.toFixed(1)} ${H - bottom + 14})">${esc(short)}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("");
}

function statLine(c: ColumnDrift): string {
  const items: string[] = [];
  if (c.ks) items.push(`KS D = ${num(c.ks.statistic)}, p = ${num(c.ks.p_value)}`);
  if (c.wasserstein_norm !== undefined) items.push(`Wasserstein (norm.) = ${num(c.wasserstein_norm)}`);
  if (c.chi2) items.push(`χ² = ${num(c.chi2.statistic)}, p = ${num(c.chi2.p_value)}`);
  items.push(`PSI = ${num(c.psi)}`, `Jensen–Shannon = ${num(c.js)}`);
  return items.map(esc).join(" · ");
}

function verdictOf(c: ColumnDrift): string {
  const p = c.test === "ks" || c.test === "chi2";
  return `${esc(c.test)}: ${p ? "p = " : ""}${esc(num(c.statistic))} (drifts ${p ? "below" : "above"} ${esc(num(c.threshold))})`;
}

function findingsTable(f: readonly QualityFinding[]): string {
  if (f.length === 0) return `<p class="ok">No data-quality findings.</p>`;
  const rows = f.slice(0, MAX_FINDINGS).map((x) => {
    const ex = x.examples.map((e) => `row ${e.row}: ${esc(e.value === null ? "missing" : JSON.stringify(e.value))}`).join("; ");
    return `<tr><td>${esc(x.check ?? x.code)}</td><td>${esc(x.column ?? "")}</td><td class="n">${x.count}</td><td class="n">${pct(x.share)}</td><td>${esc(x.message)}${ex ? `<div class="ex">${ex}</div>` : ""}</td></tr>`;
  });
  const more = f.length > MAX_FINDINGS ? `<p>… and ${f.length - MAX_FINDINGS} more (see the JSON report).</p>` : "";
  return `<table><thead><tr><th>finding</th><th>column</th><th>rows</th><th>share</th><th>details (examples)</th></tr></thead><tbody>${rows.join("")}</tbody></table>${more}`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#1d2329;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde3e8;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 4px}.meta{color:#5d6b78}.verdict{padding:12px 16px;border-radius:6px;margin:14px 0;font-size:16px}
.drift{background:#fdecea;border:1px solid #f5c2bd}.stable{background:#e9f6ec;border:1px solid #b9e0c2}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.yes{color:#b3261e;font-weight:600}.no{color:#2e7d32}
.ex{color:#5d6b78;font-size:12px}.ok{color:#2e7d32}.stats{color:#38444f;font-size:13px}
svg .ref{fill:#9aa5b1}svg .cur{fill:#3b7dd8}svg .curd{fill:#d9534f}svg .grid{stroke:#eef1f4}svg .ax{font-size:10px;fill:#5d6b78}
.key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}`;

/**
 * Render a drift report (and, when given, its data-quality report) as a self-contained HTML page.
 * @example writeFileSync("drift.html", driftReportToHtml(report, quality, { referenceName: "train.parquet", currentName: "today.parquet" }));
 */
export function driftReportToHtml(report: DriftReport, quality?: DataQualityReport, options: DriftHtmlOptions = {}): string {
  const title = options.title ?? "Drift report";
  const when = (options.generatedAt ?? new Date()).toISOString().replace("T", " ").slice(0, 19) + " UTC";
  const cols = [...report.columns].sort((a, b) => Number(b.drifted) - Number(a.drifted));
  const h: string[] = [];
  h.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  h.push(`<h1>${esc(title)}</h1>`);
  h.push(
    `<div class="meta">reference: ${esc(options.referenceName ?? "reference")} (${report.reference_rows.toLocaleString("en-US")} rows) · current: ${esc(options.currentName ?? "current")} (${report.current_rows.toLocaleString("en-US")} rows) · ${esc(when)}</div>`,
  );
  const findings = quality?.findings.length ?? 0;
  h.push(
    `<div class="verdict ${report.dataset_drift ? "drift" : "stable"}"><b>${report.dataset_drift ? "Dataset drift detected" : "No dataset drift"}</b>: ${report.number_of_drifted_columns} of ${report.number_of_columns} columns drifted (${pct(report.drift_share)}; the dataset drifts at ${pct(report.drift_share_threshold)}).${quality ? ` ${findings === 0 ? "No data-quality findings." : `${findings} data-quality finding${findings > 1 ? "s" : ""}.`}` : ""}</div>`,
  );
  h.push(`<h2>Columns</h2><table><thead><tr><th>column</th><th>kind</th><th>drifted</th><th>test</th><th>statistic</th><th>threshold</th><th>PSI</th><th>JS</th><th>KS p</th><th>Wasserstein (norm.)</th><th>χ² p</th></tr></thead><tbody>`);
  for (const c of cols) {
    h.push(
      `<tr><td><a href="#col-${esc(encodeURIComponent(c.column))}">${esc(c.column)}</a></td><td>${c.kind}</td><td class="${c.drifted ? "yes" : "no"}">${c.drifted ? "yes" : "no"}</td><td>${esc(c.test)}</td><td class="n">${num(c.statistic)}</td><td class="n">${num(c.threshold)}</td><td class="n">${num(c.psi)}</td><td class="n">${num(c.js)}</td><td class="n">${num(c.ks?.p_value)}</td><td class="n">${num(c.wasserstein_norm)}</td><td class="n">${num(c.chi2?.p_value)}</td></tr>`,
    );
  }
  h.push(`</tbody></table>`);
  if (report.skipped.length) h.push(`<p class="meta">Not compared: ${report.skipped.map((s) => `<b>${esc(s.column)}</b> (${esc(s.reason)})`).join(", ")}.</p>`);
  if (quality) {
    h.push(`<h2>Data quality</h2>`);
    h.push(findingsTable(quality.findings));
  }
  h.push(`<h2>Per column</h2><div class="meta key">shares per bucket:<span style="background:#9aa5b1"></span>reference<span style="background:#3b7dd8"></span>current<span style="background:#d9534f"></span>current (drifted)</div>`);
  for (const c of cols) {
    h.push(`<h3 id="col-${esc(encodeURIComponent(c.column))}">${esc(c.column)} <span class="${c.drifted ? "yes" : "no"}">${c.drifted ? "drifted" : "stable"}</span></h3>`);
    h.push(`<div class="stats">${c.kind}, ${c.reference_rows.toLocaleString("en-US")} vs ${c.current_rows.toLocaleString("en-US")} values · decided by ${verdictOf(c)} · ${statLine(c)}</div>`);
    if (c.unseen?.length) h.push(`<div class="stats">new in the current data: ${c.unseen.slice(0, 10).map((u) => esc(JSON.stringify(u))).join(", ")}${c.unseen.length > 10 ? `, … (${c.unseen.length})` : ""}</div>`);
    h.push(barsSvg(barsOf(c), c.drifted));
  }
  h.push(`<p class="meta">Tests as Evidently's defaults choose them: KS (numeric) or χ² (categorical) up to 1,000 reference values, else normalised Wasserstein or Jensen–Shannon distance. PSI over the reference's deciles, shares floored at 0.0001.</p>`);
  h.push(`</body></html>`);
  return h.join("\n");
}
