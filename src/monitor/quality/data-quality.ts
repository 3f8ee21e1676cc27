/**
 * Data quality at inference: what is wrong with the current data before anyone reads drift —
 * - missing values: each column's missing share against the reference's (a finding when the column
 *   had none and now has some, or when the share rose by more than 5 points);
 * - out-of-range values: numeric and datetime values outside the reference's [min, max] — a finding
 *   when some lie far outside (beyond 10 % of the range's width) or when there are more than chance
 *   explains: from the same distribution a new value falls outside the extremes of n reference
 *   values with probability 2/(n + 1), so λ = 2m/(n + 1) of m current values are expected; more
 *   than λ + 3√λ + 3 is a finding;
 * - new categories: labels of a categorical or boolean column the reference never saw;
 * - infinite values in numeric columns;
 * - schema violations, by the existing `validate`: against a schema you give, or else against the
 *   reference's shape (every reference column present with its kind, no extra columns).
 * Every finding carries its count, its share of rows and up to 5 example rows (0-based).
 */
import { type Column, cellValue, columnLength, MISSING_BOOL } from "../../data/column.js";
import type { Frame } from "../../data/frame.js";
import { type ColumnSchema, type ExpectationResult, PROBLEM_CODES, type ReportValue, type Schema, validate } from "../../data/schema/index.js";
import type { ColumnKind } from "../../data/column.js";
import { categoryCounts } from "../drift/drift-report.js";

const MAX_EXAMPLES = 5;
/** A rise in missing share above this (absolute) is a finding. */
export const MISSING_SHARE_RISE = 0.05;

/** What the current data is checked against, per column: from a reference table or a stored profile. */
export interface QualityReference {
  readonly kind: ColumnKind;
  readonly rows: number;
  readonly missing: number;
  /** Finite range (numeric; datetime in epoch ms). */
  readonly min?: number;
  readonly max?: number;
  /** Labels seen (categorical, boolean). */
  readonly categories?: ReadonlySet<string>;
}

export type QualityCode = "MISSING_VALUES" | "OUT_OF_RANGE" | "NEW_CATEGORY" | "INFINITE_VALUES" | "SCHEMA";

export interface Example {
  readonly row: number;
  readonly value: ReportValue;
}

export interface QualityFinding {
  readonly code: QualityCode;
  /** For SCHEMA findings, validate's problem code (COLUMN_MISSING, WRONG_KIND, UNEXPECTED_COLUMN, …). */
  readonly check?: string;
  readonly column: string | null;
  readonly message: string;
  readonly count: number;
  readonly share: number;
  readonly examples: readonly Example[];
}

export interface ColumnQuality {
  readonly column: string;
  readonly kind: ColumnKind;
  readonly missing: { readonly count: number; readonly share: number; readonly reference_share: number };
  readonly out_of_range?: { readonly count: number; readonly share: number; readonly min: number; readonly max: number };
  readonly new_categories?: readonly { readonly value: string; readonly count: number }[];
  readonly infinite?: number;
}

export interface DataQualityReport {
  readonly rows: number;
  readonly columns: readonly ColumnQuality[];
  readonly findings: readonly QualityFinding[];
  /** The schema check: passed, and the expectations that failed. */
  readonly schema: { readonly ok: boolean; readonly source: "given" | "reference"; readonly failed: readonly ExpectationResult[] };
}

/** The quality reference of one column of a reference table. */
export function qualityReference(col: Column): QualityReference {
  const n = columnLength(col);
  let missing = 0;
  if (col.kind === "numeric" || col.kind === "datetime") {
    let min = Infinity;
    let max = -Infinity;
    const v = col.values;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x !== x) missing++;
      else if (x - x === 0) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
    return { kind: col.kind, rows: n, missing, ...(min <= max ? { min, max } : {}) };
  }
  if (col.kind === "categorical" || col.kind === "boolean") {
    const counts = categoryCounts(col)!;
    let present = 0;
    for (const c of counts.values()) present += c;
    return { kind: col.kind, rows: n, missing: n - present, categories: new Set(counts.keys()) };
  }
  for (let i = 0; i < n; i++) if (col.values[i] === null) missing++;
  return { kind: col.kind, rows: n, missing };
}

function isMissingFast(col: Column, i: number): boolean {
  switch (col.kind) {
    case "numeric":
    case "datetime":
      return col.values[i] !== col.values[i];
    case "categorical":
      return col.codes[i] < 0;
    case "boolean":
      return col.values[i] === MISSING_BOOL;
    case "text":
      return col.values[i] === null;
  }
}

function example(col: Column, row: number): Example {
  const v = cellValue(col, row);
  return { row, value: v instanceof Date ? v.toISOString() : typeof v === "number" && !Number.isFinite(v) ? String(v) : v };
}

/** The reference's shape as a schema: every column present with its kind; nothing else allowed. */
export function shapeSchema(reference: Readonly<Record<string, QualityReference>>): Schema {
  const columns: Record<string, ColumnSchema> = {};
  for (const [name, r] of Object.entries(reference)) columns[name] = { kind: r.kind };
  return { version: 1, columns, rows: { min: 1, max: null }, strict: true };
}

function fmtShare(s: number): string {
  return s === 0 ? "0%" : `${(100 * s).toFixed(s < 0.001 ? 3 : 1)}%`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Check `current` against per-column references (`qualityReference` of each reference column, or
 * a stored profile's). `schema` replaces the reference's shape for the schema check.
 * @example const q = dataQuality(Object.fromEntries(ref.names.map((c) => [c, qualityReference(ref.column(c))])), current);
 */
export function dataQuality(reference: Readonly<Record<string, QualityReference>>, current: Frame, schema?: Schema): DataQualityReport {
  const n = current.nRows;
  const findings: QualityFinding[] = [];
  const columns: ColumnQuality[] = [];
  const share = (c: number) => (n ? c / n : 0);
  for (const [name, col] of current.entries()) {
    const ref = reference[name];
    const missingRows: number[] = [];
    let missing = 0;
    const len = columnLength(col);
    for (let i = 0; i < len; i++) {
      if (isMissingFast(col, i)) {
        missing++;
        if (missingRows.length < MAX_EXAMPLES) missingRows.push(i);
      }
    }
    const refShare = ref && ref.rows ? ref.missing / ref.rows : 0;
    const q: { -readonly [K in keyof ColumnQuality]: ColumnQuality[K] } = { column: name, kind: col.kind, missing: { count: missing, share: share(missing), reference_share: refShare } };
    if (ref && missing > 0 && ((ref.missing === 0 && ref.rows > 0) || share(missing) > refShare + MISSING_SHARE_RISE)) {
      findings.push({
        code: "MISSING_VALUES",
        column: name,
        message: `${name}: ${missing} missing (${fmtShare(share(missing))}), reference ${fmtShare(refShare)}`,
        count: missing,
        share: share(missing),
        examples: missingRows.map((row) => ({ row, value: null })),
      });
    }
    if (ref && (col.kind === "numeric" || col.kind === "datetime") && ref.kind === col.kind) {
      const v = col.values;
      let out = 0;
      let inf = 0;
      const outEx: Example[] = [];
      const infEx: Example[] = [];
      const lo = ref.min ?? Infinity;
      const hi = ref.max ?? -Infinity;
      const hasRange = ref.min !== undefined;
      const margin = 0.1 * (hi - lo);
      let far = 0;
      for (let i = 0; i < len; i++) {
        const x = v[i];
        if (x !== x) continue;
        if (x - x !== 0) {
          inf++;
          if (infEx.length < MAX_EXAMPLES) infEx.push(example(col, i));
        }
        if (hasRange && (x < lo || x > hi)) {
          out++;
          if (x < lo - margin || x > hi + margin) far++;
          if (outEx.length < MAX_EXAMPLES) outEx.push(example(col, i));
        }
      }
      const present = len - missing;
      const lambda = (2 * present) / (ref.rows - ref.missing + 1);
      const beyondChance = out > lambda + 3 * Math.sqrt(lambda) + 3;
      if (hasRange) q.out_of_range = { count: out, share: share(out), min: lo, max: hi };
      const show = (x: number) => (col.kind === "datetime" ? new Date(x).toISOString() : String(Number(x.toPrecision(6))));
      if (far > 0 || beyondChance) {
        findings.push({
          code: "OUT_OF_RANGE",
          column: name,
          message: `${name}: ${plural(out, "value")} (${fmtShare(share(out))}) outside the reference range [${show(lo)}, ${show(hi)}]${far ? `, ${far} of them far outside` : ""}${beyondChance ? ` (chance explains about ${Math.round(lambda)})` : ""}`,
          count: out,
          share: share(out),
          examples: outEx,
        });
      }
      if (inf > 0) {
        q.infinite = inf;
        findings.push({ code: "INFINITE_VALUES", column: name, message: `${name}: ${plural(inf, "infinite value")}`, count: inf, share: share(inf), examples: infEx });
      }
    }
    if (ref?.categories && (col.kind === "categorical" || col.kind === "boolean")) {
      // labels by code (boolean: 0 false, 1 true), which of them are new, and their counts
      const labels = col.kind === "categorical" ? col.categories : ["false", "true"];
      const codes = col.kind === "categorical" ? col.codes : col.values;
      const missingCode = col.kind === "categorical" ? -1 : MISSING_BOOL;
      const isNew = labels.map((l) => !ref.categories!.has(l));
      const perCode = new Float64Array(labels.length);
      const ex: Example[] = [];
      let rows = 0;
      if (isNew.some(Boolean)) {
        for (let i = 0; i < len; i++) {
          const k = codes[i];
          if (k === missingCode || k < 0 || !isNew[k]) continue;
          rows++;
          perCode[k]++;
          if (ex.length < MAX_EXAMPLES) ex.push(example(col, i));
        }
      }
      const counts = new Map<string, number>();
      labels.forEach((l, k) => {
        if (perCode[k] > 0) counts.set(l, (counts.get(l) ?? 0) + perCode[k]);
      });
      if (rows > 0) {
        const list = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
        q.new_categories = list;
        const names = list.slice(0, 5).map((c) => JSON.stringify(c.value)).join(", ") + (list.length > 5 ? `, … (${list.length} in all)` : "");
        findings.push({
          code: "NEW_CATEGORY",
          column: name,
          message: `${name}: ${plural(rows, "row")} (${fmtShare(share(rows))}) in ${list.length === 1 ? "a category" : `${list.length} categories`} the reference never saw: ${names}`,
          count: rows,
          share: share(rows),
          examples: ex,
        });
      }
    }
    columns.push(q);
  }
  const report = validate(current, schema ?? shapeSchema(reference));
  const failed = report.results.filter((r) => !r.pass && !r.skipped);
  for (const r of failed) {
    const code = r.expectation;
    findings.push({ code: "SCHEMA", check: PROBLEM_CODES[code], column: r.column, message: r.message, count: r.failingRows, share: r.failingFraction, examples: r.examples });
  }
  return { rows: n, columns, findings, schema: { ok: failed.length === 0, source: schema ? "given" : "reference", failed } };
}
