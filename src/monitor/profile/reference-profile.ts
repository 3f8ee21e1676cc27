/**
 * The reference profile: what monitoring needs to know about the training data, small enough to
 * store with every registered version, so drift and data quality are checked without the training
 * data. Per column:
 * - numeric: rows, missing and infinite counts, range, mean, population std, the decile bin edges
 *   and counts of all values (PSI, JS), the distinct values when there are at most 5 (χ²), and the
 *   sorted values of a seeded sample of up to 100,000 rows, so KS and Wasserstein are computed
 *   exactly against that sample;
 * - categorical and boolean: category → count; datetime: range; text: missing only.
 * Optionally the same for the model's predictions on the reference rows (`prediction`).
 * Drift between two tables uses all rows of both; drift against a profile uses the sample for KS and
 * Wasserstein and the full-data summaries for everything else.
 */
import { InvalidInputError, show, Rng } from "../../core/index.js";
import { type Column, type ColumnKind, takeColumn, type Frame } from "../../data/index.js";
import type { Schema } from "../../data/schema/index.js";
import { type ColumnDrift, type TestOverride, categoricalReference, numericReference } from "../drift/column-drift.js";
import { type ColumnReference, columnDrift, type DriftOptions, type DriftReport, type SkippedColumn, categoryCounts, driftKind, summarizeDrift } from "../drift/drift-report.js";
import { sortFinite } from "../drift/sorted-values.js";
import { type DataQualityReport, dataQuality, type QualityReference, qualityReference } from "../quality/data-quality.js";

/** The profile format this Keel writes and reads. */
export const PROFILE_VERSION = 1;
/** Rows kept in the seeded sample for KS and Wasserstein. */
export const MAX_SAMPLE_ROWS = 100_000;

/** A numeric column's reference profile: counts, range, moments, decile bins and a seeded sample. */
export interface NumericProfile {
  readonly kind: "numeric";
  readonly rows: number;
  readonly missing: number;
  readonly infinite: number;
  /** Finite values. */
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  readonly edges: readonly number[];
  readonly bin_counts: readonly number[];
  readonly few_values: { readonly values: readonly number[]; readonly counts: readonly number[] } | null;
  /** Ascending finite values of the sampled rows. */
  readonly sample: readonly number[];
}
/** A categorical or boolean column's reference profile: category counts. */
export interface CategoricalProfile {
  readonly kind: "categorical" | "boolean";
  readonly rows: number;
  readonly missing: number;
  /** Category → count (categories that occur). */
  readonly categories: Readonly<Record<string, number>>;
}
/** A datetime column's reference profile: its range. */
export interface DatetimeProfile {
  readonly kind: "datetime";
  readonly rows: number;
  readonly missing: number;
  readonly min: number | null;
  readonly max: number | null;
}
/** A text column's reference profile: counts only. */
export interface TextProfile {
  readonly kind: "text";
  readonly rows: number;
  readonly missing: number;
}
/** Any column's reference profile. */
export type ReferenceColumnProfile = NumericProfile | CategoricalProfile | DatetimeProfile | TextProfile;

/** What a model was trained on, saved with it (`reference_profile.json`) so drift and quality can be checked without the training data. */
export interface ReferenceProfile {
  readonly version: 1;
  readonly rows: number;
  readonly seed: number;
  /** Rows in the KS / Wasserstein sample (all rows when there are at most 100,000). */
  readonly sample_rows: number;
  readonly columns: Readonly<Record<string, ReferenceColumnProfile>>;
  /** The model's predictions on the reference rows (a numeric score or class labels). */
  readonly prediction?: ReferenceColumnProfile;
}

/** Options of `referenceProfile`. */
export interface ReferenceProfileOptions {
  /** Seed of the row sample; default 0. */
  readonly seed?: number;
  /** Rows to sample; default 100,000. */
  readonly sampleRows?: number;
  /** The model's predictions on these rows, one per row. */
  readonly predictions?: Column;
}

function columnProfile(col: Column, sampleRows: Int32Array | null): ReferenceColumnProfile {
  const q = qualityReference(col);
  switch (col.kind) {
    case "numeric": {
      const all = sortFinite(col.values);
      const s = all.sorted;
      const ref = s.length ? numericReference(s) : null;
      let sum = 0;
      for (let i = 0; i < s.length; i++) sum += s[i];
      const sample = sampleRows ? sortFinite((takeColumn(col, sampleRows) as { values: Float64Array }).values).sorted : s;
      return {
        kind: "numeric",
        rows: q.rows,
        missing: all.missing,
        infinite: all.infinite,
        count: s.length,
        min: s.length ? s[0] : null,
        max: s.length ? s[s.length - 1] : null,
        mean: s.length ? sum / s.length : null,
        std: ref ? ref.std : null,
        edges: ref ? ref.edges : [],
        bin_counts: ref ? ref.binCounts : [],
        few_values: ref?.fewValues ?? null,
        sample: Array.from(sample),
      };
    }
    case "categorical":
    case "boolean":
      return { kind: col.kind, rows: q.rows, missing: q.missing, categories: Object.fromEntries(categoryCounts(col)!) };
    case "datetime":
      return { kind: "datetime", rows: q.rows, missing: q.missing, min: q.min ?? null, max: q.max ?? null };
    case "text":
      return { kind: "text", rows: q.rows, missing: q.missing };
  }
}

/**
 * Profile a reference table (the training data) for monitoring.
 * @example const profile = referenceProfile(train, { seed: 42, predictions: model.predict(train) });
 */
export function referenceProfile(frame: Frame, options: ReferenceProfileOptions = {}): ReferenceProfile {
  const seed = options.seed ?? 0;
  const max = options.sampleRows ?? MAX_SAMPLE_ROWS;
  if (!Number.isInteger(max) || max < 1) throw new InvalidInputError(`sampleRows must be an integer ≥ 1, got ${show(max)}`, { path: "sampleRows", expected: "an integer ≥ 1", received: max });
  if (!Number.isInteger(seed)) throw new InvalidInputError(`seed must be an integer, got ${show(seed)}`, { path: "seed", expected: "an integer", received: seed });
  const n = frame.nRows;
  let rows: Int32Array | null = null;
  if (n > max) rows = new Rng(seed).sampleWithoutReplacement(n, max).sort();
  const columns: Record<string, ReferenceColumnProfile> = {};
  for (const [name, col] of frame.entries()) columns[name] = columnProfile(col, rows);
  const out: { -readonly [K in keyof ReferenceProfile]: ReferenceProfile[K] } = { version: PROFILE_VERSION, rows: n, seed, sample_rows: rows ? rows.length : n, columns };
  if (options.predictions) {
    const len = options.predictions.kind === "categorical" ? options.predictions.codes.length : options.predictions.values.length;
    if (len !== n) throw new InvalidInputError(`predictions has ${len} rows, the frame ${n}`, { path: "predictions", expected: `${n} rows`, received: len });
    out.prediction = columnProfile(options.predictions, rows);
  }
  return out;
}

/**
 * The drift reference a stored column profile stands for (the sample serves KS and Wasserstein).
 * @example
 * ```ts
 * const ref = profileDriftReference(referenceProfile(train).columns.age!);
 * ```
 */
export function profileDriftReference(p: ReferenceColumnProfile): ColumnReference | { readonly skip: string } {
  if (p.kind === "numeric") {
    if (p.count === 0 || p.sample.length === 0) return { skip: "no finite values in the reference" };
    return { kind: "numeric", rows: p.count, sorted: Float64Array.from(p.sample), std: p.std ?? 0, edges: p.edges, binCounts: p.bin_counts, fewValues: p.few_values };
  }
  if (p.kind === "categorical" || p.kind === "boolean") {
    const ref = categoricalReference(new Map(Object.entries(p.categories)));
    if (ref.rows === 0) return { skip: "no values in the reference (all missing)" };
    return { kind: "categorical", ...ref };
  }
  return { skip: driftKind(p.kind) };
}

/**
 * The data-quality reference a stored column profile stands for.
 * @example
 * ```ts
 * const ref = profileQualityReference(referenceProfile(train).columns.age!);
 * ```
 */
export function profileQualityReference(p: ReferenceColumnProfile): QualityReference {
  switch (p.kind) {
    case "numeric":
      return { kind: "numeric", rows: p.rows, missing: p.missing, ...(p.min !== null && p.max !== null ? { min: p.min, max: p.max } : {}) };
    case "categorical":
    case "boolean":
      return { kind: p.kind, rows: p.rows, missing: p.missing, categories: new Set(Object.keys(p.categories)) };
    case "datetime":
      return { kind: "datetime", rows: p.rows, missing: p.missing, ...(p.min !== null && p.max !== null ? { min: p.min, max: p.max } : {}) };
    case "text":
      return { kind: "text", rows: p.rows, missing: p.missing };
  }
}

/**
 * Drift of `current` against a stored profile (same rules and options as `dataDrift`).
 * @example
 * ```ts
 * const report = driftAgainstProfile(referenceProfile(train), await readTable("last-week.csv"));
 * ```
 */
export function driftAgainstProfile(profile: ReferenceProfile, current: Frame, options: DriftOptions = {}): DriftReport {
  const names = options.columns ? [...options.columns] : Object.keys(profile.columns).filter((c) => current.has(c));
  const skipped: SkippedColumn[] = [];
  if (!options.columns) {
    for (const c of Object.keys(profile.columns)) if (!current.has(c)) skipped.push({ column: c, reason: "missing from the current data" });
    for (const c of current.names) if (!(c in profile.columns)) skipped.push({ column: c, reason: "not in the reference data" });
  }
  const results: ColumnDrift[] = [];
  for (const name of names) {
    const p = profile.columns[name];
    if (!p) throw new InvalidInputError(`column ${show(name)} is not in the reference profile`, { path: "columns", expected: `one of ${show(Object.keys(profile.columns), 200)}`, received: name });
    if (!current.has(name)) throw new InvalidInputError(`column ${show(name)} is not in the current data`, { path: "columns", expected: `one of ${show(current.names, 200)}`, received: name });
    const ref = profileDriftReference(p);
    if ("skip" in ref) {
      skipped.push({ column: name, reason: ref.skip });
      continue;
    }
    const r = columnDrift(name, ref, current.column(name), (options.overrides as Record<string, TestOverride> | undefined)?.[name]);
    if ("skip" in r) skipped.push({ column: name, reason: r.skip });
    else results.push(r);
  }
  return summarizeDrift(profile.rows, current.nRows, results, skipped, options.driftShare);
}

/**
 * Data quality of `current` against a stored profile.
 * @example
 * ```ts
 * const report = qualityAgainstProfile(referenceProfile(train), await readTable("last-week.csv"));
 * ```
 */
export function qualityAgainstProfile(profile: ReferenceProfile, current: Frame, schema?: Schema): DataQualityReport {
  const refs: Record<string, QualityReference> = {};
  for (const [name, p] of Object.entries(profile.columns)) refs[name] = profileQualityReference(p);
  return dataQuality(refs, current, schema);
}

const KINDS: readonly ColumnKind[] = ["numeric", "categorical", "boolean", "datetime", "text"];

/**
 * Read a stored profile back (parsed JSON), checking its shape.
 * @throws InvalidInputError naming the first field that is wrong.
 * @example
 * ```ts
 * const profile = parseReferenceProfile(JSON.parse(readFileSync("reference_profile.json", "utf8")));
 * ```
 */
export function parseReferenceProfile(value: unknown): ReferenceProfile {
  const fail = (path: string, expected: string, received: unknown): never => {
    throw new InvalidInputError(`reference profile: ${path} must be ${expected}, got ${show(received)}`, { path, expected, received });
  };
  const obj = (v: unknown, path: string) => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, "an object", v));
  const count = (v: unknown, path: string) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(path, "an integer ≥ 0", v));
  const nums = (v: unknown, path: string) => (Array.isArray(v) && v.every((x) => typeof x === "number") ? (v as number[]) : fail(path, "an array of numbers", v));
  const p = obj(value, "profile");
  if (p.version !== PROFILE_VERSION) fail("version", `${PROFILE_VERSION}`, p.version);
  count(p.rows, "rows");
  count(p.sample_rows, "sample_rows");
  const checkColumn = (c: unknown, path: string) => {
    const col = obj(c, path);
    if (!KINDS.includes(col.kind as ColumnKind)) fail(`${path}.kind`, `one of ${KINDS.join(", ")}`, col.kind);
    count(col.rows, `${path}.rows`);
    count(col.missing, `${path}.missing`);
    if (col.kind === "numeric") {
      count(col.count, `${path}.count`);
      nums(col.edges, `${path}.edges`);
      const bins = nums(col.bin_counts, `${path}.bin_counts`);
      if (bins.length !== Math.max((col.edges as number[]).length - 1, (col.edges as number[]).length ? 1 : 0)) fail(`${path}.bin_counts`, "one count per bin of edges", bins.length);
      const s = nums(col.sample, `${path}.sample`);
      for (let i = 1; i < s.length; i++) if (!(s[i - 1] <= s[i])) fail(`${path}.sample`, "ascending numbers", `${s[i - 1]} before ${s[i]}`);
    }
    if (col.kind === "categorical" || col.kind === "boolean") {
      const cats = obj(col.categories, `${path}.categories`);
      for (const [k, v] of Object.entries(cats)) count(v, `${path}.categories.${k}`);
    }
  };
  for (const [name, c] of Object.entries(obj(p.columns, "columns"))) checkColumn(c, `columns.${name}`);
  if (p.prediction !== undefined) checkColumn(p.prediction, "prediction");
  return value as ReferenceProfile;
}
