/**
 * A study as one self-contained HTML page, drawn with the evaluation report's stylesheet and SVG
 * helpers (`evaluate/report-charts.ts`): summary first (best value and trial, trials by state,
 * the most important parameter, findings), then the best parameters, the optimisation history
 * (each trial's value and the best so far), parameter importance (fANOVA, `importance.ts`),
 * parallel coordinates and one slice plot per parameter. Pruned trials are drawn at their last
 * reported value as grey rings or dashed lines, failed ones as red crosses; nothing is fetched.
 */
import { REPORT_CSS, escapeHtml as e } from "../data/profile/index.js";
import { hBars, lineChart, num, type ParallelAxis, type ParallelLine, parallelCoordinates, pct, type Series, table } from "../evaluate/index.js";
import { KeelError } from "../core/index.js";
import type { Distribution, ParamValue } from "./distributions.js";
import { type ImportanceOptions, parameterImportance } from "./importance.js";
import type { Direction } from "./storage.js";
import type { FrozenTrial } from "./study.js";

/** What a study's report shows; a `Study` is one. */
export interface StudyReportInput {
  readonly name: string;
  readonly direction: Direction;
  readonly trials: readonly FrozenTrial[];
  /** Parameter importances (computed with `parameterImportance` when omitted; null leaves the chart out). */
  readonly importance?: Readonly<Record<string, number>> | null;
  /** The section's heading (default: the study's name), e.g. the model tuned. */
  readonly label?: string;
  /** What the objective measures (default "objective"). */
  readonly metric?: string;
}

/** Options of the study's HTML report: its title, subtitle and the importance computation. */
export interface StudyReportOptions {
  /** Page title (default "Study report"). */
  title?: string;
  /** A line under the title (the project, the data). */
  subtitle?: string;
  /** Options of the importance computed for studies that come without one. */
  importance?: ImportanceOptions;
}

const BLUE = "#2f6db5";
const ORANGE = "#d9822b";
const GREY = "#9aa5b1";
const RED = "#b3261e";

/**
 * Renders one study (or several, e.g. one per tuned model) as an HTML page; importances not given
 * are computed (fANOVA) first.
 * @example writeFileSync("study.html", await studyReportHtml(study));
 */
export async function studyReportHtml(studies: StudyReportInput | readonly StudyReportInput[], options: StudyReportOptions = {}): Promise<string> {
  const list = (Array.isArray(studies) ? studies : [studies]) as readonly StudyReportInput[];
  const sections = await Promise.all(
    list.map(async (s) => {
      const trials = [...s.trials];
      let importance = s.importance ?? null;
      let why = s.importance === null ? "not computed" : "";
      if (s.importance === undefined) {
        try {
          importance = await parameterImportance(trials, options.importance);
        } catch (err) {
          if (!(err instanceof KeelError)) throw err;
          why = err.message;
        }
      }
      return { input: s, trials, importance, why };
    }),
  );
  const title = options.title ?? "Study report";
  const h: string[] = [];
  h.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${REPORT_CSS}</style></head><body><main>`);
  h.push(`<h1>${e(title)}</h1>${options.subtitle ? `<p class="sub">${e(options.subtitle)}</p>` : ""}`);
  if (sections.length > 1) {
    h.push(table(["study", "best", "trials", "most important"], sections.map((s) => {
      const best = bestOf(s.trials, s.input.direction);
      return [s.input.label ?? s.input.name, best ? best.value! : NaN, s.trials.length, topParam(s.importance)];
    }), [false, true, true, false]));
  }
  sections.forEach((s, k) => h.push(section(s.input, s.trials, s.importance, s.why, k)));
  h.push(`</main></body></html>`);
  return h.join("");
}

function bestOf(trials: readonly FrozenTrial[], direction: Direction): FrozenTrial | null {
  let best: FrozenTrial | null = null;
  for (const t of trials) if (t.state === "complete" && t.value !== null && (best === null || (direction === "minimize" ? t.value < best.value! : t.value > best.value!))) best = t;
  return best;
}

function topParam(importance: Readonly<Record<string, number>> | null): string {
  const top = importance ? Object.entries(importance).sort((a, b) => b[1] - a[1])[0] : undefined;
  return top ? `${top[0]} (${pct(top[1])})` : "—";
}

/** A pruned trial's last reported value (the largest step), or null. */
function lastReported(t: FrozenTrial): number | null {
  const steps = Object.keys(t.intermediateValues).map(Number).filter((s) => Number.isFinite(t.intermediateValues[s]));
  return steps.length ? t.intermediateValues[Math.max(...steps)] : null;
}

function show(v: ParamValue | undefined): string {
  return typeof v === "number" ? num(v) : v === undefined ? "—" : JSON.stringify(v);
}

function section(s: StudyReportInput, trials: readonly FrozenTrial[], importance: Readonly<Record<string, number>> | null, why: string, k: number): string {
  const metric = s.metric ?? "objective";
  const h: string[] = [];
  const count = (state: string) => trials.filter((t) => t.state === state).length;
  const [complete, pruned, failed, open] = [count("complete"), count("pruned"), count("failed"), count("running") + count("waiting")];
  const best = bestOf(trials, s.direction);
  h.push(`<h2 id="study-${k}">${e(s.label ?? s.name)}</h2><p class="sub">study ${e(s.name)} · ${e(s.direction)} ${e(metric)} · ${e(num(trials.length))} trials</p>`);
  const cards: [string, string][] = [
    [`best ${metric}`, best ? num(best.value) : "—"],
    ["best trial", best ? `#${best.number}` : "—"],
    ["complete", num(complete)],
    ["pruned", num(pruned)],
    ["failed", num(failed)],
  ];
  if (open) cards.push(["running or waiting", num(open)]);
  cards.push(["most important", topParam(importance)]);
  h.push(`<div class="cards">${cards.map(([key, v]) => `<div class="card"><div class="k">${e(key)}</div><div class="v">${e(v)}</div></div>`).join("")}</div>`);

  if (!best) {
    h.push(`<ul class="warnings"><li>No trial has completed yet (${e(num(trials.length))} trials: ${e(num(pruned))} pruned, ${e(num(failed))} failed, ${e(num(open))} running or waiting), so there is no best value, importance or chart to show.</li></ul>`);
    if (trials.length) h.push(trialTable(trials));
    return h.join("");
  }

  const findings: string[] = [];
  if (importance) {
    const top = Object.entries(importance).sort((a, b) => b[1] - a[1]);
    if (top.length > 1 && top[0][1] >= 0.5) findings.push(`${top[0][0]} explains ${pct(top[0][1])} of the variation the forest attributes to single parameters: tune it first, or narrow its range around ${show(best.params[top[0][0]])}`);
    const idle = top.filter(([, v]) => v < 0.01).map(([n]) => n);
    if (idle.length) findings.push(`little effect (< 1%): ${idle.join(", ")} — candidates to fix and drop from the space`);
  }
  if (failed) findings.push(`${num(failed)} of ${num(trials.length)} trials failed (${pct(failed / trials.length)}): they ran into errors, not bad values`);
  if (pruned) findings.push(`${num(pruned)} trials were pruned (${pct(pruned / trials.length)}) after reporting poor intermediate values`);
  if (complete >= 10 && best.number >= trials[Math.floor(0.8 * (trials.length - 1))].number) findings.push(`the best trial (#${best.number}) came in the last fifth of the study: more trials may still improve it`);
  h.push(findings.length ? `<ul class="warnings">${findings.map((f) => `<li>${e(f)}</li>`).join("")}</ul>` : `<p class="ok">Nothing flagged.</p>`);

  const names = paramNames(trials);
  h.push(`<h3>Best parameters (trial #${e(best.number)})</h3>`, table(["parameter", "value"], names.filter((n) => n in best.params).map((n) => [n, show(best.params[n])]), [false, true]));
  h.push(`<h3>Optimisation history</h3>${history(trials, s.direction, metric)}`);
  h.push(`<h3>Parameter importance (fANOVA)</h3>`);
  if (importance && Object.keys(importance).length) h.push(hBars(Object.entries(importance).sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value })), { max: 1, format: pct }));
  if (!importance) h.push(`<p class="ok">Not available: ${e(why)}.</p>`);
  else h.push(`<p class="note">Importance: the share of a random forest's variance over the search space that each parameter's marginal explains (Hutter, Hoos &amp; Leyton-Brown 2014), averaged over trees and normalised to 1; complete trials only.</p>`);
  const dists = distributionsOf(trials);
  const order = importance ? [...names].sort((a, b) => (importance[b] ?? 0) - (importance[a] ?? 0)) : names;
  h.push(`<h3>Parallel coordinates</h3><p class="note">One line per trial; complete trials coloured by ${e(metric)} (darker is better), pruned ones grey and dashed, failed ones red and dotted.</p>`, parallel(trials, order, dists, s.direction, metric));
  h.push(`<h3>Slices</h3><p class="note">${e(metric)} against each parameter: complete trials as dots, pruned ones as grey rings at their last reported value.</p><div class="heat">`);
  for (const n of order) h.push(`<figure><figcaption>${e(n)}</figcaption>${slice(trials, n, dists[n], metric)}</figure>`);
  h.push(`</div>`, trialTable(trials));
  return h.join("");
}

/** Parameter names in first-suggested order. */
function paramNames(trials: readonly FrozenTrial[]): string[] {
  const seen = new Set<string>();
  for (const t of trials) for (const n of Object.keys(t.params)) seen.add(n);
  return [...seen];
}

function distributionsOf(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  const out: Record<string, Distribution> = {};
  for (const t of trials) for (const [n, d] of Object.entries(t.distributions)) out[n] ??= d;
  return out;
}

function history(trials: readonly FrozenTrial[], direction: Direction, metric: string): string {
  const done = trials.filter((t) => t.state === "complete" && t.value !== null);
  const bestX: number[] = [];
  const bestY: number[] = [];
  let b = NaN;
  for (const t of done) {
    const nb = Number.isNaN(b) || (direction === "minimize" ? t.value! < b : t.value! > b) ? t.value! : b;
    if (!Number.isNaN(b)) bestX.push(t.number), bestY.push(b);
    bestX.push(t.number), bestY.push(nb);
    b = nb;
  }
  const last = trials[trials.length - 1].number;
  if (bestX[bestX.length - 1] < last) bestX.push(last), bestY.push(b);
  const prunedT = trials.filter((t) => t.state === "pruned" && lastReported(t) !== null);
  const failedT = trials.filter((t) => t.state === "failed");
  const ys = [...done.map((t) => t.value!), ...prunedT.map((t) => lastReported(t)!)];
  const floor = Math.min(...ys);
  const series: Series[] = [
    { name: `complete`, x: done.map((t) => t.number), y: done.map((t) => t.value!), points: true, color: BLUE },
    { name: "best so far", x: bestX, y: bestY, color: ORANGE },
  ];
  if (prunedT.length) series.push({ name: "pruned (last reported)", x: prunedT.map((t) => t.number), y: prunedT.map((t) => lastReported(t)!), points: true, marker: "ring", color: GREY });
  if (failedT.length) series.push({ name: "failed (no value)", x: failedT.map((t) => t.number), y: failedT.map(() => floor), points: true, marker: "cross", color: RED });
  return lineChart(series, { xLabel: "trial", yLabel: metric, width: 640 });
}

function parallel(trials: readonly FrozenTrial[], names: readonly string[], dists: Record<string, Distribution>, direction: Direction, metric: string): string {
  const done = trials.filter((t) => t.state === "complete" && t.value !== null);
  const values = done.map((t) => t.value!);
  const axes: ParallelAxis[] = [{ label: metric, scale: "linear", min: Math.min(...values), max: Math.max(...values) }];
  for (const n of names) {
    const d = dists[n];
    if (d.type === "categorical") axes.push({ label: n, scale: "category", min: 0, max: d.choices.length - 1, categories: d.choices.map((c) => (typeof c === "string" ? c : JSON.stringify(c))) });
    else axes.push({ label: n, scale: d.log ? "log" : "linear", min: d.low, max: d.high });
  }
  const ranked = [...values].sort((a, b) => (direction === "minimize" ? a - b : b - a));
  const lines: ParallelLine[] = [];
  const coords = (t: FrozenTrial) =>
    names.map((n) => {
      if (!(n in t.params)) return null;
      const d = dists[n];
      return d.type === "categorical" ? d.choices.findIndex((c) => c === t.params[n]) : (t.params[n] as number);
    });
  for (const t of trials) {
    if (t.state === "pruned") lines.push({ values: [null, ...coords(t)], color: GREY, dash: "4 3", opacity: 0.6, title: `trial #${t.number} (pruned)` });
    else if (t.state === "failed") lines.push({ values: [null, ...coords(t)], color: RED, dash: "1 3", opacity: 0.6, title: `trial #${t.number} (failed)` });
  }
  const rank = new Map<number, number>();
  ranked.forEach((v, i) => rank.has(v) || rank.set(v, i));
  // worst first, so the best lines are drawn on top
  for (const t of [...done].sort((a, b) => rank.get(b.value!)! - rank.get(a.value!)!)) {
    const r = ranked.length > 1 ? rank.get(t.value!)! / (ranked.length - 1) : 0; // 0 = best
    lines.push({ values: [t.value!, ...coords(t)], color: shade(r), opacity: 0.85, title: `trial #${t.number}: ${metric} ${num(t.value)}` });
  }
  return parallelCoordinates(axes, lines);
}

/** From dark blue (0, the best) to a pale blue (1, the worst). */
function shade(r: number): string {
  const [a, b] = [[23, 64, 125], [188, 208, 232]];
  return `rgb(${a.map((v, i) => Math.round(v + r * (b[i] - v))).join(",")})`;
}

function slice(trials: readonly FrozenTrial[], name: string, d: Distribution, metric: string): string {
  const cat = d.type === "categorical";
  const xOf = (t: FrozenTrial) => (cat ? d.choices.findIndex((c) => c === t.params[name]) + (((t.number * 7) % 9) - 4) * 0.03 : (t.params[name] as number));
  const done = trials.filter((t) => t.state === "complete" && t.value !== null && name in t.params);
  const prunedT = trials.filter((t) => t.state === "pruned" && name in t.params && lastReported(t) !== null);
  const series: Series[] = [{ name: "complete", x: done.map(xOf), y: done.map((t) => t.value!), points: true, color: BLUE }];
  if (prunedT.length) series.push({ name: "pruned", x: prunedT.map(xOf), y: prunedT.map((t) => lastReported(t)!), points: true, marker: "ring", color: GREY });
  const xTicks = cat ? d.choices.map((c, i) => ({ x: i, label: typeof c === "string" ? c : JSON.stringify(c) })) : undefined;
  const xDomain: [number, number] = cat ? [-0.5, d.choices.length - 0.5] : [d.low, d.high];
  return lineChart(series, { xLabel: `${name}${!cat && d.log ? " (log scale)" : ""}`, yLabel: metric, xLog: !cat && d.log, xTicks, xDomain });
}

function trialTable(trials: readonly FrozenTrial[]): string {
  const names = paramNames(trials);
  const rows = trials.map((t) => [t.number, t.state, t.value ?? (t.state === "pruned" ? (lastReported(t) ?? NaN) : NaN), t.durationMs === null ? NaN : t.durationMs / 1000, ...names.map((n) => show(t.params[n]))]);
  return `<details><summary>All ${e(num(trials.length))} trials</summary>${table(["#", "state", "value", "seconds", ...names], rows, [true, false, true, true, ...names.map(() => false)])}<p class="note">A pruned trial's value is its last reported one.</p></details>`;
}
