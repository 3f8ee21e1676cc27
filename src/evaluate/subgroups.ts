/**
 * Subgroup metrics: the same metrics computed for each group of a protected column (each
 * category or distinct value; numeric columns with many values binned at quantiles), with every
 * group's size, and the largest gap between groups big enough to compare for each metric — the
 * first thing a fairness review asks for. When fewer than two groups are big enough, the report
 * says so with the sizes instead of comparing a group with itself.
 */
import { type Column, cellValue } from "../data/index.js";
import { quantileSorted } from "../core/index.js";

/** Rows assigned to labelled groups, for per-group metrics. */
export interface Groups {
  /** Group label per group index. */
  labels: string[];
  /** Group index of each row (−1: row left out). */
  group: Int32Array;
}

/** Numeric columns with at most this many distinct values are grouped by value, not binned. */
export const MAX_VALUE_GROUPS = 10;

/**
 * Groups of a column: categories as they are (missing as "(missing)"); numeric and datetime
 * columns with at most `maxValues` (default `MAX_VALUE_GROUPS`, 10) distinct values by value (a
 * `sex` coded ±0.05 is two groups, "-0.05" and "0.05"); others cut at `bins` (default 4)
 * quantiles into intervals labelled "[low, high)" (the last one closed).
 * @example
 * ```ts
 * const byAge = groupsOf(frame.column("age"), { bins: 4 }); // labels like "[18, 30)"
 * ```
 */
export function groupsOf(col: Column, options: { bins?: number; maxValues?: number } = {}): Groups {
  const bins = options.bins ?? 4;
  const maxValues = options.maxValues ?? MAX_VALUE_GROUPS;
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  if ((col.kind === "numeric" || col.kind === "datetime") && distinctAtMost(col.values, maxValues)) return valueGroups(col, n);
  if (col.kind === "numeric" || col.kind === "datetime") {
    const group = new Int32Array(n);
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
  return valueGroups(col, n);
}

function distinctAtMost(values: Float64Array, k: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    if (values[i] === values[i]) seen.add(values[i]);
    if (seen.size > k) return false;
  }
  return true;
}

/**
 * One group per distinct value, missing as "(missing)": numbers in ascending order (missing
 * after them), categories in order of first appearance.
 */
function valueGroups(col: Column, n: number): Groups {
  const group = new Int32Array(n);
  const index = new Map<string, number>();
  const labels: string[] = [];
  if (col.kind === "numeric" || col.kind === "datetime") {
    const sorted = [...new Set(Array.from(col.values).filter((v) => v === v))].sort((a, b) => a - b);
    for (const v of sorted) {
      const cell = cellValue(col, col.values.indexOf(v));
      index.set(cell instanceof Date ? cell.toISOString() : String(cell), index.size);
    }
    labels.push(...index.keys());
  }
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

/** The metrics of one group, with its row count `n`. */
export type GroupMetrics = Record<string, number> & { n: number };

/** Metrics per group and the largest gap between groups per metric. */
export interface SubgroupReport {
  groups: Record<string, GroupMetrics>;
  /**
   * Per metric: the largest difference between two groups of at least `minGroupSize` rows and
   * which; absent when fewer than two such groups have the metric.
   */
  gaps: Record<string, { gap: number; highest: string; lowest: string }>;
  /** The groups big enough to compare (at least `minGroupSize` rows), largest first. */
  compared: string[];
  /** Said plainly when fewer than two groups are big enough to compare, with every group's size; else null. */
  note: string | null;
}

/** Groups smaller than this are reported but not compared: a handful of rows moves a metric too far. */
export const MIN_GROUP_SIZE = 30;

/**
 * Metrics per group. `metrics(rows)` computes the metrics on those rows. Groups smaller than
 * `minGroupSize` (default `MIN_GROUP_SIZE`, 30) are reported but left out of the gaps, where
 * noise would dominate; when fewer than two groups remain, `note` says so with the sizes.
 *
 * @example
 * const r = subgroupMetrics(groupsOf(test.column("sex")), (rows) => ({ accuracy: acc(rows) }));
 * r.gaps.accuracy   // { gap: 0.04, highest: "0.05", lowest: "-0.05" }
 */
export function subgroupMetrics(groups: Groups, metrics: (rows: Int32Array) => Record<string, number>, options: { minGroupSize?: number } = {}): SubgroupReport {
  const minSize = options.minGroupSize ?? MIN_GROUP_SIZE;
  const members: number[][] = groups.labels.map(() => []);
  for (let i = 0; i < groups.group.length; i++) if (groups.group[i] >= 0) members[groups.group[i]].push(i);
  const out: Record<string, GroupMetrics> = {};
  groups.labels.forEach((label, g) => {
    const rows = Int32Array.from(members[g]);
    if (rows.length === 0) return;
    out[label] = { ...metrics(rows), n: rows.length } as GroupMetrics;
  });
  const bySize = Object.entries(out).sort((a, b) => b[1].n - a[1].n);
  const eligible = bySize.filter(([, m]) => m.n >= minSize);
  const gaps: SubgroupReport["gaps"] = {};
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
    if (hi && lo && hi[0] !== lo[0]) gaps[metric] = { gap: hi[1] - lo[1], highest: hi[0], lowest: lo[0] };
  }
  const sizes = (xs: typeof bySize) => xs.map(([label, m]) => `${label}: ${m.n}`).join(", ");
  const small = bySize.filter(([, m]) => m.n < minSize);
  let note: string | null = null;
  if (bySize.length === 1) note = `one group only (${sizes(bySize)}): nothing to compare`;
  else if (eligible.length === 0) note = `no group has ${minSize} rows or more (${sizes(bySize)}): too small to compare`;
  else if (eligible.length === 1) note = `only one group has ${minSize} rows or more (${sizes(eligible)}); the others are too small to compare (${sizes(small)})`;
  return { groups: out, gaps, compared: eligible.map(([label]) => label), note };
}
