/**
 * `profileToHtml(profile)`: the profile as one self-contained HTML page — inline CSS and inline
 * SVG charts, no scripts, no fonts or images fetched from anywhere. Every string that came from
 * the data (column names, category values, messages) is HTML-escaped.
 */
import type { Bars, ColumnProfile, CorrelationMatrix, Histogram, Profile, ProfileValue } from "./types.js";

/** Options of `profileToHtml`. */
export interface HtmlOptions {
  /** Page title, e.g. the file name. Default "Data profile". */
  readonly title?: string;
  /** Sections (HTML, already escaped) placed after the warnings, e.g. the pre-training bias report. */
  readonly sections?: readonly string[];
}

/**
 * Escape text for HTML element content and quoted attribute values.
 * @example
 * ```ts
 * escapeHtml("<b>&</b>"); // "&lt;b&gt;&amp;&lt;/b&gt;"
 * ```
 */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === '"' ? "&quot;" : "&#39;"));
}
const e = escapeHtml;

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e15) return v.toLocaleString("en-US");
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(2);
  if (a >= 1000) return v.toLocaleString("en-US", { maximumFractionDigits: 1 });
  if (a >= 1) return v.toLocaleString("en-US", { maximumFractionDigits: 3 });
  return v.toPrecision(3);
}

function fmtDate(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const iso = new Date(ms).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace("T", " ").replace(/\.000Z$/, "Z");
}

function pct(f: number | null): string {
  if (f === null || !Number.isFinite(f)) return "—";
  const p = f * 100;
  if (p === 0) return "0%";
  if (p < 0.1) return "<0.1%";
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

function value(v: ProfileValue): string {
  return typeof v === "number" ? fmt(v) : String(v);
}

/** The stylesheet of Keel's self-contained HTML reports (profile, evaluation). */
export const REPORT_CSS = `
:root{--fg:#1d232b;--muted:#5f6b7a;--line:#e3e7ec;--bg:#fff;--soft:#f6f8fa;--accent:#2f6db5;--warn:#b4540a;--warnbg:#fff6ec;--bad:#b3261e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:32px 24px 64px}
h1{font-size:26px;margin:0 0 4px;font-weight:650;letter-spacing:-.01em}
h2{font-size:19px;margin:40px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line);font-weight:620}
h3{font-size:16px;margin:0;font-weight:620;word-break:break-word}
.sub{color:var(--muted);margin:0 0 24px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;margin:16px 0}
.card{background:var(--soft);border-radius:8px;padding:12px 14px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 10px 5px 0;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.n,th.n{text-align:right}
.warnings{list-style:none;padding:0;margin:0}
.warnings li{background:var(--warnbg);border-left:3px solid var(--warn);padding:8px 12px;margin:0 0 6px;border-radius:0 6px 6px 0}
.code{font:600 11px/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--warn);margin-right:8px;letter-spacing:.02em}
.ok{color:var(--muted)}
.kind{display:inline-block;font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:10px;padding:0 7px;margin-left:8px;vertical-align:2px}
.col{border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px}
.col .head{display:flex;align-items:baseline;gap:8px;margin-bottom:10px;flex-wrap:wrap}
.col .flags{margin-left:auto}
.flag{font:600 10px/1 ui-monospace,Menlo,Consolas,monospace;color:var(--warn);background:var(--warnbg);padding:3px 6px;border-radius:4px;margin-left:4px}
.grid{display:grid;grid-template-columns:minmax(220px,300px) 1fr;gap:24px}
@media (max-width:720px){.grid{grid-template-columns:1fr}}
.stats td{border:none;padding:2px 12px 2px 0}
.stats td:first-child{color:var(--muted)}
.bar{display:inline-block;height:10px;background:var(--accent);border-radius:2px;vertical-align:middle;opacity:.85}
.note{color:var(--muted);font-size:12.5px}
svg text{font:11px -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--muted)}
.heat{display:flex;flex-wrap:wrap;gap:28px}
.heat figure{margin:0}
.heat figcaption{font-weight:600;margin-bottom:6px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
nav.toc{columns:3 180px;font-size:13px}
nav.toc a{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
`;

function histogramSvg(h: Histogram, isDate: boolean): string {
  const W = 460;
  const H = 150;
  const padB = 20;
  const max = Math.max(1, ...h.counts);
  const bw = W / h.counts.length;
  const label = (v: number) => (isDate ? fmtDate(v).slice(0, 10) : fmt(v));
  const bars = h.counts
    .map((c, i) => {
      const bh = (c / max) * (H - padB - 6);
      const lo = label(h.edges[i]);
      const hi = label(h.edges[i + 1]);
      return `<rect x="${(i * bw + 0.5).toFixed(1)}" y="${(H - padB - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="#2f6db5" opacity=".85"><title>${e(lo)} – ${e(hi)}: ${e(fmt(c))}</title></rect>`;
    })
    .join("");
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" role="img" aria-label="histogram">${bars}<line x1="0" x2="${W}" y1="${H - padB + 0.5}" y2="${H - padB + 0.5}" stroke="#c9d0d8"/><text x="0" y="${H - 5}">${e(label(h.edges[0]))}</text><text x="${W}" y="${H - 5}" text-anchor="end">${e(label(h.edges[h.edges.length - 1]))}</text></svg>`;
}

function barsSvg(b: Bars, total: number): string {
  const rows = b.values.map((v, i) => ({ label: v, count: b.counts[i] }));
  if (b.other > 0) rows.push({ label: "(other values)", count: b.other });
  const W = 460;
  const rowH = 20;
  const labelW = 150;
  const H = rows.length * rowH + 4;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const body = rows
    .map((r, i) => {
      const y = i * rowH + 2;
      const w = (r.count / max) * (W - labelW - 130);
      const shown = r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label;
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${e(shown)}<title>${e(r.label)}</title></text><rect x="${labelW}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 7}" rx="2" fill="${r.label === "(other values)" && i === rows.length - 1 && b.other > 0 ? "#9aa5b1" : "#2f6db5"}" opacity=".85"/><text x="${(labelW + w + 6).toFixed(1)}" y="${y + 14}">${e(fmt(r.count))} · ${e(pct(total ? r.count / total : 0))}</text>`;
    })
    .join("");
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" role="img" aria-label="bar chart">${body}</svg>`;
}

/** Diverging blue–white–red for −1..1, or white–blue for 0..1. */
function heatColour(v: number | null, signed: boolean): string {
  if (v === null) return "#eef0f3";
  const t = Math.max(-1, Math.min(1, v));
  const mixTo = (c: [number, number, number], a: number) => {
    const r = Math.round(255 + (c[0] - 255) * a);
    const g = Math.round(255 + (c[1] - 255) * a);
    const b = Math.round(255 + (c[2] - 255) * a);
    return `rgb(${r},${g},${b})`;
  };
  if (!signed) return mixTo([47, 109, 181], Math.abs(t));
  return t >= 0 ? mixTo([47, 109, 181], t) : mixTo([196, 69, 54], -t);
}

function heatmapSvg(m: CorrelationMatrix, signed: boolean): string {
  const p = m.columns.length;
  const cell = Math.max(22, Math.min(44, Math.floor(420 / Math.max(1, p))));
  const short = (s: string) => (s.length > 16 ? `${s.slice(0, 15)}…` : s);
  const longest = Math.max(1, ...m.columns.map((c) => short(c).length));
  const labelW = Math.round(16 + 6.2 * longest);
  const labelTop = Math.round(14 + 4.8 * longest);
  const W = labelW + p * cell + Math.round(4 * longest);
  const H = labelTop + p * cell + 4;
  let out = "";
  for (let j = 0; j < p; j++) {
    const x = labelW + j * cell + cell / 2;
    out += `<text transform="translate(${x.toFixed(1)},${labelTop - 6}) rotate(-50)">${e(short(m.columns[j]))}<title>${e(m.columns[j])}</title></text>`;
  }
  for (let i = 0; i < p; i++) {
    const y = labelTop + i * cell;
    out += `<text x="${labelW - 6}" y="${(y + cell / 2 + 4).toFixed(1)}" text-anchor="end">${e(short(m.columns[i]))}<title>${e(m.columns[i])}</title></text>`;
    for (let j = 0; j < p; j++) {
      const v = m.values[i][j];
      const x = labelW + j * cell;
      out += `<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${heatColour(v, signed)}"><title>${e(m.columns[i])} × ${e(m.columns[j])}: ${v === null ? "undefined" : v.toFixed(3)}</title></rect>`;
      if (cell >= 30 && v !== null) {
        const dark = Math.abs(v) > 0.6;
        out += `<text x="${x + cell / 2 - 0.5}" y="${y + cell / 2 + 3.5}" text-anchor="middle" style="fill:${dark ? "#fff" : "#1d232b"};font-size:10px">${v.toFixed(2)}</text>`;
      }
    }
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="correlation heat map">${out}</svg>`;
}

function statsTable(c: ColumnProfile, rows: number): string {
  const isDate = c.kind === "datetime";
  const line = (k: string, v: string) => `<tr><td>${e(k)}</td><td class="n">${e(v)}</td></tr>`;
  let s = line("present", fmt(c.count)) + line("missing", `${fmt(c.missing)} (${pct(rows ? c.missing / rows : 0)})`) + line("distinct", fmt(c.distinct));
  if (c.kind === "numeric") {
    s += line("mean", fmt(c.mean)) + line("std", fmt(c.std)) + line("min", fmt(c.min)) + line("25%", fmt(c.q1)) + line("median", fmt(c.median)) + line("75%", fmt(c.q3)) + line("max", fmt(c.max)) + line("skew", fmt(c.skew)) + line("zeros", fmt(c.zeros));
  } else if (isDate) {
    s += line("first", fmtDate(c.min)) + line("25%", fmtDate(c.q1)) + line("median", fmtDate(c.median)) + line("75%", fmtDate(c.q3)) + line("last", fmtDate(c.max));
  } else if (c.kind === "boolean") {
    s += line("share true", pct(c.mean));
  }
  return `<table class="stats">${s}</table>`;
}

function topTable(c: ColumnProfile): string {
  if (c.top.length === 0) return "";
  const top = c.top.slice(0, 5);
  const max = Math.max(...top.map((t) => t.count));
  const rows = top
    .map((t) => `<tr><td>${e(c.kind === "datetime" ? fmtDate(Date.parse(String(t.value))) : value(t.value))}</td><td class="n">${e(fmt(t.count))}</td><td class="n">${e(pct(t.fraction))}</td><td style="width:35%"><span class="bar" style="width:${((t.count / max) * 100).toFixed(1)}%"></span></td></tr>`)
    .join("");
  return `<table><tr><th>most frequent</th><th class="n">count</th><th class="n">share</th><th></th></tr>${rows}</table>`;
}

/**
 * Render a profile as a self-contained HTML page: a summary, the warnings, the target, predictive
 * power, correlation heat maps, an overview table and a section per column with its chart.
 * @example
 * ```ts
 * const html = profileToHtml(profile(frame, { target: "Status" }), { title: "credit_data.csv" });
 * ```
 */
export function profileToHtml(p: Profile, options: HtmlOptions = {}): string {
  const title = options.title ?? "Data profile";
  const warnedCols = new Map<string, string[]>();
  for (const w of p.warnings) if (w.column !== undefined) warnedCols.set(w.column, [...(warnedCols.get(w.column) ?? []), w.code]);
  const totalCells = p.rows * p.columns.length;
  const missingCells = p.columns.reduce((s, c) => s + c.missing, 0);
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${REPORT_CSS}</style></head><body><main>`);
  parts.push(`<h1>${e(title)}</h1><p class="sub">${e(fmt(p.rows))} rows × ${e(fmt(p.columns.length))} columns${p.target ? ` · target <b>${e(p.target.name)}</b> (${e(p.target.task)})` : ""}</p>`);
  const cards: [string, string][] = [
    ["rows", fmt(p.rows)],
    ["columns", fmt(p.columns.length)],
    ["missing cells", pct(totalCells ? missingCells / totalCells : 0)],
    ["duplicate rows", `${fmt(p.duplicates.count)}`],
    ["warnings", fmt(p.warnings.length)],
  ];
  const kinds = new Map<string, number>();
  for (const c of p.columns) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  parts.push(`<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="k">${e(k)}</div><div class="v">${e(v)}</div></div>`).join("")}</div>`);
  parts.push(`<p class="note">Column kinds: ${[...kinds].map(([k, n]) => `${e(n)} ${e(k)}`).join(", ") || "none"}.</p>`);

  // warnings up top
  parts.push(`<h2 id="warnings">Warnings</h2>`);
  if (p.warnings.length === 0) parts.push(`<p class="ok">No warnings.</p>`);
  else parts.push(`<ul class="warnings">${p.warnings.map((w) => `<li><span class="code">${e(w.code)}</span>${e(w.message)}</li>`).join("")}</ul>`);

  parts.push(...(options.sections ?? []));

  // target
  if (p.target) {
    const t = p.target;
    parts.push(`<h2 id="target">Target: ${e(t.name)}</h2>`);
    if (t.classes) {
      const total = t.classes.reduce((s, c) => s + c.count, 0);
      const bars: Bars = { values: t.classes.slice(0, 20).map((c) => String(c.value)), counts: t.classes.slice(0, 20).map((c) => c.count), other: t.classes.slice(20).reduce((s, c) => s + c.count, 0) };
      parts.push(`<p>Classification, ${e(t.classes.length)} classes; smallest class ${e(t.minorityFraction === null ? "—" : `${+(t.minorityFraction * 100).toFixed(2)}%`)} of labelled rows${t.imbalanceRatio !== null ? `, largest/smallest = ${e(fmt(t.imbalanceRatio))}` : ""}${t.missing ? `; ${e(fmt(t.missing))} rows have no label` : ""}.</p>`);
      parts.push(barsSvg(bars, total));
    } else if (t.distribution) {
      const d = t.distribution;
      parts.push(`<p>Regression. Mean ${e(fmt(d.mean))}, std ${e(fmt(d.std))}, median ${e(fmt(d.median))}, range ${e(fmt(d.min))} – ${e(fmt(d.max))}, skew ${e(fmt(d.skew))}.</p>`);
      if (d.histogram) parts.push(histogramSvg(d.histogram, false));
    }
  }

  // predictive power
  if (p.predictivePower) {
    const pp = p.predictivePower;
    parts.push(`<h2 id="power">Single-feature predictive power</h2>`);
    parts.push(
      `<p class="note">How well each column alone predicts <b>${e(pp.target)}</b>: a one-feature model's ${pp.folds}-fold cross-validated ${pp.metric === "mae" ? "mean absolute error" : "weighted F1"}, scaled so 0 is the naive baseline and 1 is perfect (after the Predictive Power Score). Computed on ${e(fmt(pp.rows))} rows${pp.sampled !== null ? " (a random sample)" : ""}. A score near 1 is more often a leak than a gift.</p>`,
    );
    const positive = pp.scores.filter((s) => s.score > 0);
    const zero = pp.scores.filter((s) => !(s.score > 0));
    const leak = new Map(p.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT").map((w) => [w.column, w.level]));
    const withAuc = pp.scores.some((s) => s.auc !== undefined);
    const rows = positive
      .map((s) => {
        const flag = leak.get(s.feature);
        return `<tr><td>${e(s.feature)}${flag ? ` <span class="flag">${flag === "stop" ? "LEAK?" : "strong"}</span>` : ""}</td><td class="n">${s.score.toFixed(3)}</td><td style="width:45%"><span class="bar" style="width:${(s.score * 100).toFixed(1)}%;${flag === "stop" ? "background:#b3261e" : ""}"></span></td><td class="n">${e(fmt(s.modelScore))}</td><td class="n">${e(fmt(s.baselineScore))}</td>${withAuc ? `<td class="n">${e(fmt(s.auc ?? null))}</td>` : ""}</tr>`;
      })
      .join("");
    if (positive.length > 0) parts.push(`<table><tr><th>feature</th><th class="n">score</th><th></th><th class="n">model ${pp.metric === "mae" ? "MAE" : "F1"}</th><th class="n">baseline</th>${withAuc ? `<th class="n">ROC AUC</th>` : ""}</tr>${rows}</table>`);
    if (zero.length > 0) parts.push(`<p class="note">${positive.length > 0 ? "Score 0" : "Every feature scores 0"} (no better than the baseline ${e(fmt(zero[0].baselineScore))} on its own): ${zero.map((s) => e(s.feature)).join(", ")}.</p>`);
  }

  // correlations
  const mats: [string, CorrelationMatrix, boolean][] = [
    ["Pearson r", p.correlations.pearson, true],
    ["Spearman ρ", p.correlations.spearman, true],
    ["Cramér's V", p.correlations.cramersV, false],
  ];
  const shownMats = mats.filter(([, m]) => m.columns.length >= 2);
  if (shownMats.length > 0) {
    parts.push(`<h2 id="correlations">Correlations</h2><div class="heat">`);
    for (const [name, m, signed] of shownMats) {
      parts.push(`<figure><figcaption>${e(name)}</figcaption>${heatmapSvg(m, signed)}${m.sampled !== null ? `<div class="note">on a random sample of ${e(fmt(m.sampled))} rows</div>` : ""}</figure>`);
    }
    parts.push(`</div><p class="note">Pearson and Spearman between numeric columns, Cramér's V (no bias correction) between categorical columns; each pair uses the rows where both are present.</p>`);
  }

  // overview
  parts.push(`<h2 id="columns">Columns</h2>`);
  const ov = p.columns
    .map((c, i) => {
      const isDate = c.kind === "datetime";
      const f = (v: number | null) => (isDate ? fmtDate(v).slice(0, 10) : fmt(v));
      return `<tr><td><a href="#col-${i}">${e(c.name)}</a></td><td>${e(c.kind)}</td><td class="n">${e(pct(c.missingFraction))}</td><td class="n">${e(fmt(c.distinct))}</td><td class="n">${e(isDate ? "" : fmt(c.mean))}</td><td class="n">${e(isDate ? "" : fmt(c.std))}</td><td class="n">${e(f(c.min))}</td><td class="n">${e(f(c.median))}</td><td class="n">${e(f(c.max))}</td><td>${(warnedCols.get(c.name) ?? []).map((w) => `<span class="flag">${e(w)}</span>`).join("")}</td></tr>`;
    })
    .join("");
  parts.push(`<table><tr><th>column</th><th>kind</th><th class="n">missing</th><th class="n">distinct</th><th class="n">mean</th><th class="n">std</th><th class="n">min</th><th class="n">median</th><th class="n">max</th><th></th></tr>${ov}</table>`);

  // per column
  p.columns.forEach((c, i) => {
    const flags = (warnedCols.get(c.name) ?? []).map((w) => `<span class="flag">${e(w)}</span>`).join("");
    let chart = "";
    if (c.histogram) chart = histogramSvg(c.histogram, c.kind === "datetime");
    else if (c.bars) chart = barsSvg(c.bars, c.count);
    const top = c.kind === "numeric" || c.kind === "text" || c.kind === "datetime" ? topTable(c) : "";
    parts.push(`<section class="col" id="col-${i}"><div class="head"><h3>${e(c.name)}</h3><span class="kind">${e(c.kind)}</span><span class="flags">${flags}</span></div><div class="grid"><div>${statsTable(c, p.rows)}</div><div>${chart}${top}</div></div></section>`);
  });

  if (p.duplicates.count > 0) {
    parts.push(`<h2 id="duplicates">Duplicate rows</h2><p>${e(fmt(p.duplicates.count))} rows (${e(pct(p.duplicates.fraction))}) repeat an earlier row exactly. Examples (row numbers from 0, first occurrence first):</p><ul>${p.duplicates.examples.map((g) => `<li>${e(g.join(", "))}</li>`).join("")}</ul>`);
  }
  const notes: string[] = [];
  if (p.sampling.spearman !== null) notes.push(`Spearman's ρ on a random sample of ${fmt(p.sampling.spearman)} rows`);
  if (p.sampling.predictivePower !== null) notes.push(`predictive power on a random sample of ${fmt(p.sampling.predictivePower)} rows`);
  parts.push(`<p class="note" style="margin-top:40px">Profile format version ${e(p.version)}. Quartiles by linear interpolation; std with ddof = 1; skew is the adjusted Fisher–Pearson coefficient. ${e(notes.length ? `${notes.join("; ")} (seed ${String(p.sampling.seed)}). ` : "")}Everything else is computed on all rows.</p>`);
  parts.push(`</main></body></html>`);
  return parts.join("\n");
}
