/**
 * An explanation report as one self-contained HTML page (inline CSS and SVG, no scripts, nothing
 * fetched). Summary first: what was explained and the columns that matter most, the global
 * importance (mean |SHAP| per input column), a beeswarm of every explained row's SHAP values
 * coloured by the column's value, waterfalls of the first rows; then permutation importance and
 * partial dependence with ICE curves. Charts of a multi-output model show its first output (named).
 * Its size is bounded: at most 20 columns per chart, 1,000 dots per beeswarm row, 3 waterfalls,
 * the report's ICE curves.
 */
import type { ExplainReport } from "./report.js";

const MAX_BARS = 20;
const MAX_SWARM_COLUMNS = 12;
const MAX_DOTS = 1000;
const MAX_WATERFALLS = 3;

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A number for people: 4 significant digits, exponent for the very small or large. */
function num(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e9) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** SHAP value of row r, column j, output 0. */
function valueAt(r: ExplainReport, row: number, j: number): number {
  const v = (r.values as unknown[])[row] as (number | number[])[];
  const x = v[j];
  return Array.isArray(x) ? x[0] : x;
}

function baseAt(r: ExplainReport, row: number): number {
  const b = (r.base_values as unknown[])[row];
  return Array.isArray(b) ? (b[0] as number) : (b as number);
}

/** Mean |SHAP| summed over outputs, per column. */
function importanceOf(r: ExplainReport): number[] {
  return r.importance.map((v) => (Array.isArray(v) ? v.reduce((s, x) => s + x, 0) : v));
}

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Horizontal bars (value ≥ 0), optional ± whiskers. */
function barChart(labels: string[], values: number[], whiskers?: number[], colour = "#3b7dd8"): string {
  const rows = labels.length;
  const W = 760;
  const left = 190;
  const right = 70;
  const rowH = 20;
  const H = rows * rowH + 30;
  const max = Math.max(1e-300, ...values.map((v, i) => v + (whiskers?.[i] ?? 0)));
  const min = Math.min(0, ...values.map((v, i) => v - (whiskers?.[i] ?? 0)));
  const x = (v: number) => left + ((v - min) / (max - min)) * (W - left - right);
  const p: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`];
  for (const t of ticks(min, max)) p.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="0" y2="${rows * rowH}"/><text class="ax" x="${x(t)}" y="${rows * rowH + 14}" text-anchor="middle">${num(t)}</text>`);
  labels.forEach((l, i) => {
    const y = i * rowH;
    const v = values[i];
    p.push(`<text class="lab" x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(l.length > 28 ? `${l.slice(0, 27)}…` : l)}</text>`);
    p.push(`<rect x="${Math.min(x(0), x(v))}" y="${y + 3}" width="${Math.abs(x(v) - x(0))}" height="${rowH - 6}" fill="${colour}"><title>${esc(l)}: ${num(v)}</title></rect>`);
    if (whiskers) p.push(`<line class="wh" x1="${x(v - whiskers[i])}" x2="${x(v + whiskers[i])}" y1="${y + rowH / 2}" y2="${y + rowH / 2}"/>`);
    p.push(`<text class="ax" x="${Math.max(x(v), x(v + (whiskers?.[i] ?? 0))) + 4}" y="${y + 14}">${num(v)}</text>`);
  });
  p.push("</svg>");
  return p.join("");
}

/** Blue (low) to red (high) for t in [0, 1]; grey when the value is not numeric. */
function heat(t: number | null): string {
  if (t === null) return "#9aa5b1";
  const a = [0x1e, 0x88, 0xe5];
  const b = [0xff, 0x00, 0x52];
  return `rgb(${a.map((c, i) => Math.round(c + (b[i] - c) * t)).join(",")})`;
}

function beeswarm(r: ExplainReport, order: number[]): string {
  const cols = order.slice(0, MAX_SWARM_COLUMNS);
  const n = Math.min(r.rows.length, MAX_DOTS);
  const W = 760;
  const left = 190;
  const right = 30;
  const rowH = 34;
  const H = cols.length * rowH + 34;
  let lo = 0;
  let hi = 0;
  for (const j of cols) for (let i = 0; i < n; i++) {
    const v = valueAt(r, i, j);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) hi = lo + 1;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * (W - left - right);
  const p: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`];
  for (const t of ticks(lo, hi)) p.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="0" y2="${cols.length * rowH}"/><text class="ax" x="${x(t)}" y="${cols.length * rowH + 14}" text-anchor="middle">${num(t)}</text>`);
  p.push(`<line class="zero" x1="${x(0)}" x2="${x(0)}" y1="0" y2="${cols.length * rowH}"/>`);
  p.push(`<text class="ax" x="${(left + W - right) / 2}" y="${H - 4}" text-anchor="middle">SHAP value (${esc(r.output_names[0])}, ${esc(r.link === "identity" ? "output" : `raw, ${r.link} link`)})</text>`);
  cols.forEach((j, ci) => {
    const y0 = ci * rowH + rowH / 2;
    p.push(`<text class="lab" x="${left - 6}" y="${y0 + 4}" text-anchor="end">${esc(r.feature_names[j])}</text>`);
    // colour: the rank of a numeric value among the explained rows
    const vals = Array.from({ length: n }, (_, i) => r.data[i]?.[j]);
    const numeric = vals.map((v) => (typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : null));
    const sorted = numeric.filter((v): v is number => v !== null).sort((a, b) => a - b);
    const rank = (v: number) => {
      let a = 0;
      let b = sorted.length;
      while (a < b) {
        const m = (a + b) >> 1;
        if (sorted[m] < v) a = m + 1;
        else b = m;
      }
      return sorted.length > 1 ? a / (sorted.length - 1) : 0.5;
    };
    // stack dots that share a pixel bin, alternating above and below the line
    const used = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = valueAt(r, i, j);
      const px = x(v);
      const bin = Math.round(px / 3);
      const k = used.get(bin) ?? 0;
      used.set(bin, k + 1);
      const dy = Math.min(rowH / 2 - 3, Math.ceil(k / 2) * 2.5) * (k % 2 ? -1 : 1);
      const c = numeric[i] === null ? null : rank(numeric[i]!);
      p.push(`<circle cx="${px.toFixed(1)}" cy="${(y0 + dy).toFixed(1)}" r="2.4" fill="${heat(c)}"><title>row ${r.rows[i]}: ${esc(r.feature_names[j])} = ${esc(vals[i])}, SHAP ${num(v)}</title></circle>`);
    }
  });
  p.push("</svg>");
  return p.join("");
}

function waterfall(r: ExplainReport, row: number): string {
  const M = r.feature_names.length;
  const contrib = Array.from({ length: M }, (_, j) => ({ j, v: valueAt(r, row, j) })).sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  const shown = contrib.slice(0, 10);
  const rest = contrib.slice(10).reduce((s, c) => s + c.v, 0);
  const steps = shown.map((c) => ({ label: `${r.feature_names[c.j]} = ${String(r.data[row]?.[c.j] ?? "")}`, v: c.v }));
  if (contrib.length > 10) steps.push({ label: `${contrib.length - 10} other columns`, v: rest });
  const base = baseAt(r, row);
  let cum = base;
  const points = [base];
  for (const s of steps) points.push((cum += s.v));
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  const W = 760;
  const left = 260;
  const right = 80;
  const rowH = 20;
  const H = (steps.length + 2) * rowH + 24;
  const span = hi > lo ? hi - lo : 1;
  const x = (v: number) => left + ((v - lo) / span) * (W - left - right);
  const p: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`];
  for (const t of ticks(lo, hi)) p.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="0" y2="${(steps.length + 2) * rowH}"/><text class="ax" x="${x(t)}" y="${(steps.length + 2) * rowH + 14}" text-anchor="middle">${num(t)}</text>`);
  p.push(`<text class="lab" x="${left - 6}" y="14" text-anchor="end">base value E[f(X)]</text><line class="zero" x1="${x(base)}" x2="${x(base)}" y1="2" y2="${rowH * (steps.length + 2)}"/><text class="ax" x="${x(base) + 4}" y="14">${num(base)}</text>`);
  let at = base;
  steps.forEach((s, i) => {
    const y = (i + 1) * rowH;
    const a = x(at);
    const b = x(at + s.v);
    p.push(`<text class="lab" x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(s.label.length > 40 ? `${s.label.slice(0, 39)}…` : s.label)}</text>`);
    p.push(`<rect x="${Math.min(a, b)}" y="${y + 3}" width="${Math.max(1, Math.abs(b - a))}" height="${rowH - 6}" fill="${s.v >= 0 ? "#ff0052" : "#1e88e5"}"><title>${esc(s.label)}: ${num(s.v)}</title></rect>`);
    p.push(`<text class="ax" x="${Math.max(a, b) + 4}" y="${y + 14}">${s.v >= 0 ? "+" : "−"}${num(Math.abs(s.v))}</text>`);
    at += s.v;
  });
  const yEnd = (steps.length + 1) * rowH;
  p.push(`<text class="lab" x="${left - 6}" y="${yEnd + 14}" text-anchor="end"><tspan font-weight="600">f(x)</tspan></text><line class="out" x1="${x(at)}" x2="${x(at)}" y1="${rowH}" y2="${yEnd + rowH}"/><text class="ax" x="${x(at) + 4}" y="${yEnd + 14}">${num(at)}</text>`);
  p.push("</svg>");
  return p.join("");
}

/** Partial dependence (bold) over ICE curves (faint) for output 0. */
function pdpChart(pd: NonNullable<ExplainReport["partial_dependence"]>[number]): string {
  const W = 370;
  const H = 230;
  const left = 50;
  const bottom = 40;
  const top = 10;
  const right = 12;
  const G = pd.grid.length;
  const numeric = pd.grid.every((g) => typeof g === "number");
  const gx = numeric ? (pd.grid as number[]) : pd.grid.map((_, i) => i);
  const xlo = Math.min(...gx);
  const xhi = Math.max(...gx);
  const curves = pd.individual[0] ?? [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of [pd.average[0], ...curves]) for (const v of c) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    hi = lo + 1;
  }
  const x = (v: number) => left + ((v - xlo) / (xhi > xlo ? xhi - xlo : 1)) * (W - left - right);
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (H - top - bottom);
  const path = (c: number[]) => c.map((v, g) => `${g ? "L" : "M"}${x(gx[g]).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const p: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`];
  for (const t of ticks(lo, hi, 4)) p.push(`<line class="grid" x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}"/><text class="ax" x="${left - 4}" y="${y(t) + 3}" text-anchor="end">${num(t)}</text>`);
  if (numeric) for (const t of ticks(xlo, xhi, 4)) p.push(`<text class="ax" x="${x(t)}" y="${H - bottom + 14}" text-anchor="middle">${num(t)}</text>`);
  else pd.grid.forEach((g, i) => {
    if (G <= 12) p.push(`<text class="ax" x="${x(i)}" y="${H - bottom + 14}" text-anchor="middle">${esc(String(g).slice(0, 10))}</text>`);
  });
  for (const c of curves) p.push(`<path class="ice" d="${path(c)}"/>`);
  p.push(`<path class="pd" d="${path(pd.average[0])}"/>`);
  if (!numeric || G < 8) pd.average[0].forEach((v, g) => p.push(`<circle cx="${x(gx[g])}" cy="${y(v)}" r="3" fill="#b3261e"><title>${esc(pd.grid[g])}: ${num(v)}</title></circle>`));
  p.push(`<text class="ax" x="${(left + W - right) / 2}" y="${H - 6}" text-anchor="middle">${esc(pd.column)}</text>`);
  p.push("</svg>");
  return p.join("");
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#1d2329;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde3e8;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 4px}.meta{color:#5d6b78}.summary{padding:12px 16px;border-radius:6px;margin:14px 0;background:#eef4fb;border:1px solid #c9dcf2}
table{border-collapse:collapse;font-size:13px}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg .grid{stroke:#eef1f4}svg .ax{font-size:10px;fill:#5d6b78}svg .lab{font-size:11px;fill:#1d2329}svg .zero{stroke:#9aa5b1;stroke-dasharray:3 3}
svg .out{stroke:#1d2329}svg .wh{stroke:#1d2329}svg .ice{fill:none;stroke:#3b7dd8;stroke-opacity:.18}svg .pd{fill:none;stroke:#b3261e;stroke-width:2.5}
.pdps{display:flex;flex-wrap:wrap;gap:12px}.key span{display:inline-block;width:40px;height:8px;margin:0 6px;background:linear-gradient(90deg,#1e88e5,#ff0052)}`;

const LINKS: Record<string, string> = {
  identity: "the explained output is the prediction itself",
  logit: "the explained output is log-odds; the probability is σ(output)",
  softmax: "the explained outputs are per-class logits; the probabilities are their softmax",
  log: "the explained output is a log; the prediction is exp(output)",
};

/**
 * Render an explanation report as a self-contained HTML page.
 * @example writeFileSync("explain.html", explainReportToHtml(report, { model: "models:/churn@champion", file: "rows.csv" }));
 */
export function explainReportToHtml(r: ExplainReport, options: { model?: string; file?: string; generatedAt?: Date } = {}): string {
  const imp = importanceOf(r);
  const order = imp.map((v, j) => ({ v, j })).sort((a, b) => b.v - a.v).map((x) => x.j);
  const title = `Explanation of ${options.model ?? "a model"}`;
  const h: string[] = [];
  h.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  h.push(`<h1>${esc(title)}</h1>`);
  h.push(`<div class="meta">${options.file ? `${esc(options.file)} · ` : ""}${r.rows.length.toLocaleString("en-US")} of ${r.file_rows.toLocaleString("en-US")} rows explained · ${esc((options.generatedAt ?? new Date()).toISOString())}</div>`);
  const methodText = r.method === "tree" ? "exact path-dependent TreeSHAP" : r.method === "linear" ? "exact linear SHAP (interventional, independent features, background mean)" : "KernelSHAP (interventional, over a background sample)";
  const top = order.slice(0, 3).filter((j) => imp[j] > 0).map((j) => `<b>${esc(r.feature_names[j])}</b> (${num(imp[j])})`);
  h.push(`<div class="summary">${top.length ? `The columns that move predictions most: ${top.join(", ")} — mean |SHAP|.` : "No column moves the predictions (every SHAP value is 0)."} Method: ${methodText}. Outputs: ${r.output_names.map(esc).join(", ")}; ${LINKS[r.link] ?? esc(r.link)}.${r.permutation_importance ? ` Permutation importance on ${r.file_rows.toLocaleString("en-US")} labelled rows below.` : ""}</div>`);
  h.push(`<h2>Global importance</h2><div class="meta">mean |SHAP| per input column${r.output_names.length > 1 ? ", summed over outputs" : ""}</div>`);
  const bars = order.slice(0, MAX_BARS);
  h.push(barChart(bars.map((j) => r.feature_names[j]), bars.map((j) => imp[j])));
  if (order.length > MAX_BARS) h.push(`<p class="meta">${order.length - MAX_BARS} more columns with smaller importance are in the JSON output.</p>`);
  h.push(`<h2>SHAP values per row</h2><div class="meta key">one dot per explained row${r.rows.length > MAX_DOTS ? ` (the first ${MAX_DOTS})` : ""}; colour: the column's value, low<span></span>high (grey: not numeric)</div>`);
  h.push(beeswarm(r, order));
  const shown = Math.min(MAX_WATERFALLS, r.rows.length);
  for (let i = 0; i < shown; i++) {
    h.push(`<h3>Row ${r.rows[i]}</h3>`);
    h.push(waterfall(r, i));
  }
  if (r.permutation_importance) {
    const pi = r.permutation_importance;
    const names = Object.keys(pi.scores);
    const first = pi.scores[names[0]];
    const o = pi.columns.map((_, c) => c).sort((a, b) => first.importances_mean[b] - first.importances_mean[a]).slice(0, MAX_BARS);
    h.push(`<h2>Permutation importance</h2><div class="meta">drop in ${esc(names[0])} when a column is shuffled (mean ± std over ${pi.n_repeats} repeats, seed ${pi.seed}); baseline ${num(first.baseline)}</div>`);
    h.push(barChart(o.map((c) => pi.columns[c]), o.map((c) => first.importances_mean[c]), o.map((c) => first.importances_std[c]), "#6b8e23"));
    if (names.length > 1) {
      h.push(`<table><thead><tr><th>column</th>${names.map((n) => `<th>${esc(n)}</th>`).join("")}</tr></thead><tbody>`);
      for (const c of o) h.push(`<tr><td>${esc(pi.columns[c])}</td>${names.map((n) => `<td class="n">${num(pi.scores[n].importances_mean[c])} ± ${num(pi.scores[n].importances_std[c])}</td>`).join("")}</tr>`);
      h.push("</tbody></table>");
    }
  }
  if (r.partial_dependence?.length) {
    const pd0 = r.partial_dependence[0];
    h.push(`<h2>Partial dependence</h2><div class="meta">mean ${esc(pd0.output_names[0])} ${pd0.output_names.length > 1 || r.output_names[0] !== pd0.output_names[0] ? "probability " : ""}with the column set to each grid value (red), and ${pd0.ice_rows.length} rows' own curves (ICE, blue)</div><div class="pdps">`);
    for (const pd of r.partial_dependence) h.push(pdpChart(pd));
    h.push("</div>");
  }
  h.push(`<p class="meta">SHAP: base value + Σ SHAP values = the explained output of each row. Columns a one-hot encoding splits are summed into their input column.</p>`);
  h.push("</body></html>");
  return h.join("\n");
}
