/**
 * Subgroup metrics: the same metrics computed for each group of a protected column (each
 * category; numeric columns binned at quantiles), with every group's size, and the largest gap
 * between groups for each metric — the first thing a fairness review asks for.
 */
import { type Column, cellValue } from "../data/column.js";
import { quantileSorted } from "../data/profile/index.js";

export interface Groups {
  /** Group label per group index. */
  labels: string[];
  /** Group index of each row (−1: row left out). */
  group: Int32Array;
}

/**
 * Groups of a column: categories as they are (missing as "(missing)"); numeric and datetime
 * columns cut at `bins` quantiles into intervals labelled "[low, high)" (the last one closed).
 */
export function groupsOf(col: Column, options: { bins?: number } = {}): Groups {
  const bins = options.bins ?? 4;
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  const group = new Int32Array(n);
  if (col.kind === "numeric" || col.kind === "datetime") {
    const finite = Array.from(col.values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const edges = [...new Set(Array.from({ length: bins + 1 }, (_, i) => quantileSorted(finite, i / bins)))];
    const show = (v: number) => (col.kind === "datetime" ? new Date(v).toISOString().slice(0, 10) : Number(v.toPrecision(4)).toString());
    const labels = edges.slice(0, -1).map((lo, i) => `[${show(lo)}, ${show(edges[i + 1])}${i === edges.length - 2 ? "]" : ")"}`);
    if (labels.length === 0 && finite.length > 0) labels.push(`[${show(finite[0])}]`);
    let missingGroup = -1;
    for (let i = 0; i < n; i++) {
      const v = col.values[i];
      if (!Number.isFinite(v)) {
        if (missingGroup < 0) {
          missingGroup = labels.length;
          labels.push("(missing)");
        }
        group[i] = missingGroup;
        continue;
      }
      let g = 0;
      while (g < edges.length - 2 && v >= edges[g + 1]) g++;
      group[i] = g;
    }
    return { labels, group };
  }
  const index = new Map<string, number>();
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    const label = v === null ? "(missing)" : v instanceof Date ? v.toISOString() : String(v);
    let g = index.get(label);
    if (g === undefined) {
      g = labels.length;
      index.set(label, g);
      labels.push(label);
    }
    group[i] = g;
  }
  return { labels, group };
}

export type GroupMetrics = Record<string, number> & { n: number };

export interface SubgroupReport {
  groups: Record<string, GroupMetrics>;
  /** Per metric: the largest difference between two groups (of at least `minGroupSize` rows) and which. */
  gaps: Record<string, { gap: number; highest: string; lowest: string }>;
}

/**
 * Metrics per group. `metrics(rows)` computes the metrics on those rows; groups smaller than
 * `minGroupSize` (default 10) are reported but left out of the gaps, where noise would dominate.
 */
export function subgroupMetrics(groups: Groups, metrics: (rows: Int32Array) => Record<string, number>, options: { minGroupSize?: number } = {}): SubgroupReport {
  const minSize = options.minGroupSize ?? 10;
  const members: number[][] = groups.labels.map(() => []);
  for (let i = 0; i < groups.group.length; i++) if (groups.group[i] >= 0) members[groups.group[i]].push(i);
  const out: Record<string, GroupMetrics> = {};
  groups.labels.forEach((label, g) => {
    const rows = Int32Array.from(members[g]);
    if (rows.length === 0) return;
    out[label] = { ...metrics(rows), n: rows.length } as GroupMetrics;
  });
  const gaps: SubgroupReport["gaps"] = {};
  const eligible = Object.entries(out).filter(([, m]) => m.n >= minSize);
  const names = new Set(eligible.flatMap(([, m]) => Object.keys(m).filter((k) => k !== "n")));
  for (const metric of names) {
    let hi: [string, number] | undefined;
    let lo: [string, number] | undefined;
    for (const [label, m] of eligible) {
      const v = m[metric];
      if (!Number.isFinite(v)) continue;
      if (!hi || v > hi[1]) hi = [label, v];
      if (!lo || v < lo[1]) lo = [label, v];
    }
    if (hi && lo) gaps[metric] = { gap: hi[1] - lo[1], highest: hi[0], lowest: lo[0] };
  }
  return { groups: out, gaps };
}
