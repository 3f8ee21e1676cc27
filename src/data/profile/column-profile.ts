/**
 * One column's profile: counts, moments, quartiles, top values and chart data, by kind.
 */
import { type Column, MISSING_BOOL } from "../column.js";
import { summarizeNumeric } from "./numeric-summary.js";
import type { Bars, ColumnProfile, ProfileValue, TopValue } from "./types.js";

/** NaN → null, so the profile stays JSON. */
export function num(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export interface ColumnProfileOptions {
  readonly topK: number;
  readonly maxBins: number;
}

/** Extra facts the warnings need but the JSON does not carry. */
export interface ColumnFacts {
  /** Numeric: every value a whole number. */
  readonly integer: boolean;
}

const EMPTY_STATS = { mean: null, std: null, min: null, q1: null, median: null, q3: null, max: null, skew: null, zeros: null } as const;

/** Top values and bar data from per-value counts (value labels parallel to counts). */
function topFromCounts(labels: readonly ProfileValue[], counts: ArrayLike<number>, total: number, k: number): { top: TopValue[]; bars: Bars; distinct: number } {
  const idx: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) idx.push(i);
  idx.sort((a, b) => counts[b] - counts[a] || compareValues(labels[a], labels[b]));
  const top = idx.slice(0, k).map((i) => ({ value: labels[i], count: counts[i], fraction: total ? counts[i] / total : 0 }));
  let shown = 0;
  for (const t of top) shown += t.count;
  return { top, bars: { values: top.map((t) => String(t.value)), counts: top.map((t) => t.count), other: total - shown }, distinct: idx.length };
}

function compareValues(a: ProfileValue, b: ProfileValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Profile of one column of `nRows` rows. */
export function profileColumn(name: string, c: Column, nRows: number, options: ColumnProfileOptions): { profile: ColumnProfile; facts: ColumnFacts } {
  const frac = (m: number) => (nRows ? m / nRows : 0);
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      const s = summarizeNumeric(c.values, { topK: options.topK, maxBins: options.maxBins });
      const isDate = c.kind === "datetime";
      const iso = (v: number) => new Date(v).toISOString();
      const top = s.top.map((t) => ({ value: isDate ? iso(t.value) : t.value, count: t.count, fraction: s.count ? t.count / s.count : 0 }));
      return {
        profile: {
          name,
          kind: c.kind,
          count: s.count,
          missing: s.missing,
          missingFraction: frac(s.missing),
          distinct: s.distinct,
          mean: isDate ? null : num(s.mean),
          std: isDate ? null : num(s.std),
          min: num(s.min),
          q1: num(s.q1),
          median: num(s.median),
          q3: num(s.q3),
          max: num(s.max),
          skew: isDate ? null : num(s.skew),
          zeros: isDate ? null : s.zeros,
          top,
          histogram: s.histogram,
          bars: null,
          datetime: isDate && s.count > 0 ? { min: iso(s.min), max: iso(s.max) } : null,
        },
        facts: { integer: s.integer },
      };
    }
    case "categorical": {
      const counts = new Float64Array(c.categories.length);
      let missing = 0;
      const codes = c.codes;
      for (let i = 0; i < codes.length; i++) {
        const k = codes[i];
        if (k < 0) missing++;
        else counts[k]++;
      }
      const count = codes.length - missing;
      const t = topFromCounts(c.categories, counts, count, options.topK);
      return { profile: { name, kind: c.kind, count, missing, missingFraction: frac(missing), distinct: t.distinct, ...EMPTY_STATS, top: t.top, histogram: null, bars: t.bars, datetime: null }, facts: { integer: false } };
    }
    case "boolean": {
      const counts = new Float64Array(2);
      let missing = 0;
      for (let i = 0; i < c.values.length; i++) {
        const v = c.values[i];
        if (v === MISSING_BOOL) missing++;
        else counts[v ? 1 : 0]++;
      }
      const count = c.values.length - missing;
      const t = topFromCounts([false, true], counts, count, options.topK);
      return {
        profile: { name, kind: c.kind, count, missing, missingFraction: frac(missing), distinct: t.distinct, ...EMPTY_STATS, mean: count ? counts[1] / count : null, top: t.top, histogram: null, bars: t.bars, datetime: null },
        facts: { integer: false },
      };
    }
    case "text": {
      const map = new Map<string, number>();
      let missing = 0;
      for (const v of c.values) {
        if (v === null) missing++;
        else map.set(v, (map.get(v) ?? 0) + 1);
      }
      const count = c.values.length - missing;
      const t = topFromCounts([...map.keys()], [...map.values()], count, options.topK);
      return { profile: { name, kind: c.kind, count, missing, missingFraction: frac(missing), distinct: t.distinct, ...EMPTY_STATS, top: t.top, histogram: null, bars: t.bars, datetime: null }, facts: { integer: false } };
    }
  }
}
