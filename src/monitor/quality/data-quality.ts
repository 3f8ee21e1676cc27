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
import { type Column, cellValue, columnLength, MISSING_BOOL, type Frame, type ColumnKind } from "../../data/index.js";
import { type ColumnSchema, type ExpectationResult, PROBLEM_CODES, type ReportValue, type Schema, validate } from "../../data/schema/index.js";
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

/** The kinds of data-quality finding. */
export type QualityCode = "MISSING_VALUES" | "OUT_OF_RANGE" | "NEW_CATEGORY" | "INFINITE_VALUES" | "SCHEMA";

/** One offending row and its value, quoted in a quality finding. */
export interface Example {
  readonly row: number;
  readonly value: ReportValue;
}

/** One data-quality problem: what, where, how many rows and a few examples. */
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

/** One column's quality against the reference: missing share, out-of-range values, new categories, infinities. */
export interface ColumnQuality {
  readonly column: string;
  readonly kind: ColumnKind;
  readonly missing: { readonly count: number; readonly share: number; readonly reference_share: number };
  readonly out_of_range?: { readonly count: number; readonly share: number; readonly min: number; readonly max: number };
  readonly new_categories?: readonly { readonly value: string; readonly count: number }[];
  readonly infinite?: number;
}

/** The data quality of a table against a reference: per column, the findings, and the schema check. */
export interface DataQualityReport {
  readonly rows: number;
  readonly columns: readonly ColumnQuality[];
  readonly findings: readonly QualityFinding[];
  /** The schema check: passed, and the expectations that failed. */
  readonly schema: { readonly ok: boolean; readonly source: "given" | "reference"; readonly failed: readonly ExpectationResult[] };
}

/**
 * The quality reference of one column of a reference table.
 * @example
 * ```ts
 * const ref = qualityReference(train.column("age"));
 * ```
 */
export function qualityReference(col: Column): QualityReference {
  const n = columnLength(col);
  let missing = 0;
  if (col.kind === "numeric" || col.kind === "datetime") {
    const { min, max, nan } = finiteRange(col.values);
    return { kind: col.kind, rows: n, missing: nan, ...(min <= max ? { min, max } : {}) };
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

/** The finite range of the values and the count of NaN. */
function finiteRange(v: Float64Array): { min: number; max: number; nan: number } {
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < min) {
      if (x !== -Infinity) min = x;
    } else if (x !== x) nan++;
    if (x > max && x !== Infinity) max = x;
  }
  return { min, max, nan };
}

/** Values outside [lo, hi] (and beyond `margin` of it), and infinities, with their first rows. */
function outsideRange(v: Float64Array, lo: number, hi: number, margin: number) {
  let out = 0;
  let far = 0;
  let inf = 0;
  const outRows: number[] = [];
  const infRows: number[] = [];
  const farLo = lo - margin;
  const farHi = hi + margin;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x >= lo && x <= hi) continue;
    if (x !== x) continue;
    if (x - x !== 0) {
      inf++;
      if (infRows.length < MAX_EXAMPLES) infRows.push(i);
    }
    if (x < lo || x > hi) {
      out++;
      if (x < farLo || x > farHi) far++;
      if (outRows.length < MAX_EXAMPLES) outRows.push(i);
    }
  }
  return { out, far, inf, outRows, infRows };
}

/** Rows whose code is flagged new, counted per code, with the first rows. */
function newCodeRows(codes: Int32Array | Uint8Array, missingCode: number, isNew: Uint8Array) {
  const perCode = new Float64Array(isNew.length);
  const exampleRows: number[] = [];
  let rows = 0;
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (k === missingCode || k < 0 || isNew[k] === 0) continue;
    rows++;
    perCode[k]++;
    if (exampleRows.length < MAX_EXAMPLES) exampleRows.push(i);
  }
  return { rows, perCode, exampleRows };
}

/** Missing cells of a column and the first few of their rows (one tight loop per kind). */
function missingOf(col: Column): { count: number; rows: number[] } {
  const rows: number[] = [];
  let count = 0;
  const note = (i: number) => {
    count++;
    if (rows.length < MAX_EXAMPLES) rows.push(i);
  };
  switch (col.kind) {
    case "numeric":
    case "datetime": {
      const v = col.values;
      for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) note(i);
      break;
    }
    case "categorical": {
      const c = col.codes;
      for (let i = 0; i < c.length; i++) if (c[i] < 0) note(i);
      break;
    }
    case "boolean": {
      const v = col.values;
      for (let i = 0; i < v.length; i++) if (v[i] === MISSING_BOOL) note(i);
      break;
    }
    case "text": {
      const v = col.values;
      for (let i = 0; i < v.length; i++) if (v[i] === null) note(i);
      break;
    }
  }
  return { count, rows };
}

function example(col: Column, row: number): Example {
  const v = cellValue(col, row);
  return { row, value: v instanceof Date ? v.toISOString() : typeof v === "number" && !Number.isFinite(v) ? String(v) : v };
}

/**
 * The reference's shape as a schema: every column present with its kind; nothing else allowed.
 * @example
 * ```ts
 * const schema = shapeSchema({ age: qualityReference(train.column("age")) });
 * ```
 */
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
 * @example const q = dataQuality(Object.fromEntries(reference.names.map((c) => [c, qualityReference(reference.column(c))])), current);
 */
export function dataQuality(reference: Readonly<Record<string, QualityReference>>, current: Frame, schema?: Schema): DataQualityReport {
  const n = current.nRows;
  const findings: QualityFinding[] = [];
  const columns: ColumnQuality[] = [];
  const share = (c: number) => (n ? c / n : 0);
  for (const [name, col] of current.entries()) {
    const ref = reference[name];
    const len = columnLength(col);
    const { count: missing, rows: missingRows } = missingOf(col);
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
      const lo = ref.min ?? Infinity;
      const hi = ref.max ?? -Infinity;
      const hasRange = ref.min !== undefined;
      const r = outsideRange(col.values, hasRange ? lo : -Infinity, hasRange ? hi : Infinity, 0.1 * (hi - lo));
      const { out, far, inf } = r;
      const outEx = r.outRows.map((i) => example(col, i));
      const infEx = r.infRows.map((i) => example(col, i));
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
      const newCode = Uint8Array.from(isNew, (b) => (b ? 1 : 0));
      const found = isNew.some(Boolean) ? newCodeRows(codes, missingCode, newCode) : { rows: 0, perCode: new Float64Array(labels.length), exampleRows: [] };
      const { rows, perCode } = found;
      const ex = found.exampleRows.map((i) => example(col, i));
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
