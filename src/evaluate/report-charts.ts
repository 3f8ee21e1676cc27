/**
 * The SVG and HTML pieces of Keel's self-contained reports (evaluation, studies): number
 * formatting, a line / scatter chart, horizontal bars and tables. Inline SVG, no scripts; every
 * text is escaped.
 */
import { escapeHtml as e } from "../data/profile/index.js";

/** A number for a report: 4 significant digits, exponents for the very small or large, — for missing. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e7) return v.toExponential(2);
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return String(Number(v.toPrecision(4)));
}

/** A share as a percentage with one decimal. */
export function pct(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "—";
}

/** The reports' series colours, in order. */
export const COLORS = ["#2f6db5", "#d9822b", "#3a9d5d", "#b3261e", "#7b5ea7"];

export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Draw as points rather than a line. */
  points?: boolean;
  /** The colour (default: the next of `COLORS`). */
  color?: string;
  /** The shape of points: filled dots (default), rings or crosses. */
  marker?: "dot" | "ring" | "cross";
}

export interface LineChartOptions {
  xLabel: string;
  yLabel: string;
  /** Axes fixed to the unit square. */
  unit?: boolean;
  /** The diagonal y = x (dashed). */
  diagonal?: boolean;
  /** A vertical marker at this x. */
  markerX?: number;
  /** A horizontal reference line at this y. */
  hLine?: number;
  /** Width in pixels (340). */
  width?: number;
  /** A logarithmic x axis (positive x only). */
  xLog?: boolean;
  /** The x axis' extent (default: the data's). */
  xDomain?: readonly [number, number];
  /** Labelled x ticks in place of the three numeric ones (e.g. the choices of a categorical axis). */
  xTicks?: readonly { x: number; label: string }[];
}

function marker(shape: "dot" | "ring" | "cross", x: string, y: string, color: string): string {
  if (shape === "ring") return `<circle cx="${x}" cy="${y}" r="2.6" fill="none" stroke="${color}" stroke-width="1.2"/>`;
  if (shape === "cross") return `<path d="M${+x - 2.6},${+y - 2.6}l5.2,5.2m0,-5.2l-5.2,5.2" stroke="${color}" stroke-width="1.4"/>`;
  return `<circle cx="${x}" cy="${y}" r="2" fill="${color}" opacity=".6"/>`;
}

/** A line (or scatter) chart with axes from the data (or the unit square), an optional diagonal and vertical marker. */
export function lineChart(series: Series[], o: LineChartOptions): string {
  const W = o.width ?? 340;
  const H = 260;
  const left = 46;
  const bottom = 36;
  const top = 10;
  const right = 10;
  const tx = (v: number) => (o.xLog ? Math.log(v) : v);
  const xs = series.flatMap((s) => s.x.map(tx).filter(Number.isFinite));
  const ys = series.flatMap((s) => s.y.filter(Number.isFinite));
  let [x0, x1, y0, y1] = o.unit ? [0, 1, 0, 1] : [Math.min(...xs), Math.max(...xs), Math.min(...ys, o.hLine ?? Infinity), Math.max(...ys, o.hLine ?? -Infinity)];
  if (o.xDomain) [x0, x1] = [tx(o.xDomain[0]), tx(o.xDomain[1])];
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y0 + 1];
  const px = (v: number) => left + ((tx(v) - x0) / (x1 - x0)) * (W - left - right);
  const py = (v: number) => top + (1 - (v - y0) / (y1 - y0)) * (H - top - bottom);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" role="img" aria-label="${e(`${o.yLabel} against ${o.xLabel}`)}">`];
  for (const t of [0, 0.5, 1]) {
    const yv = y0 + t * (y1 - y0);
    const xv = o.xLog ? Math.exp(x0 + t * (x1 - x0)) : x0 + t * (x1 - x0);
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${py(yv).toFixed(1)}" y2="${py(yv).toFixed(1)}" stroke="#e3e7ec"/><text x="${left - 4}" y="${py(yv).toFixed(1)}" text-anchor="end" dy="3">${e(num(yv))}</text>`);
    if (!o.xTicks) parts.push(`<text x="${px(xv).toFixed(1)}" y="${H - bottom + 14}" text-anchor="middle">${e(num(xv))}</text>`);
  }
  for (const t of o.xTicks ?? []) parts.push(`<text x="${px(t.x).toFixed(1)}" y="${H - bottom + 14}" text-anchor="middle">${e(t.label.length > 14 ? `${t.label.slice(0, 13)}…` : t.label)}<title>${e(t.label)}</title></text>`);
  parts.push(`<text x="${(left + W - right) / 2}" y="${H - 4}" text-anchor="middle">${e(o.xLabel)}</text><text x="12" y="${(top + H - bottom) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(top + H - bottom) / 2})">${e(o.yLabel)}</text>`);
  if (o.diagonal) parts.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#9aa5b1" stroke-dasharray="4 4"/>`);
  if (o.hLine !== undefined) parts.push(`<line x1="${left}" x2="${W - right}" y1="${py(o.hLine).toFixed(1)}" y2="${py(o.hLine).toFixed(1)}" stroke="#9aa5b1" stroke-dasharray="4 4"/>`);
  if (o.markerX !== undefined && Number.isFinite(o.markerX) && tx(o.markerX) >= x0 && tx(o.markerX) <= x1) parts.push(`<line x1="${px(o.markerX).toFixed(1)}" x2="${px(o.markerX).toFixed(1)}" y1="${top}" y2="${H - bottom}" stroke="#b3261e" stroke-dasharray="3 3"/>`);
  const colorOf = (s: Series, k: number) => s.color ?? COLORS[k % COLORS.length];
  series.forEach((s, k) => {
    const color = colorOf(s, k);
    const pts: [string, string][] = [];
    for (let i = 0; i < s.x.length; i++) if (Number.isFinite(tx(s.x[i])) && Number.isFinite(s.y[i])) pts.push([px(s.x[i]).toFixed(1), py(s.y[i]).toFixed(1)]);
    if (s.points) parts.push(`<g class="${s.marker ?? "dot"}"><title>${e(s.name)}</title>${pts.map(([x, y]) => marker(s.marker ?? "dot", x, y, color)).join("")}</g>`);
    else parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.map((p) => p.join(",")).join(" ")}"><title>${e(s.name)}</title></polyline>`);
  });
  if (series.length > 1) series.forEach((s, k) => parts.push(`${s.points ? marker(s.marker ?? "dot", String(left + 13), String(top + 7.5 + k * 15), colorOf(s, k)) : `<rect x="${left + 8}" y="${top + 6 + k * 15}" width="10" height="3" fill="${colorOf(s, k)}"/>`}<text x="${left + 22}" y="${top + 10 + k * 15}">${e(s.name)}</text>`));
  parts.push("</svg>");
  return parts.join("");
}

/** Horizontal bars of values by label, with an optional reference line (e.g. the four-fifths bound). */
export function hBars(rows: { label: string; value: number; flag?: boolean; note?: string }[], o: { max?: number; line?: number; format?: (v: number) => string } = {}): string {
  const W = 560;
  const rowH = 20;
  const labelW = 170;
  const H = rows.length * rowH + 6;
  const fmt = o.format ?? num;
  const finite = rows.map((r) => r.value).filter(Number.isFinite);
  const max = o.max ?? Math.max(1e-12, ...finite.map(Math.abs));
  const scale = (v: number) => (Math.abs(v) / max) * (W - labelW - 120);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" style="max-width:100%" role="img">`];
  rows.forEach((r, i) => {
    const y = i * rowH + 3;
    const w = Number.isFinite(r.value) ? scale(r.value) : 0;
    const short = r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label;
    parts.push(`<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${e(short)}<title>${e(r.label)}</title></text><rect x="${labelW}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 7}" rx="2" fill="${r.flag ? "#b3261e" : r.value < 0 ? "#d9822b" : "#2f6db5"}" opacity=".85"/><text x="${(labelW + w + 6).toFixed(1)}" y="${y + 14}">${e(fmt(r.value))}${r.note ? ` · ${e(r.note)}` : ""}</text>`);
  });
  if (o.line !== undefined) {
    const x = labelW + scale(o.line);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="0" y2="${H}" stroke="#b3261e" stroke-dasharray="3 3"/>`);
  }
  parts.push("</svg>");
  return parts.join("");
}

/** A table of text and numbers (numbers formatted with `num`; `numeric` columns right-aligned). */
export function table(head: string[], rows: (string | number)[][], numeric: boolean[] = []): string {
  return `<table><thead><tr>${head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ""}>${e(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ""}>${e(typeof c === "number" ? num(c) : c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}


/** An axis of a parallel-coordinates chart: numeric (linear or log) from `min` to `max`, or categories by index. */
export interface ParallelAxis {
  label: string;
  scale: "linear" | "log" | "category";
  min: number;
  max: number;
  /** The categories' labels (scale "category"; values are their indices). */
  categories?: readonly string[];
}

/** One polyline across the axes; a null value breaks the line (the axis does not apply). */
export interface ParallelLine {
  values: readonly (number | null)[];
  color: string;
  /** An SVG dash pattern, e.g. "4 3". */
  dash?: string;
  opacity?: number;
  title: string;
}

/** Parallel coordinates (Inselberg): one vertical axis per variable, one polyline per record, in inline SVG. */
export function parallelCoordinates(axes: readonly ParallelAxis[], lines: readonly ParallelLine[], o: { width?: number } = {}): string {
  const W = o.width ?? Math.max(420, Math.min(1000, 130 * axes.length));
  const H = 300;
  const top = 34;
  const bottom = 30;
  const side = 60;
  const ax = (k: number) => (axes.length === 1 ? W / 2 : side + (k * (W - 2 * side)) / (axes.length - 1));
  const position = (a: ParallelAxis, v: number): number => {
    const f = a.scale === "log" ? Math.log : (x: number) => x;
    const [lo, hi] = a.scale === "category" ? [0, Math.max(0, (a.categories?.length ?? 1) - 1)] : [f(a.min), f(a.max)];
    const t = hi > lo ? (f(v) - lo) / (hi - lo) : 0.5;
    return top + (1 - Math.min(1, Math.max(0, t))) * (H - top - bottom);
  };
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" role="img" aria-label="${e(`parallel coordinates of ${axes.map((a) => a.label).join(", ")}`)}">`];
  for (const line of lines) {
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${line.color}" stroke-width="1.2" opacity="${line.opacity ?? 0.7}"${line.dash ? ` stroke-dasharray="${line.dash}"` : ""} points="${run.join(" ")}"><title>${e(line.title)}</title></polyline>`);
      run = [];
    };
    line.values.forEach((v, k) => {
      if (v === null || !Number.isFinite(v)) flush();
      else run.push(`${ax(k).toFixed(1)},${position(axes[k], v).toFixed(1)}`);
    });
    flush();
  }
  axes.forEach((a, k) => {
    const x = ax(k).toFixed(1);
    const short = a.label.length > 18 ? `${a.label.slice(0, 17)}…` : a.label;
    parts.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${H - bottom}" stroke="#5f6b7a"/><text x="${x}" y="${top - 16}" text-anchor="middle" style="font-weight:600">${e(short)}<title>${e(a.label)}</title></text>`);
    const ticks: [number, string][] = a.scale === "category" ? (a.categories ?? []).map((c, i) => [i, c]) : [[a.max, num(a.max)], [a.min, num(a.min)]];
    for (const [v, label] of ticks) parts.push(`<text x="${(+x + 4).toFixed(1)}" y="${position(a, v).toFixed(1)}" dy="3">${e(label.length > 12 ? `${label.slice(0, 11)}…` : label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}
